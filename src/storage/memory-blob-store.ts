/**
 * MemoryBlobStore: a BlobStore held in a Map, for tests. Same contract and name rules as
 * LocalBlobStore; data is copied on the way in and out, so callers can never alias stored bytes.
 */

import { blobParts, NotFoundError } from './blob-store.js';
import type { BlobData, BlobInfo, BlobStore, BlobWriter } from './blob-store.js';
import { BufferedBlobWriter } from './buffered-blob-writer.js';
import { assertValidBlobName, assertValidBlobPrefix, assertValidRange, outOfRangeError } from './local-blob-store.js';

export class MemoryBlobStore implements BlobStore {
  readonly location: string;
  private readonly blobs = new Map<string, Buffer>();

  constructor(label = 'test') {
    this.location = `memory:${label}`;
  }

  async write(name: string, data: BlobData): Promise<void> {
    assertValidBlobName(name);
    this.blobs.set(name, Buffer.concat(blobParts(data)));
  }

  async openWriter(): Promise<BlobWriter> {
    return new BufferedBlobWriter((name, data) => this.write(name, data));
  }

  async read(name: string, offset?: number, length?: number): Promise<Buffer> {
    assertValidBlobName(name);
    assertValidRange(offset, length);
    const blob = this.get(name);
    const start = offset ?? 0;
    const end = length === undefined ? blob.length : start + length;
    if (start > blob.length || end > blob.length) {
      throw outOfRangeError(name, start, end - start, blob.length);
    }
    return Buffer.from(blob.subarray(start, end));
  }

  async stat(name: string): Promise<BlobInfo | undefined> {
    assertValidBlobName(name);
    const blob = this.blobs.get(name);
    return blob === undefined ? undefined : { name, size: blob.length };
  }

  async list(prefix: string): Promise<BlobInfo[]> {
    assertValidBlobPrefix(prefix);
    const out: BlobInfo[] = [];
    for (const [name, blob] of this.blobs) {
      if (name.startsWith(prefix)) out.push({ name, size: blob.length });
    }
    return out;
  }

  async remove(name: string): Promise<void> {
    assertValidBlobName(name);
    this.blobs.delete(name);
  }

  private get(name: string): Buffer {
    const blob = this.blobs.get(name);
    if (blob === undefined) throw new NotFoundError(name, this.location);
    return blob;
  }
}
