/** Messages between the main thread and blob codec workers, and zero-copy transfer rules. */
import type { RestoreSpanJob, RestoreSpanResult } from './restore-span.js';
import type { SmallFileResult } from './small-file-codec.js';

export type CodecRequest =
  /** Hash each item; unless `force`, return items the known-set names unsealed; seal the rest. */
  | { seq: number; op: 'store'; items: Uint8Array[]; compress: boolean; force: boolean }
  | { seq: number; op: 'decode'; data: Uint8Array; compressed: boolean; id?: string }
  /** Read, hash and (unless known) seal whole small files into `slab` (see small-file-codec.ts). */
  | { seq: number; op: 'store-files'; paths: string[]; sizes: number[]; compress: boolean; force: boolean; slab: Uint8Array }
  /** Open, decompress and verify several blobs of one buffer (a span of a pack file). */
  | { seq: number; op: 'decode-many'; data: Uint8Array; blobs: readonly SpanBlob[] }
  /** A restore's span (restore-span.ts): read (unless `data` is given), open and write into files. */
  | { seq: number; op: 'restore-span'; job: RestoreSpanJob; data?: Uint8Array | undefined }
  /** The shared known-ID table (replaced when it grows). No response. */
  | { seq: 0; op: 'known'; table: SharedArrayBuffer };

export interface StoredItem {
  readonly id: string;
  /** Sealed bytes, or the plaintext handed back when `sealed` is false (believed known). */
  readonly data: Uint8Array;
  readonly sealed: boolean;
  readonly uncompressedLength?: number | undefined;
}

/** A blob inside a buffer handed to `decode-many`. */
export interface SpanBlob {
  readonly offset: number;
  readonly length: number;
  readonly compressed: boolean;
  readonly id: string;
}

export type CodecResponse =
  /** `spare`: the memory of plaintexts that were sealed, handed back for reuse (see ChunkBuffers). */
  | { seq: number; items: StoredItem[]; spare: Uint8Array[] }
  /** The sealed files lie in `slab` (handed back, maybe a bigger one) at their offsets, `used` bytes in all. */
  | { seq: number; files: SmallFileResult[]; slab: Uint8Array; used: number }
  | { seq: number; plains: Uint8Array[] }
  | { seq: number; restored: RestoreSpanResult }
  | { seq: number; data: Uint8Array }
  /** `readFailed`: the error was reading the pack file (the caller retries through its store). */
  | { seq: number; error: string; readFailed?: boolean };

/** Structured clone delivers Uint8Array; Buffer methods need a Buffer view on the same memory. */
export function asBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

/**
 * Only views that own their whole ArrayBuffer may be transferred: small Buffers share Node's
 * pool slab, and transferring that would detach other Buffers' memory.
 */
export function transferListOf(...views: Uint8Array[]): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const u of views) {
    const ab = u.buffer;
    if (ab instanceof ArrayBuffer && u.byteOffset === 0 && u.byteLength === ab.byteLength && !out.includes(ab)) out.push(ab);
  }
  return out;
}
