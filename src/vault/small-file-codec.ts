/**
 * Small files read, hashed, compressed and sealed in one go, on a worker (or inline for the first
 * few): the main thread walks the tree and hands out paths in batches, so a small file costs it
 * one lstat and no open, read or message of its own. A file of at most SMALL_FILE_MAX bytes is one
 * chunk (the chunker never cuts before its minimum size), so no chunking is needed. The sealed
 * blobs of a batch lie side by side in one slab that travels back to the main thread, is written
 * into packs from there and comes back to be filled again.
 */
import { closeSync, constants, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { compressToScratch } from './blob-codec.js';
import { DEFAULT_MIN_SIZE } from './chunker.js';
import { CRYPTO_OVERHEAD, sealInto } from './crypto.js';
import type { MasterKey } from './crypto.js';
import { sharedSetHas } from './shared-id-set.js';

/** Files up to this size are one chunk and go the small-file way. */
export const SMALL_FILE_MAX = DEFAULT_MIN_SIZE;

/** One file of a batch as the worker saw it. */
export type SmallFileResult =
  /** Read and hashed. `length` 0 and `sealed` false: the known-set named it, nothing was sealed. */
  | {
      readonly id: string;
      readonly size: number;
      readonly sealed: boolean;
      readonly offset: number;
      readonly length: number;
      readonly uncompressedLength?: number;
    }
  /** It grew past SMALL_FILE_MAX since the walk saw it: the caller chunks it instead. */
  | { readonly grown: true }
  /** It could not be read: `code` is the errno code (ENOENT, EACCES, ...). */
  | { readonly code: string; readonly message: string };

/** The slab bytes a batch of files of these (walk-time) sizes can need. */
export function slabBytesFor(sizes: readonly number[]): number {
  let n = 0;
  for (const s of sizes) n += Math.min(s, SMALL_FILE_MAX) + CRYPTO_OVERHEAD;
  return n;
}

let readBuf: Buffer | undefined;
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW;

/** Reads a whole small file into this thread's read buffer; undefined when it is larger than SMALL_FILE_MAX. */
function readSmall(path: string): Buffer | undefined {
  const buf = (readBuf ??= Buffer.allocUnsafeSlow(SMALL_FILE_MAX + 1));
  const fd = openSync(path, OPEN_FLAGS);
  try {
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n === buf.length) return undefined;
    }
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * Stores the files into `slab` (which must hold slabBytesFor(sizes) bytes, or grows into a new
 * one). Files the known-set names are hashed only, unless `force`.
 */
export function storeSmallFiles(
  key: MasterKey,
  paths: readonly string[],
  sizes: readonly number[],
  tryCompress: boolean,
  force: boolean,
  known: BigUint64Array | undefined,
  slab: Buffer,
): { results: SmallFileResult[]; slab: Buffer; used: number } {
  const results: SmallFileResult[] = [];
  let used = 0;
  for (let i = 0; i < paths.length; i++) {
    let plain: Buffer | undefined;
    try {
      plain = readSmall(paths[i]!);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      results.push({ code: e.code ?? 'EIO', message: e.message });
      continue;
    }
    if (!plain) {
      results.push({ grown: true });
      continue;
    }
    const digest = createHash('sha256').update(plain).digest();
    const id = digest.toString('hex');
    if (!force && known && sharedSetHas(known, digest)) {
      results.push({ id, size: plain.length, sealed: false, offset: used, length: 0 });
      continue;
    }
    let body = plain;
    let uncompressedLength: number | undefined;
    if (tryCompress) {
      const z = compressToScratch(plain);
      if (z.length < plain.length) {
        body = z;
        uncompressedLength = plain.length;
      }
    }
    const need = body.length + CRYPTO_OVERHEAD;
    if (used + need > slab.length) {
      // The file grew since the walk (but stayed small): a bigger slab for the rest.
      const bigger = Buffer.allocUnsafeSlow(used + need + slabBytesFor(sizes.slice(i + 1)));
      slab.copy(bigger, 0, 0, used);
      slab = bigger;
    }
    const length = sealInto(key, body, slab.subarray(used, used + need));
    results.push(
      uncompressedLength === undefined
        ? { id, size: plain.length, sealed: true, offset: used, length }
        : { id, size: plain.length, sealed: true, offset: used, length, uncompressedLength },
    );
    used += length;
  }
  return { results, slab, used };
}
