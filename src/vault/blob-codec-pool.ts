/**
 * A pool of worker threads that seal (compress + encrypt + MAC) and open blobs. Callers get
 * promises; `whenBelow` gives backpressure so memory stays bounded whatever the input size.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { MasterKey } from './crypto.js';
import type { CodecRequest, CodecResponse, SpanBlob } from './blob-codec-protocol.js';
import { asBuffer, transferListOf } from './blob-codec-protocol.js';
import { workerScript } from './worker-script.js';
import { decodeBlob, storeBlob } from './blob-codec.js';
import { ChunkBuffers } from './chunk-buffers.js';
import { restoreSpan, SpanReadError } from './restore-span.js';
import type { RestoreSpanJob, RestoreSpanResult } from './restore-span.js';
import { slabBytesFor, storeSmallFiles } from './small-file-codec.js';
import type { SmallFileResult } from './small-file-codec.js';

const INLINE_BUDGET_BYTES = 4 * 1024 * 1024;

interface Pending {
  resolve(res: CodecResponse): void;
  reject(err: Error): void;
  bytes: number;
  worker: number;
}

/** One stored item as the caller sees it: Buffers instead of transferred views. */
export interface StoreResult {
  readonly id: string;
  /** Sealed bytes, or the plaintext when `sealed` is false (the known-set named it). */
  readonly data: Buffer;
  readonly sealed: boolean;
  readonly uncompressedLength?: number | undefined;
}

export class BlobCodecPool {
  private readonly workers: Worker[] = [];
  private readonly load: number[] = [];
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  private inFlightBytes = 0;
  private waiters: Array<{ limit: number; resolve(): void }> = [];
  private failed: Error | undefined;
  private known: SharedArrayBuffer | undefined;

  /**
   * Memory for chunks: give `store` chunks taken from here and the workers hand it back once the
   * chunks are sealed (see ChunkBuffers).
   */
  readonly buffers = new ChunkBuffers();

  /** Bytes still to be sealed or opened on the calling thread before workers start. */
  private inlineBudget = INLINE_BUDGET_BYTES;

  /**
   * Workers start only when there is real work: the first few small requests (up to 4 MiB in
   * all) run inline, so a backup or restore with little new data never pays for starting threads.
   */
  constructor(
    private readonly key: MasterKey,
    readonly size = defaultPoolSize(),
  ) {}

  /** Whether a request of `bytes` runs on this thread (and uses up that much of the budget). */
  private inline(bytes: number): boolean {
    if (this.workers.length > 0 || this.failed || bytes > this.inlineBudget) return false;
    this.inlineBudget -= bytes;
    return true;
  }

  private start(): void {
    const url = workerScript(import.meta.url, 'blob-codec-worker');
    const { encrypt, macK, macR } = this.key;
    for (let i = 0; i < this.size; i++) {
      const w = new Worker(url, { workerData: { encrypt, macK, macR } });
      w.on('message', (res: CodecResponse) => this.settle(res));
      w.on('error', (err) => this.fail(err));
      w.unref();
      if (this.known) w.postMessage({ seq: 0, op: 'known', table: this.known });
      this.workers.push(w);
      this.load.push(0);
    }
  }

  get bytesInFlight(): number {
    return this.inFlightBytes;
  }

  /**
   * Hashes the items and seals those not named by the known-set (all of them with `force`).
   * Items are transferred to the worker: the caller must not use them afterwards. Items that
   * are returned unsealed (`sealed: false`) are the caller's again, to give `buffers.adopt`.
   */
  async store(items: Buffer[], compress: boolean, force = false): Promise<StoreResult[]> {
    let bytes = 0;
    for (const i of items) bytes += i.length;
    if (this.inline(bytes)) {
      const known = this.known === undefined ? undefined : new BigUint64Array(this.known);
      return items.map((plain) => {
        const i = storeBlob(this.key, plain, compress, force, known);
        if (i.sealed) this.buffers.release(plain);
        return { ...i, data: asBuffer(i.data) };
      });
    }
    const transfer = transferListOf(...items);
    for (const i of items) if (this.buffers.owns(i) && !transfer.includes(i.buffer as ArrayBuffer)) transfer.push(i.buffer as ArrayBuffer);
    const res = await this.submit({ seq: 0, op: 'store', items, compress, force }, bytes, transfer);
    if (!('items' in res)) throw new Error('unexpected codec response');
    for (const u of res.spare) this.buffers.adopt(u);
    return res.items.map((i) => ({ ...i, data: asBuffer(i.data) }));
  }

