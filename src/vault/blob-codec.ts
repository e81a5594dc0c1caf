/**
 * The CPU stages of storing and loading one blob (SHA-256, zstd, AES-CTR + Poly1305), as plain
 * functions: the codec workers run them for big jobs, and the pool runs them inline for the
 * first few small ones, so that a backup with little to store never pays for starting threads.
 */
import { createHash } from 'node:crypto';
import zstd from 'zstd-napi/binding.js';
import { compressionLevel, decompress } from './compression.js';
import { open, seal } from './crypto.js';
import type { MasterKey } from './crypto.js';
import { idOf } from './id.js';
import type { StoredItem } from './blob-codec-protocol.js';
import { sharedSetHas } from './shared-id-set.js';

let cctx: zstd.CCtx | undefined;
let level = 0;
let scratch: Buffer = Buffer.alloc(0);

/**
 * zstd into a buffer reused for every blob of this thread (at most compressBound(8 MiB)): the
 * result is sealed into a fresh buffer right away, so the compressed form needs no memory of its
 * own (zstd-napi's `compress` allocated a bound-sized buffer per blob, then often a trimmed copy:
 * page faults on every chunk).
 */
export function compressToScratch(plain: Buffer): Buffer {
  if (!cctx) {
    cctx = new zstd.CCtx();
    level = compressionLevel();
  }
  const bound = zstd.compressBound(plain.length);
  if (scratch.length < bound) scratch = Buffer.allocUnsafeSlow(bound);
  return scratch.subarray(0, cctx.compress(scratch, plain, level));
}

/** Hashes `plain`; seals it (compressed when that is smaller) unless `known` names it and `force` is off. */
export function storeBlob(key: MasterKey, plain: Buffer, tryCompress: boolean, force: boolean, known: BigUint64Array | undefined): StoredItem {
  const digest = createHash('sha256').update(plain).digest();
  const id = digest.toString('hex');
  if (!force && known && sharedSetHas(known, digest)) return { id, data: plain, sealed: false };
  if (tryCompress) {
    const z = compressToScratch(plain);
    if (z.length < plain.length) return { id, data: seal(key, z), sealed: true, uncompressedLength: plain.length };
  }
  return { id, data: seal(key, plain), sealed: true };
}

/** Opens (and decompresses) a sealed blob, checking its content against `id` when given. */
export function decodeBlob(key: MasterKey, sealed: Buffer, compressed: boolean, id: string | undefined): Buffer {
  const plain = open(key, sealed);
  const data = compressed ? decompress(plain) : plain;
  if (id !== undefined && idOf(data) !== id) throw new Error(`blob ${id} is damaged: its content does not match its ID`);
  return data;
}
