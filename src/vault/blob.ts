/** The vocabulary shared by packs, indexes and trees: blob types and where a blob is stored. */
import type { Id } from './id.js';

export type BlobType = 'data' | 'tree';

/** One blob inside one pack file, as a pack header and an index file describe it. */
export interface PackedBlob {
  readonly id: Id;
  readonly type: BlobType;
  /** Offset of the sealed blob inside the pack. */
  readonly offset: number;
  /** Length of the sealed (compressed, encrypted) blob. */
  readonly length: number;
  /** Plaintext length, present only for compressed blobs. */
  readonly uncompressedLength?: number;
}

/** Where to find a blob: its pack and position. */
export interface BlobLocation extends PackedBlob {
  readonly packId: Id;
}

/** Plaintext size of a stored blob. */
export function plaintextSize(blob: PackedBlob): number {
  return blob.uncompressedLength ?? blob.length - 32;
}
