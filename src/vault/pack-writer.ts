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
  private writer: BlobWriter | undefined;
  /** The writes so far, in order; a failed one skips the rest and surfaces at `finish`. */
  private chain: Promise<void>;

  constructor(
    readonly type: BlobType,
    writer: Promise<BlobWriter>,
  ) {
    this.chain = this.settled(
      writer.then((w) => {
        this.writer = w;
      }),
    );
  }

  get byteLength(): number {
    return this.size;
  }

  get count(): number {
    return this.blobs.length;
  }

  add(id: Id, sealed: Buffer, uncompressedLength?: number): void {
    this.blobs.push(
      uncompressedLength === undefined
        ? { id, type: this.type, offset: this.size, length: sealed.length }
        : { id, type: this.type, offset: this.size, length: sealed.length, uncompressedLength },
    );
    this.size += sealed.length;
    this.append(sealed);
  }

  /**
   * Adds blobs that lie side by side in `data` (in this order, `length` bytes each) with one
   * write. Resolves once `data` is written (its memory may then be reused); never rejects (a
   * failed write fails `finish`).
   */
  addRun(run: readonly { readonly id: Id; readonly length: number; readonly uncompressedLength?: number | undefined }[], data: Buffer): Promise<void> {
    for (const b of run) {
      this.blobs.push(
        b.uncompressedLength === undefined
          ? { id: b.id, type: this.type, offset: this.size, length: b.length }
          : { id: b.id, type: this.type, offset: this.size, length: b.length, uncompressedLength: b.uncompressedLength },
      );
      this.size += b.length;
    }
    this.append(data);
    return this.chain.then(
      () => undefined,
      () => undefined,
    );
  }

  /**
   * Writes the sealed header and its length, then commits the file under the pack's ID. When a
   * write or the commit fails (a full disk), the temp file is discarded and the error thrown.
   */
  async finish(key: MasterKey): Promise<{ id: Id; blobs: PackedBlob[] }> {
    const header = seal(key, encodeHeader(this.blobs));
    const len = Buffer.allocUnsafe(4);
    len.writeUInt32LE(header.length, 0);
    this.append(header);
    this.append(len);
    try {
      await this.chain;
      const writer = this.writer!;
      const id = await writer.sha256();
      await writer.commit(packName(id));
      return { id, blobs: this.blobs };
    } catch (err) {
      await this.writer?.abort();
      throw err;
    }
  }

  async abort(): Promise<void> {
    await this.chain.catch(() => undefined);
    await this.writer?.abort();
  }

  private append(data: Buffer): void {
    this.chain = this.settled(this.chain.then(() => this.writer!.write(data)));
  }

  /** `p`, marked as handled: its failure is awaited by `finish` or `abort`, not reported as unhandled meanwhile. */
  private settled(p: Promise<void>): Promise<void> {
    p.catch(() => undefined);
    return p;
  }
}
