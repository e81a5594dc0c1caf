/** Messages between the main thread and blob codec workers, and zero-copy transfer rules. */

export type CodecRequest =
  | { seq: number; op: 'encode'; data: Uint8Array; compress: boolean }
  | { seq: number; op: 'decode'; data: Uint8Array; compressed: boolean; id?: string };

export type CodecResponse =
  | { seq: number; data: Uint8Array; uncompressedLength?: number | undefined }
  | { seq: number; error: string };

/** Structured clone delivers Uint8Array; Buffer methods need a Buffer view on the same memory. */
export function asBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

/**
 * Only a view that owns its whole ArrayBuffer may be transferred: small Buffers share Node's
 * pool slab, and transferring that would detach other Buffers' memory.
 */
export function transferListOf(u: Uint8Array): ArrayBuffer[] {
  const ab = u.buffer;
  return ab instanceof ArrayBuffer && u.byteOffset === 0 && u.byteLength === ab.byteLength ? [ab] : [];
}
