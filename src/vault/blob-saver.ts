/**
 * Writes new blobs into packs: dedup against the index and against blobs in flight, hash and
 * seal on the codec pool (workers skip chunks a shared known-set already names), fill one pack
 * per blob type, write packs atomically, then index them. Index files are written every few
 * packs so an interrupted backup leaves reusable, indexed data behind.
 */
import type { BlobType } from './blob.js';
import type { BlobCodecPool, StoreResult } from './blob-codec-pool.js';
import type { ChunkAllocator } from './chunker.js';
import { compress } from './compression.js';
import { Semaphore } from './concurrency.js';
import { seal } from './crypto.js';
import { idOf } from './id.js';
import type { Id } from './id.js';
import type { IndexedPack } from './index-file.js';
import { PackWriter } from './pack-writer.js';
import type { Repository } from './repository.js';
import { SharedIdSet } from './shared-id-set.js';
import { SMALL_FILE_MAX, slabBytesFor } from './small-file-codec.js';
import type { SmallFileResult } from './small-file-codec.js';

export interface SaverOptions {
  /** Target pack size in bytes (restic-compatible sizes: 4..128 MiB; default 16 MiB). */
  readonly packSize?: number;
  /** Plaintext bytes handed to workers before `backpressure` holds callers back. */
  readonly maxInFlight?: number;
  /** Write an index file after this many new packs. */
  readonly indexEveryPacks?: number;
}

export interface SaverStats {
  newBlobs: number;
  /** New data (file content) blobs; the rest of `newBlobs` are trees. */
  newDataBlobs: number;
  dedupBlobs: number;
  /** Plaintext bytes of new blobs. */
  newBytes: number;
  /** Bytes written into packs (sealed, compressed). */
  storedBytes: number;
  packs: number;
}

interface Sealed {
  readonly data: Buffer;
  readonly uncompressedLength?: number | undefined;
}

interface Batched {
  readonly plain: Buffer;
  resolve(id: Id): void;
  reject(err: Error): void;
}

/** What became of a small file handed to `saveSmallFile`. */
export type SmallFileOutcome =
  | { readonly content: Id[]; readonly size: number }
  /** It grew past the small-file size since the walk: chunk it the usual way. */
  | { readonly grown: true }
  /** It could not be read (errno code and message). */
  | { readonly code: string; readonly message: string };

interface FileJob {
  readonly path: string;
  readonly size: number;
  resolve(outcome: SmallFileOutcome): void;
  reject(err: Error): void;
}

/** Small files go to a worker in batches of at most this many bytes (walk-time sizes) or files. */
const FILE_BATCH_BYTES = 2 * 1024 * 1024;
const FILE_BATCH_COUNT = 256;
/** Every batch's slab has this size (unless a file grew), so slabs are reused batch after batch. */
const SLAB_SIZE = slabBytesFor([FILE_BATCH_BYTES, SMALL_FILE_MAX]) + FILE_BATCH_COUNT * 32;
const IDLE_SLABS = 8;

/** Chunks smaller than this travel to workers in batches: one message per blob costs too much. */
const BATCH_BELOW = 256 * 1024;
const BATCH_BYTES = 1024 * 1024;
const BATCH_COUNT = 128;
/** Finished packs waiting for the disk before `backpressure` holds callers back. */
const MAX_QUEUED_PACKS = 2;

export class BlobSaver {
  readonly stats: SaverStats = { newBlobs: 0, newDataBlobs: 0, dedupBlobs: 0, newBytes: 0, storedBytes: 0, packs: 0 };
  private readonly inFlight = new Set<string>();
  private readonly knownSet: SharedIdSet | undefined;
  private readonly packs: Record<BlobType, PackWriter | undefined> = { data: undefined, tree: undefined };
  private readonly tasks = new Set<Promise<unknown>>();
  private unindexed: IndexedPack[] = [];
  private batch: Batched[] = [];
  private batchBytes = 0;
  private batchTimer: NodeJS.Immediate | undefined;
  private files: FileJob[] = [];
  private filesBytes = 0;
  private filesTimer: NodeJS.Immediate | undefined;
  private readonly idleSlabs: Buffer[] = [];
  private error: Error | undefined;
  private readonly packSize: number;
  private readonly maxInFlight: number;
  private readonly indexEvery: number;
  private readonly writeSlots = new Semaphore(2);
  private queuedPacks = 0;
  private packWaiters: Array<() => void> = [];

