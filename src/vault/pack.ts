/**
 * Pack files: sealed blobs back to back, then the sealed header, then the header's length
 * (uint32 LE). Header entries: type byte, sealed length, [plaintext length,] plaintext ID.
 */
import { createHash } from 'node:crypto';
import type { BlobType, PackedBlob } from './blob.js';
import { open, seal, CRYPTO_OVERHEAD } from './crypto.js';
import type { MasterKey } from './crypto.js';
import type { Id } from './id.js';

const PLAIN_ENTRY = 1 + 4 + 32;
const COMPRESSED_ENTRY = 1 + 4 + 4 + 32;

function typeByte(type: BlobType, compressed: boolean): number {
  return (type === 'tree' ? 1 : 0) | (compressed ? 2 : 0);
}

export function encodeHeader(blobs: readonly PackedBlob[]): Buffer {
  let size = 0;
  for (const b of blobs) size += b.uncompressedLength === undefined ? PLAIN_ENTRY : COMPRESSED_ENTRY;
  const out = Buffer.allocUnsafe(size);
  let pos = 0;
  for (const b of blobs) {
    const compressed = b.uncompressedLength !== undefined;
    out[pos++] = typeByte(b.type, compressed);
    out.writeUInt32LE(b.length, pos);
    pos += 4;
    if (compressed) {
      out.writeUInt32LE(b.uncompressedLength!, pos);
      pos += 4;
    }
    pos += out.write(b.id, pos, 'hex');
  }
  return out;
}

/** Parses a decrypted header; offsets are computed from the entries' lengths in order. */
export function decodeHeader(header: Buffer): PackedBlob[] {
  const blobs: PackedBlob[] = [];
  let pos = 0;
  let offset = 0;
  while (pos < header.length) {
    const t = header[pos]!;
    if (t > 3) throw new Error(`pack header: invalid blob type ${t} at byte ${pos}`);
    const compressed = (t & 2) !== 0;
    const need = compressed ? COMPRESSED_ENTRY : PLAIN_ENTRY;
    if (pos + need > header.length) throw new Error('pack header: truncated entry');
    const length = header.readUInt32LE(pos + 1);
    const uncompressedLength = compressed ? header.readUInt32LE(pos + 5) : undefined;
    const idStart = pos + (compressed ? 9 : 5);
    const id = header.toString('hex', idStart, idStart + 32);
    const type: BlobType = (t & 1) === 1 ? 'tree' : 'data';
    blobs.push(uncompressedLength === undefined ? { id, type, offset, length } : { id, type, offset, length, uncompressedLength });
    offset += length;
    pos += need;
  }
  return blobs;
}

/** Collects sealed blobs of one type into a pack file's bytes. */
export class PackBuilder {
  private readonly parts: Buffer[] = [];
  private readonly blobs: PackedBlob[] = [];
  private size = 0;

  constructor(readonly type: BlobType) {}

  get byteLength(): number {
    return this.size;
  }

  get count(): number {
    return this.blobs.length;
  }

  add(id: Id, sealed: Buffer, uncompressedLength?: number): void {
    const entry: PackedBlob =
      uncompressedLength === undefined
        ? { id, type: this.type, offset: this.size, length: sealed.length }
        : { id, type: this.type, offset: this.size, length: sealed.length, uncompressedLength };
    this.blobs.push(entry);
    this.parts.push(sealed);
    this.size += sealed.length;
  }

  /** Seals the header and returns the pack's parts (written back to back) and storage ID. */
  finish(key: MasterKey): { id: Id; parts: Buffer[]; blobs: PackedBlob[] } {
    const header = seal(key, encodeHeader(this.blobs));
    const len = Buffer.allocUnsafe(4);
    len.writeUInt32LE(header.length, 0);
    const parts = [...this.parts, header, len];
    const hash = createHash('sha256');
    for (const p of parts) hash.update(p);
    return { id: hash.digest('hex'), parts, blobs: this.blobs };
  }
}

/** Bytes to read from a pack's end to likely get its header in one read. */
export function headerReadGuess(blobCount = 64): number {
  return 4 + CRYPTO_OVERHEAD + blobCount * COMPRESSED_ENTRY;
}

/** Parses the header from a buffer holding the last bytes (or all) of a pack file. */
export function parsePackTail(key: MasterKey, tail: Buffer, packSize: number): PackedBlob[] | { need: number } {
  if (packSize < 4 + CRYPTO_OVERHEAD) throw new Error(`pack of ${packSize} bytes is too short for a header`);
  const hdrLen = tail.readUInt32LE(tail.length - 4);
  if (hdrLen + 4 > packSize) throw new Error(`pack header length ${hdrLen} exceeds the pack size ${packSize}`);
  if (hdrLen + 4 > tail.length) return { need: hdrLen + 4 };
  const sealed = tail.subarray(tail.length - 4 - hdrLen, tail.length - 4);
  const blobs = decodeHeader(open(key, sealed));
  const end = blobs.length === 0 ? 0 : blobs[blobs.length - 1]!.offset + blobs[blobs.length - 1]!.length;
  if (end + hdrLen + 4 !== packSize) throw new Error(`pack header describes ${end} bytes of blobs, but the pack holds ${packSize - hdrLen - 4}`);
  return blobs;
}
