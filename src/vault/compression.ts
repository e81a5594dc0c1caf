/**
 * zstd for blobs and for v2 "unpacked" files (index, snapshot, lock: 0x02 || zstd(JSON)).
 * zstd-napi: native libzstd compiled from its bundled source, with a synchronous API that runs
 * inside worker threads without a thread-pool hop, and streaming for large inputs.
 */
import { Compressor, Decompressor } from 'zstd-napi';

/**
 * zstd level 1. Measured on the 1 GiB benchmark set (bench/results/*-level1.md and *-level3.md):
 * against level 3 (zstd's default, close to restic's "auto") it needs 2.5 s less CPU per GiB
 * (16% of a backup's CPU) for a repository 2% larger. COFFER_ZSTD_LEVEL=3 matches restic.
 */
export const DEFAULT_LEVEL = 1;

let compressor: Compressor | undefined;
let decompressor: Decompressor | undefined;

/**
 * The zstd level: `COFFER_ZSTD_LEVEL` (-7..19) when set, else DEFAULT_LEVEL. An environment
 * setting because it must reach the worker threads too, which share the process environment.
 */
export function compressionLevel(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.COFFER_ZSTD_LEVEL;
  if (raw === undefined || raw === '') return DEFAULT_LEVEL;
  const level = Number(raw);
  if (!Number.isInteger(level) || level < -7 || level > 19) {
    throw new Error(`COFFER_ZSTD_LEVEL=${JSON.stringify(raw)} is not a zstd level: use an integer from -7 (fastest) to 19 (smallest)`);
  }
  return level;
}

export function compress(data: Uint8Array): Buffer {
  if (!compressor) {
    compressor = new Compressor();
    compressor.setParameters({ compressionLevel: compressionLevel() });
  }
  return compressor.compress(data);
}

export function decompress(data: Uint8Array): Buffer {
  decompressor ??= new Decompressor();
  return decompressor.decompress(data);
}

/** v2 encoding of an unpacked file's plaintext. */
export function encodeUnpacked(json: Uint8Array): Buffer {
  const z = compress(json);
  const out = Buffer.allocUnsafe(z.length + 1);
  out[0] = 2;
  z.copy(out, 1);
  return out;
}

/** Accepts v2 (0x02 || zstd) and plain JSON ('[' or '{' first), as restic does. */
export function decodeUnpacked(plain: Buffer): Buffer {
  const v = plain[0];
  if (v === 0x5b || v === 0x7b) return plain;
  if (v === 2) return decompress(plain.subarray(1));
  throw new Error(`unknown encoding version ${v} of a repository file`);
}