  constructor(
    private readonly repo: Repository,
    private readonly pool: BlobCodecPool | undefined,
    options: SaverOptions = {},
  ) {
    this.packSize = options.packSize ?? 16 * 1024 * 1024;
    this.maxInFlight = options.maxInFlight ?? 12 * 1024 * 1024;
    this.indexEvery = options.indexEveryPacks ?? 4;
    if (pool) {
      this.knownSet = new SharedIdSet(repo.index.blobCount('data') * 2 + 1024);
      for (const id of repo.index.ids('data')) this.knownSet.add(id);
      pool.setKnown(this.knownSet.buffer);
    }
  }

  /** Memory for the chunks given to `saveData` (reused once they are sealed), if there are workers. */
  get chunkBuffers(): ChunkAllocator | undefined {
    return this.pool?.buffers;
  }

  /** True when the blob is already stored or on its way. */
  known(type: BlobType, id: Id): boolean {
    return this.repo.index.has(type, id) || this.inFlight.has(type + id);
  }

  /**
   * Stores a blob whose ID the caller knows (trees, copy, repack) unless it is known. Does not
   * wait for the write: call `backpressure()` between blobs and `flush()` at the end.
   */
  save(type: BlobType, plain: Buffer, id: Id = idOf(plain)): Id {
    this.throwIfFailed();
    if (this.known(type, id)) {
      this.stats.dedupBlobs++;
      return id;
    }
    if (!this.pool || plain.length < BATCH_BELOW) {
      this.add(type, id, this.sealInline(plain));
    } else {
      this.markInFlight(type, id);
      this.track(
        this.pool.store([plain], this.repo.compression, true).then(([r]) => {
          if (r!.id !== id) throw new Error(`blob ${id} changed on its way to the worker (hashes to ${r!.id})`);
          this.append(type, id, r!);
        }),
      );
    }
    return id;
  }

  /** Stores a tree blob (sealed on this thread; trees are small) and returns its ID. */
  saveTree(plain: Buffer): Id {
    return this.save('tree', plain);
  }

  /**
   * Stores a chunk of file data: hashed and sealed on a worker. The chunk is handed over. The
   * promise may be awaited late: a failure also surfaces through `backpressure` and `flush`.
   */
  saveData(plain: Buffer): Promise<Id> {
    const p = this.saveDataNow(plain);
    p.catch(() => undefined);
    return p;
  }

  private saveDataNow(plain: Buffer): Promise<Id> {
    this.throwIfFailed();
    if (!this.pool) return Promise.resolve(this.save('data', plain));
    if (plain.length >= BATCH_BELOW) return this.submit([plain]).then(([id]) => id!);
    return new Promise<Id>((resolve, reject) => {
      this.batch.push({ plain, resolve, reject });
      this.batchBytes += plain.length;
      if (this.batchBytes >= BATCH_BYTES || this.batch.length >= BATCH_COUNT) this.flushBatch();
      else this.batchTimer ??= setImmediate(() => this.flushBatch());
    });
  }

  /** Whether small files can be handed over whole (`saveSmallFile`): only with a codec pool. */
  get takesSmallFiles(): boolean {
    return this.pool !== undefined;
  }

  /**
   * Stores a whole file of at most SMALL_FILE_MAX bytes (`size` as the walk saw it): read,
   * hashed and sealed on a worker together with other small files. The promise may be awaited
   * late: a failure also surfaces through `backpressure` and `flush`.
   */
  saveSmallFile(path: string, size: number): Promise<SmallFileOutcome> {
    this.throwIfFailed();
    const p = new Promise<SmallFileOutcome>((resolve, reject) => {
      this.files.push({ path, size, resolve, reject });
      this.filesBytes += Math.min(size, SMALL_FILE_MAX);
      if (this.filesBytes >= FILE_BATCH_BYTES || this.files.length >= FILE_BATCH_COUNT) this.flushFiles();
      else this.filesTimer ??= setImmediate(() => this.flushFiles());
    });
    p.catch(() => undefined);
    return p;
  }

