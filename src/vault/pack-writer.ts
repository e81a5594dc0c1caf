/**
 * A pack written as its blobs arrive (to a temp file through BlobWriter), so that a pack never
 * sits whole in memory; named by the hash of its bytes (which the writer computes as they are
 * written, never reading the file back) and committed when finished.
 */
import type { BlobWriter } from '../storage/blob-store.js';
import type { BlobType, PackedBlob } from './blob.js';
import { seal } from './crypto.js';
import type { MasterKey } from './crypto.js';
import type { Id } from './id.js';
import { encodeHeader } from './pack.js';
import { packName } from './repository.js';

export class PackWriter {
  private readonly blobs: PackedBlob[] = [];
  private size = 0;
  private chain: Promise<BlobWriter>;

  constructor(readonly type: BlobType, writer: Promise<BlobWriter>) {
    this.chain = writer;
  }

  get byteLength(): number {
    return this.size;
  }

  get count(): number {
    return this.blobs.length;
  }

  add(id: Id, sealed: Buffer, uncompressedLength?: number): void {
    this.blobs.push(uncompressedLength === undefined
      ? { id, type: this.type, offset: this.size, length: sealed.length }
      : { id, type: this.type, offset: this.size, length: sealed.length, uncompressedLength });
    this.size += sealed.length;
    this.append(sealed);
  }

  /** Writes the sealed header and its length, then commits the file under the pack's ID. */
  async finish(key: MasterKey): Promise<{ id: Id; blobs: PackedBlob[] }> {
    const header = seal(key, encodeHeader(this.blobs));
    const len = Buffer.allocUnsafe(4);
    len.writeUInt32LE(header.length, 0);
    this.append(header);
    this.append(len);
    const writer = await this.chain;
    const id = await writer.sha256();
    await writer.commit(packName(id));
    return { id, blobs: this.blobs };
  }

  async abort(): Promise<void> {
    const writer = await this.chain.catch(() => undefined);
    await writer?.abort();
  }

  private append(data: Buffer): void {
    this.chain = this.chain.then(async (w) => {
      await w.write(data);
      return w;
    });
  }
}
