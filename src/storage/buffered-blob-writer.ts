/**
 * A BlobWriter that keeps the pieces in memory and hands them to the store's atomic `write` on
 * commit: right for stores that hold everything in memory anyway, and for wrappers (faults
 * then apply to the commit exactly as to a write).
 */
import type { BlobData, BlobWriter } from './blob-store.js';
import { createHash } from 'node:crypto';

export class BufferedBlobWriter implements BlobWriter {
  size = 0;
  private parts: Buffer[] | undefined = [];
  private readonly hash = createHash('sha256');

  constructor(private readonly writeAll: (name: string, data: BlobData) => Promise<void>) {}

  async write(data: Uint8Array): Promise<void> {
    if (!this.parts) throw new Error('write after commit or abort');
    this.parts.push(Buffer.from(data));
    this.hash.update(data);
    this.size += data.length;
  }

  async sha256(): Promise<string> {
    if (!this.parts) throw new Error('sha256 after commit or abort');
    return this.hash.copy().digest('hex');
  }

  async commit(name: string): Promise<void> {
    if (!this.parts) throw new Error('commit after commit or abort');
    const parts = this.parts;
    this.parts = undefined;
    await this.writeAll(name, parts);
  }

  async abort(): Promise<void> {
    this.parts = undefined;
  }
}