  private flushFiles(): void {
    if (this.filesTimer) clearImmediate(this.filesTimer);
    this.filesTimer = undefined;
    if (this.files.length === 0) return;
    const jobs = this.files;
    this.files = [];
    this.filesBytes = 0;
    this.storeFiles(jobs, false);
  }

  private storeFiles(jobs: FileJob[], force: boolean): void {
    const sizes = jobs.map((j) => j.size);
    const p = this.pool!.storeFiles(
      jobs.map((j) => j.path),
      sizes,
      this.repo.compression,
      force,
      this.takeSlab(slabBytesFor(sizes)),
    ).then((out) => this.acceptFiles(jobs, out.files, out.slab));
    p.catch((err: Error) => jobs.forEach((j) => j.reject(err)));
    this.track(p);
  }

  /** Takes a worker's answer for a batch of small files: dedups, packs runs of sealed blobs, settles each file. */
  private acceptFiles(jobs: readonly FileJob[], results: readonly SmallFileResult[], slab: Buffer): void {
    const written: Array<Promise<void>> = [];
    let run: Array<{ id: Id; length: number; uncompressedLength?: number | undefined }> = [];
    let runStart = 0;
    let runEnd = 0;
    const endRun = (): void => {
      if (run.length > 0) written.push(this.appendRun('data', run, slab.subarray(runStart, runEnd)));
      run = [];
    };
    results.forEach((r, i) => {
      const job = jobs[i]!;
      if (!('id' in r)) return job.resolve(r);
      if (r.size === 0) return job.resolve({ content: [], size: 0 });
      if (this.known('data', r.id)) {
        this.stats.dedupBlobs++;
        return job.resolve({ content: [r.id], size: r.size });
      }
      if (!r.sealed) {
        // A false hit of the shared known-set: read the file again, and seal it this time.
        return this.storeFiles([job], true);
      }
      this.markInFlight('data', r.id);
      if (run.length > 0 && r.offset !== runEnd) endRun();
      if (run.length === 0) runStart = r.offset;
      run.push({ id: r.id, length: r.length, uncompressedLength: r.uncompressedLength });
      runEnd = r.offset + r.length;
      this.stats.newBlobs++;
      this.stats.newDataBlobs++;
      this.stats.newBytes += r.uncompressedLength ?? r.length - 32;
      this.stats.storedBytes += r.length;
      if ((this.packs.data?.byteLength ?? 0) + (runEnd - runStart) >= this.packSize) endRun();
      job.resolve({ content: [r.id], size: r.size });
    });
    endRun();
    void Promise.all(written).then(() => this.releaseSlab(slab));
  }

  private appendRun(type: BlobType, run: Array<{ id: Id; length: number; uncompressedLength?: number | undefined }>, data: Buffer): Promise<void> {
    const pack = (this.packs[type] ??= new PackWriter(type, this.repo.store.openWriter()));
    const written = pack.addRun(run, data);
    if (pack.byteLength >= this.packSize) this.finishPack(type);
    return written;
  }

  private takeSlab(bytes: number): Buffer {
    const idle = this.idleSlabs.pop();
    if (idle && idle.length >= bytes) return idle;
    return Buffer.allocUnsafeSlow(Math.max(bytes, SLAB_SIZE));
  }

  private releaseSlab(slab: Buffer): void {
    if (slab.length === SLAB_SIZE && this.idleSlabs.length < IDLE_SLABS) this.idleSlabs.push(slab);
  }

  async backpressure(): Promise<void> {
    this.throwIfFailed();
    if (this.pool) await this.pool.whenBelow(this.maxInFlight);
    while (this.queuedPacks > MAX_QUEUED_PACKS) await new Promise<void>((wake) => this.packWaiters.push(wake));
    this.throwIfFailed();
  }

  /** Waits for every blob, writes the partial packs and the index for all new packs. */
  async flush(): Promise<void> {
    this.flushBatch();
    this.flushFiles();
    await this.settle();
    this.throwIfFailed();
    for (const type of ['data', 'tree'] as const) if (this.packs[type]) this.finishPack(type);
    await this.settle();
    this.throwIfFailed();
    await this.writeIndex();
  }

  /**
   * After a failure: lets the writes in progress finish and indexes the packs already written,
   * so their data is reused by the next backup. Never throws.
   */
  async abandon(): Promise<void> {
    this.flushBatch();
    this.flushFiles();
    await this.settle();
    for (const type of ['data', 'tree'] as const) await this.packs[type]?.abort();
    await this.writeIndex().catch(() => undefined);
  }

