/**
 * FaultyBlobStore: wraps another BlobStore and injects failures, for tests of the vault engine's
 * error handling. It can fail the Nth write from now or every write whose name matches a
 * predicate (before or after the bytes reach the inner store), fail removals whose name matches,
 * and corrupt one byte of reads.
 * It counts every call by method.
 */

import type { BlobData, BlobInfo, BlobStore, BlobWriter, TempSweep } from './blob-store.js';
import { BufferedBlobWriter } from './buffered-blob-writer.js';

/** The error thrown for an injected failure. */
export class InjectedFaultError extends Error {
  constructor(
    readonly blobName: string,
    what: string,
  ) {
    super(`injected fault: ${what} ${blobName}`);
    this.name = 'InjectedFaultError';
  }
}

export type NamePredicate = (name: string) => boolean;

export class FaultyBlobStore implements BlobStore {
  /** Calls per method, including failed ones. */
  readonly calls = { write: 0, read: 0, stat: 0, list: 0, remove: 0 };
  /** Fail writes whose name matches. */
  failWriteIf: NamePredicate | undefined;
  /** If true, failing writes store the bytes first and then throw (a lost acknowledgement). */
  failAfterWrite = false;
  /** Fail removals whose name matches (the file stays). */
  failRemoveIf: NamePredicate | undefined;
  /** Flip the bits of one byte (the middle one) in reads whose name matches. */
  corruptReadIf: NamePredicate | undefined;
  private failAtWrite: number | undefined;

  constructor(readonly inner: BlobStore) {}

  get location(): string {
    return this.inner.location;
  }

  /** Makes the `n`th write from now fail (1 = the next write). */
  failNthWrite(n: number): void {
    this.failAtWrite = this.calls.write + n;
  }

  /** Clears every injected fault (counters are kept). */
  heal(): void {
    this.failWriteIf = undefined;
    this.failRemoveIf = undefined;
    this.corruptReadIf = undefined;
    this.failAtWrite = undefined;
    this.failAfterWrite = false;
  }

  async write(name: string, data: BlobData): Promise<void> {
    const n = ++this.calls.write;
    const fail = n === this.failAtWrite || this.failWriteIf?.(name) === true;
    if (!fail) return this.inner.write(name, data);
    if (this.failAfterWrite) await this.inner.write(name, data);
    throw new InjectedFaultError(name, `write #${n} of`);
  }

  async openWriter(): Promise<BlobWriter> {
    return new BufferedBlobWriter((name, data) => this.write(name, data));
  }

  async read(name: string, offset?: number, length?: number): Promise<Buffer> {
    this.calls.read++;
    const data = await this.inner.read(name, offset, length);
    if (data.length > 0 && this.corruptReadIf?.(name) === true) {
      const at = data.length >> 1;
      data[at] = (data[at] ?? 0) ^ 0xff;
    }
    return data;
  }

  async stat(name: string): Promise<BlobInfo | undefined> {
    this.calls.stat++;
    return this.inner.stat(name);
  }

  async list(prefix: string): Promise<BlobInfo[]> {
    this.calls.list++;
    return this.inner.list(prefix);
  }

  async remove(name: string): Promise<void> {
    const n = ++this.calls.remove;
    if (this.failRemoveIf?.(name) === true) throw new InjectedFaultError(name, `remove #${n} of`);
    return this.inner.remove(name);
  }

  async removeDeadTemp(): Promise<TempSweep> {
    return this.inner.removeDeadTemp?.() ?? { files: 0, bytes: 0 };
  }
}
