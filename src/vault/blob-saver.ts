/**
 * Writes new blobs into packs: dedup against the index and against blobs in flight, seal on the
 * codec pool, fill one pack per blob type, write packs atomically, then index them. Index files
 * are written every few packs so an interrupted backup leaves reusable, indexed data behind.
 */
import type { BlobType, PackedBlob } from './blob.js';
import type { BlobCodecPool, EncodedBlob } from './blob-codec-pool.js';
import { compress } from './compression.js';
import { seal } from './crypto.js';
import { idOf } from './id.js';
import type { Id } from './id.js';
import type { IndexedPack } from './index-file.js';
import { PackBuilder } from './pack.js';
import { Semaphore } from './concurrency.js';
import { packName } from './repository.js';
import type { Repository } from './repository.js';

export interface SaverOptions {
  /** Target pack size in bytes (restic-compatible sizes: 4..128 MiB; default 16 MiB). */
  readonly packSize?: number;
  /** Plaintext bytes handed to workers before `save` callers must wait. */
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

/** Blobs smaller than this are sealed on the calling thread: a worker round trip costs more. */
const INLINE_BELOW = 16 * 1024;
/** Finished packs waiting for the disk before `backpressure` holds callers back. */
const MAX_QUEUED_PACKS = 4;

export class BlobSaver {
  readonly stats: SaverStats = { newBlobs: 0, newDataBlobs: 0, dedupBlobs: 0, newBytes: 0, storedBytes: 0, packs: 0 };
  private readonly inFlight = new Set<string>();
  private readonly builders: Record<BlobType, PackBuilder> = { data: new PackBuilder('data'), tree: new PackBuilder('tree') };
  private readonly tasks = new Set<Promise<unknown>>();
  private unindexed: IndexedPack[] = [];
  private error: Error | undefined;
  private readonly packSize: number;
  private readonly maxInFlight: number;
  private readonly indexEvery: number;
  private readonly writeSlots = new Semaphore(3);
  private queuedPacks = 0;
  private packWaiters: Array<() => void> = [];

  constructor(private readonly repo: Repository, private readonly pool: BlobCodecPool | undefined, options: SaverOptions = {}) {
    this.packSize = options.packSize ?? 16 * 1024 * 1024;
    this.maxInFlight = options.maxInFlight ?? 64 * 1024 * 1024;
    this.indexEvery = options.indexEveryPacks ?? 8;
  }

  /** True when the blob is already stored or on its way. */
  known(type: BlobType, id: Id): boolean {
    return this.repo.index.has(type, id) || this.inFlight.has(type + id);
  }

  /**
   * Stores a blob unless it is known; returns its ID. Does not wait for the write: call
   * `backpressure()` between blobs and `flush()` at the end.
   */
  save(type: BlobType, plain: Buffer, id: Id = idOf(plain)): Id {
    this.throwIfFailed();
    if (this.known(type, id)) {
      this.stats.dedupBlobs++;
      return id;
    }
    this.inFlight.add(type + id);
    this.stats.newBlobs++;
    if (type === 'data') this.stats.newDataBlobs++;
    this.stats.newBytes += plain.length;
    const compressIt = this.repo.compression;
    if (!this.pool || plain.length < INLINE_BELOW) {
      this.add(type, id, this.sealInline(plain, compressIt));
    } else {
      this.track(this.pool.encode(plain, compressIt).then((enc) => this.add(type, id, enc)));
    }
    return id;
  }

  async backpressure(): Promise<void> {
    this.throwIfFailed();
    if (this.pool) await this.pool.whenBelow(this.maxInFlight);
    while (this.queuedPacks > MAX_QUEUED_PACKS) await new Promise<void>((wake) => this.packWaiters.push(wake));
    this.throwIfFailed();
  }

  /** Waits for every blob, writes the partial packs and the index for all new packs. */
  async flush(): Promise<void> {
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
    this.throwIfFailed();
    for (const type of ['data', 'tree'] as const) if (this.builders[type].count > 0) this.finishPack(type);
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
    this.throwIfFailed();
    await this.writeIndex();
  }

  private sealInline(plain: Buffer, compressIt: boolean): EncodedBlob {
    if (compressIt) {
      const z = compress(plain);
      if (z.length < plain.length) return { data: seal(this.repo.key, z), uncompressedLength: plain.length };
    }
    return { data: seal(this.repo.key, plain) };
  }

  private add(type: BlobType, id: Id, enc: EncodedBlob): void {
    const builder = this.builders[type];
    builder.add(id, enc.data, enc.uncompressedLength);
    this.stats.storedBytes += enc.data.length;
    if (builder.byteLength >= this.packSize) this.finishPack(type);
  }

  private finishPack(type: BlobType): void {
    const builder = this.builders[type];
    this.builders[type] = new PackBuilder(type);
    const pack = builder.finish(this.repo.key);
    this.stats.packs++;
    this.queuedPacks++;
    this.track(this.writePack(pack.id, pack.bytes, pack.blobs));
  }

  private async writePack(id: Id, bytes: Buffer, blobs: readonly PackedBlob[]): Promise<void> {
    await this.writeSlots.acquire();
    try {
      await this.repo.store.write(packName(id), bytes);
      this.packWritten(id, blobs);
      if (this.unindexed.length >= this.indexEvery) await this.writeIndex();
    } finally {
      this.writeSlots.release();
      this.queuedPacks--;
      this.packWaiters.splice(0).forEach((wake) => wake());
    }
  }

  private packWritten(packId: Id, blobs: readonly PackedBlob[]): void {
    this.unindexed.push({ id: packId, blobs });
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

  /**
   * After a failure: lets the writes in progress finish and indexes the packs already written,
   * so their data is reused by the next backup. Never throws.
   */
  async abandon(): Promise<void> {
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
    await this.writeIndex().catch(() => undefined);
  }

  private track(p: Promise<unknown>): void {
    const t = p.catch((err: Error) => {
      this.error ??= err;
    }).finally(() => this.tasks.delete(t));
    this.tasks.add(t);
  }

  private throwIfFailed(): void {
    if (this.error) throw this.error;
  }
}