  /**
   * Reads, hashes and seals whole small files (sizes as the walk saw them) into `slab`, which
   * is handed over; the answer's slab (the same memory, or a bigger one) is the caller's again.
   */
  async storeFiles(
    paths: string[],
    sizes: number[],
    compress: boolean,
    force: boolean,
    slab: Buffer,
  ): Promise<{ files: SmallFileResult[]; slab: Buffer; used: number }> {
    const bytes = slabBytesFor(sizes);
    if (this.inline(bytes)) {
      const known = this.known === undefined ? undefined : new BigUint64Array(this.known);
      const out = storeSmallFiles(this.key, paths, sizes, compress, force, known, slab);
      return { files: out.results, slab: out.slab, used: out.used };
    }
    const res = await this.submit({ seq: 0, op: 'store-files', paths, sizes, compress, force, slab }, bytes, [slab.buffer as ArrayBuffer]);
    if (!('files' in res)) throw new Error('unexpected codec response');
    return { files: res.files, slab: asBuffer(res.slab), used: res.used };
  }

  async decode(sealed: Buffer, compressed: boolean, id?: string): Promise<Buffer> {
    if (this.inline(sealed.length)) return decodeBlob(this.key, sealed, compressed, id);
    const req: CodecRequest = id === undefined ? { seq: 0, op: 'decode', data: sealed, compressed } : { seq: 0, op: 'decode', data: sealed, compressed, id };
    const res = await this.submit(req, sealed.length, transferListOf(sealed));
    if (!('data' in res)) throw new Error('unexpected codec response');
    return asBuffer(res.data);
  }

  /**
   * Opens, decompresses and verifies the given blobs of `span` (typically a whole pack or a
   * range of one) in one worker round trip. `span` is handed over to the worker.
   */
  async decodeMany(span: Buffer, blobs: readonly SpanBlob[]): Promise<Buffer[]> {
    if (this.inline(span.length)) return blobs.map((b) => decodeBlob(this.key, span.subarray(b.offset, b.offset + b.length), b.compressed, b.id));
    const res = await this.submit({ seq: 0, op: 'decode-many', data: span, blobs }, span.length, transferListOf(span));
    if (!('plains' in res)) throw new Error('unexpected codec response');
    return res.plains.map(asBuffer);
  }

  /**
   * A restore's span (restore-span.ts): the worker reads it from `job.packPath` (or takes
   * `data`, handed over), opens and verifies each blob once and writes it into its files.
   * Rejects with SpanReadError when reading the pack file failed.
   */
  async restoreSpan(job: RestoreSpanJob, data?: Buffer): Promise<RestoreSpanResult> {
    if (this.inline(job.length)) return restoreSpan(this.key, job, data);
    const req: CodecRequest = data === undefined ? { seq: 0, op: 'restore-span', job } : { seq: 0, op: 'restore-span', job, data };
    const res = await this.submit(req, job.length, data === undefined ? [] : transferListOf(data));
    if (!('restored' in res)) throw new Error('unexpected codec response');
    return res.restored;
  }

  /** Tells every worker which shared known-ID table to consult. */
  setKnown(table: SharedArrayBuffer): void {
    this.known = table;
    for (const w of this.workers) w.postMessage({ seq: 0, op: 'known', table });
  }

  /** Resolves once the bytes handed to workers and not yet returned are below `limit`. */
  whenBelow(limit: number): Promise<void> {
    if (this.inFlightBytes < limit) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ limit, resolve }));
  }

  /** Stops the workers; work still pending is rejected rather than left hanging. */
  async close(): Promise<void> {
    this.fail(new Error('the blob codec pool was closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }

  private submit(req: CodecRequest, bytes: number, transfer: ArrayBuffer[]): Promise<CodecResponse> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.workers.length === 0) this.start();
    const worker = this.leastLoaded();
    req.seq = ++this.seq;
    this.load[worker]! += bytes;
    this.inFlightBytes += bytes;
    const promise = new Promise<CodecResponse>((resolve, reject) => {
      this.pending.set(req.seq, { resolve, reject, bytes, worker });
    });
    this.workers[worker]!.postMessage(req, transfer);
    if (this.pending.size === 1) this.workers.forEach((w) => w.ref());
    return promise;
  }

  private leastLoaded(): number {
    let best = 0;
    for (let i = 1; i < this.load.length; i++) if (this.load[i]! < this.load[best]!) best = i;
    return best;
  }

  private settle(res: CodecResponse): void {
    const p = this.pending.get(res.seq);
    if (!p) return;
    this.pending.delete(res.seq);
    this.load[p.worker]! -= p.bytes;
    this.inFlightBytes -= p.bytes;
    if (this.pending.size === 0) this.workers.forEach((w) => w.unref());
    if ('error' in res) p.reject(res.readFailed ? new SpanReadError(res.error) : new Error(res.error));
    else p.resolve(res);
    this.wakeWaiters();
  }

  private wakeWaiters(): void {
    if (this.waiters.length === 0) return;
    const still: typeof this.waiters = [];
    for (const w of this.waiters) this.inFlightBytes < w.limit ? w.resolve() : still.push(w);
    this.waiters = still;
  }

  private fail(err: Error): void {
    this.failed ??= err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    this.inFlightBytes = 0;
    this.waiters.splice(0).forEach((w) => w.resolve());
  }
}

export function defaultPoolSize(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}