  private async settle(): Promise<void> {
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
  }

  private flushBatch(): void {
    if (this.batchTimer) clearImmediate(this.batchTimer);
    this.batchTimer = undefined;
    if (this.batch.length === 0) return;
    const batch = this.batch;
    this.batch = [];
    this.batchBytes = 0;
    this.submit(batch.map((b) => b.plain)).then(
      (ids) => batch.forEach((b, i) => b.resolve(ids[i]!)),
      (err: Error) => batch.forEach((b) => b.reject(err)),
    );
  }

  private submit(items: Buffer[]): Promise<Id[]> {
    const p = this.pool!.store(items, this.repo.compression).then((results) => results.map((r) => this.accept(r)));
    this.track(p);
    return p;
  }

  /** Takes a worker's answer for one data chunk; returns its ID. */
  private accept(r: StoreResult): Id {
    if (this.known('data', r.id)) {
      this.stats.dedupBlobs++;
      if (!r.sealed) this.pool!.buffers.adopt(r.data); // handed back to us, referenced nowhere else
      return r.id;
    }
    this.markInFlight('data', r.id);
    if (r.sealed) this.append('data', r.id, r);
    else this.track(this.pool!.store([r.data], this.repo.compression, true).then(([s]) => this.append('data', s!.id, s!)));
    return r.id;
  }

  private markInFlight(type: BlobType, id: Id): void {
    this.inFlight.add(type + id);
    if (type === 'data' && this.knownSet?.add(id)) this.pool!.setKnown(this.knownSet.buffer);
  }

  private sealInline(plain: Buffer): Sealed {
    if (this.repo.compression) {
      const z = compress(plain);
      if (z.length < plain.length) return { data: seal(this.repo.key, z), uncompressedLength: plain.length };
    }
    return { data: seal(this.repo.key, plain) };
  }

  private add(type: BlobType, id: Id, sealed: Sealed): void {
    this.markInFlight(type, id);
    this.append(type, id, sealed);
  }

  private append(type: BlobType, id: Id, sealed: Sealed): void {
    this.stats.newBlobs++;
    if (type === 'data') this.stats.newDataBlobs++;
    this.stats.newBytes += sealed.uncompressedLength ?? sealed.data.length - 32;
    const pack = (this.packs[type] ??= new PackWriter(type, this.repo.store.openWriter()));
    pack.add(id, sealed.data, sealed.uncompressedLength);
    this.stats.storedBytes += sealed.data.length;
    if (pack.byteLength >= this.packSize) this.finishPack(type);
  }

  private finishPack(type: BlobType): void {
    const pack = this.packs[type]!;
    this.packs[type] = undefined;
    this.stats.packs++;
    this.queuedPacks++;
    this.track(this.writePack(pack));
  }

  private async writePack(pack: PackWriter): Promise<void> {
    await this.writeSlots.acquire();
    try {
      const { id, blobs } = await pack.finish(this.repo.key);
      this.unindexed.push({ id, blobs });
      if (this.unindexed.length >= this.indexEvery) await this.writeIndex();
    } finally {
      this.writeSlots.release();
      this.queuedPacks--;
      this.packWaiters.splice(0).forEach((wake) => wake());
    }
  }

  /**
   * Indexes written packs. Only then do their blobs enter the repository's in-memory index:
   * until an index file names them, another saver must not deduplicate against them, and a
   * failed backup must not leave the index promising blobs that no index file lists.
   */
  private async writeIndex(): Promise<void> {
    if (this.unindexed.length === 0) return;
    const packs = this.unindexed;
    this.unindexed = [];
    await this.repo.saveIndex(packs);
    for (const pack of packs) {
      this.repo.index.addPack(pack);
      for (const b of pack.blobs) this.inFlight.delete(b.type + b.id);
    }
  }

  private track(p: Promise<unknown>): void {
    const t = p
      .catch((err: Error) => {
        this.error ??= err;
      })
      .finally(() => this.tasks.delete(t));
    this.tasks.add(t);
  }

  private throwIfFailed(): void {
    if (this.error) throw this.error;
  }
}
