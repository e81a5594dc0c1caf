/**
 * `forget` and `prune`: removing snapshots, then the data no snapshot uses any more.
 *
 * Prune follows restic 0.14's plan under an exclusive lock: find the blobs the remaining
 * snapshots use; keep packs whose blobs are all used, delete packs none of whose blobs are used,
 * and repack partly used packs (their used blobs are written into new packs). A blob stored in
 * several packs keeps one copy; the other copies count as unused. The order keeps every step
 * crash-safe: unreferenced packs (not in any index) go first; then the new packs are written;
 * then one new full index (kept + new packs) that supersedes every old index file; then the old
 * index files are deleted; the replaced packs are deleted last. A crash at any point leaves a
 * repository where every snapshot is complete (at worst with duplicates the next prune removes).
 *
 * Unlike restic, every partly used pack is repacked (restic tolerates 5% unused space by
 * default), and small or uncompressed-tree packs are not repacked just for being so.
 */
import type { BlobType, PackedBlob } from './blob.js';
import { BlobCodecPool } from './blob-codec-pool.js';
import { BlobSaver } from './blob-saver.js';
import { indexedPackSize } from './checker.js';
import { isId } from './id.js';
import type { Id } from './id.js';
import { RepositoryLock } from './lock.js';
import { MasterIndex } from './master-index.js';
import { packName } from './repository.js';
import type { Repository } from './repository.js';
import { usedBlobs } from './tree-walk.js';
import { VaultError } from './errors.js';

/** Deletes snapshot files; refs are IDs, unique prefixes or `latest`. Returns the IDs removed. */
export async function forgetSnapshots(repo: Repository, refs: readonly string[]): Promise<Id[]> {
  // restic's forget takes an exclusive lock too; it keeps prune from reading half a change.
  const lock = await RepositoryLock.acquire(repo, true);
  try {
    const ids = new Set<Id>();
    for (const ref of refs) ids.add((await repo.findSnapshot(ref)).id);
    for (const id of ids) await repo.removeFile('snapshots', id);
    return [...ids];
  } finally {
    await lock.release();
  }
}

export interface PruneOptions {
  /** Target size of the packs written when repacking (BlobSaver's default otherwise). */
  readonly packSize?: number;
  /** A codec pool for this repository's key; without one, prune starts one if it repacks. */
  readonly pool?: BlobCodecPool;
}

export interface PruneStats {
  /** Snapshots whose data was kept. */
  snapshots: number;
  /** Packs deleted because none of their blobs is used. */
  packsDeleted: number;
  /** Partly used packs whose used blobs were rewritten, then deleted. */
  packsRepacked: number;
  /** Packs in data/ that no index named (left by killed or failed backups and copies), deleted first. */
  unreferencedPacksDeleted: number;
  /** Their bytes (part of bytesDeleted). */
  unreferencedBytesDeleted: number;
  /** Temp files of writers that are gone, removed when the lock was taken. */
  tempFilesRemoved: number;
  tempBytesRemoved: number;
  /** Packs the index named that were missing and held nothing needed: dropped from the index. */
  missingPacksForgotten: number;
  /** New packs written by repacking. */
  packsWritten: number;
  /** Blob entries gone from the index (unused blobs and extra copies). */
  blobsRemoved: number;
  /** Of those, extra copies of blobs stored more than once. */
  duplicatesRemoved: number;
  /** Used blobs rewritten into new packs. */
  blobsRepacked: number;
  bytesDeleted: number;
  bytesWritten: number;
  /** bytesDeleted - bytesWritten. */
  bytesFreed: number;
  indexFilesWritten: number;
  indexFilesDeleted: number;
}

/** One pack of the index and what prune does with it. */
interface PackPlan {
  readonly id: Id;
  readonly size: number;
  readonly blobs: readonly PackedBlob[];
  /** The used blobs whose kept copy is in this pack. */
  readonly keep: PackedBlob[];
  unused: number;
  duplicates: number;
}

interface Plan {
  readonly keep: PackPlan[];
  readonly remove: PackPlan[];
  readonly repack: PackPlan[];
  /** Missing packs that hold nothing needed. */
  readonly forget: Id[];
  /** Packs in data/ that no index names, with their sizes. */
  readonly unreferenced: Map<Id, number>;
}

function keyOf(type: BlobType, id: Id): string {
  return `${type}:${id}`;
}

function emptyStats(): PruneStats {
  return {
    snapshots: 0,
    packsDeleted: 0,
    packsRepacked: 0,
    unreferencedPacksDeleted: 0,
    unreferencedBytesDeleted: 0,
    tempFilesRemoved: 0,
    tempBytesRemoved: 0,
    missingPacksForgotten: 0,
    packsWritten: 0,
    blobsRemoved: 0,
    duplicatesRemoved: 0,
    blobsRepacked: 0,
    bytesDeleted: 0,
    bytesWritten: 0,
    bytesFreed: 0,
    indexFilesWritten: 0,
    indexFilesDeleted: 0,
  };
}

async function packSizes(repo: Repository): Promise<Map<Id, number>> {
  const sizes = new Map<Id, number>();
  for (const info of await repo.store.list('data/')) {
    const id = info.name.slice(info.name.lastIndexOf('/') + 1);
    if (isId(id)) sizes.set(id, info.size);
  }
  return sizes;
}

/** Classifies packs given the used blobs; throws when used data is missing or a pack is suspect. */
function planPrune(index: MasterIndex, used: ReadonlySet<string>, sizes: ReadonlyMap<Id, number>): Plan {
  const present: PackPlan[] = [];
  const forget: Id[] = [];
  for (const { id, blobs } of index.allPacks()) {
    const size = sizes.get(id);
    if (size === undefined) forget.push(id);
    else present.push({ id, size, blobs, keep: [], unused: 0, duplicates: 0 });
  }
  const copies = countCopies(present, used);
  const notFound = [...used].filter((k) => !copies.has(k));
  if (notFound.length > 0) {
    throw new VaultError(
      'PruneDataMissing',
      `${notFound.length} blobs that snapshots use are in no existing pack (e.g. ${notFound.slice(0, 3).join(', ')}): `
        + 'prune stopped before deleting anything; run `coffer vault check` to see which snapshots are damaged',
    );
  }
  chooseCopies(present, used, copies);
  const plan: Plan = { keep: [], remove: [], repack: [], forget, unreferenced: new Map() };
  for (const p of present) {
    if (p.keep.length === 0) plan.remove.push(p);
    else if (p.unused === 0) plan.keep.push(p);
    else plan.repack.push(p);
    if (p.keep.length > 0 && indexedPackSize(p.blobs) !== p.size) {
      throw new VaultError(
        'PruneSizeMismatch',
        `pack ${p.id} has ${p.size} bytes, but the index describes ${indexedPackSize(p.blobs)}: `
          + 'prune stopped before deleting anything; run `coffer vault check --read-data`, then `restic rebuild-index`',
      );
    }
  }
  for (const [id, size] of sizes) if (!index.hasPack(id)) plan.unreferenced.set(id, size);
  return plan;
}

/** How many stored copies each used blob has. */
function countCopies(packs: readonly PackPlan[], used: ReadonlySet<string>): Map<string, number> {
  const copies = new Map<string, number>();
  for (const p of packs) {
    for (const b of p.blobs) {
      const k = keyOf(b.type, b.id);
      if (used.has(k)) copies.set(k, (copies.get(k) ?? 0) + 1);
    }
  }
  return copies;
}

/**
 * Picks one copy of every used blob (restic's rule: single copies first; a duplicated blob stays
 * in a pack that keeps other blobs anyway, else in its last copy). Every other entry is unused.
 */
function chooseCopies(packs: readonly PackPlan[], used: ReadonlySet<string>, copies: Map<string, number>): void {
  const duplicated: Array<{ pack: PackPlan; blob: PackedBlob }> = [];
  for (const p of packs) {
    for (const b of p.blobs) {
      const k = keyOf(b.type, b.id);
      if (!used.has(k)) p.unused++;
      else if (copies.get(k) === 1) p.keep.push(b);
      else duplicated.push({ pack: p, blob: b });
    }
  }
  const chosen = new Set<string>();
  for (const { pack, blob } of duplicated) {
    const k = keyOf(blob.type, blob.id);
    const left = copies.get(k)!;
    if (!chosen.has(k) && (pack.keep.length > 0 || left === 1)) {
      chosen.add(k);
      pack.keep.push(blob);
    } else {
      pack.unused++;
      pack.duplicates++;
    }
    copies.set(k, left - 1);
  }
}

/** Reads each partly used pack and writes its kept blobs into new packs. */
async function repack(repo: Repository, packs: readonly PackPlan[], saver: BlobSaver): Promise<void> {
  for (const p of packs) {
    const bytes = await repo.store.read(packName(p.id));
    for (const b of p.keep) {
      let plain: Buffer;
      try {
        plain = repo.decodeBlob(b, bytes.subarray(b.offset, b.offset + b.length));
      } catch (err) {
        throw new VaultError(
          'PruneDamagedBlob',
          `${b.type} blob ${b.id} in pack ${p.id} is damaged (${(err as Error).message}): `
            + 'prune stopped before deleting anything; run `coffer vault check --read-data`',
        );
      }
      saver.save(b.type, plain, b.id);
      await saver.backpressure();
    }
  }
  await saver.flush();
}

/** Writes the new packs and the new full index; returns the IDs of the index files replaced. */
async function rewrite(repo: Repository, plan: Plan, options: PruneOptions, stats: PruneStats): Promise<Id[]> {
  const fresh = new MasterIndex();
  for (const p of plan.keep) fresh.addPack({ id: p.id, blobs: p.blobs });
  // The saver deduplicates against repo.index: it must see only the packs that stay, or the
  // blobs of repacked packs would count as stored and be lost with those packs.
  repo.replaceIndex(fresh, []);
  if (plan.repack.length > 0) {
    const pool = options.pool ?? new BlobCodecPool(repo.key);
    try {
      const saver = new BlobSaver(repo, pool, options.packSize ? { packSize: options.packSize } : {});
      await repack(repo, plan.repack, saver);
      stats.blobsRepacked = saver.stats.newBlobs;
    } finally {
      if (!options.pool) await pool.close();
    }
  }
  const kept = new Set(plan.keep.map((p) => p.id));
  for (const p of fresh.allPacks()) {
    if (kept.has(p.id)) continue;
    stats.packsWritten++;
    stats.bytesWritten += indexedPackSize(p.blobs);
  }
  // Every index file now present is replaced: the old ones and those the saver wrote.
  const obsolete = await repo.listFiles('index');
  const written = await repo.saveIndex(fresh.allPacks(), obsolete);
  repo.replaceIndex(fresh, written);
  stats.indexFilesWritten = written.length;
  return obsolete;
}

async function removePacks(repo: Repository, ids: Iterable<Id>): Promise<void> {
  for (const id of ids) await repo.removeFile('data', id);
}

/** Removes the data no snapshot uses; see the file comment for the plan and its order. */
export async function prune(repo: Repository, options: PruneOptions = {}): Promise<Readonly<PruneStats>> {
  const lock = await RepositoryLock.acquire(repo, true);
  try {
    // Under the exclusive lock nothing changes underneath: load what is there now.
    await repo.reloadIndex();
    const snapshots = await repo.snapshots();
    const blobs = await usedBlobs(
      repo,
      snapshots.map((s) => s.tree),
    );
    const used = new Set<string>([...[...blobs.data].map((id) => keyOf('data', id)), ...[...blobs.tree].map((id) => keyOf('tree', id))]);
    const plan = planPrune(repo.index, used, await packSizes(repo));
    const stats = emptyStats();
    stats.tempFilesRemoved = lock.swept.files;
    stats.tempBytesRemoved = lock.swept.bytes;
    stats.snapshots = snapshots.length;
    stats.missingPacksForgotten = plan.forget.length;
    // A removed pack keeps nothing, so its blobs are all counted in `unused`.
    stats.blobsRemoved =
      [...plan.remove, ...plan.repack].reduce((n, p) => n + p.unused, 0) + plan.forget.reduce((n, id) => n + (repo.index.packBlobs(id)?.length ?? 0), 0);
    stats.duplicatesRemoved = [...plan.keep, ...plan.remove, ...plan.repack].reduce((n, p) => n + p.duplicates, 0);

    await removeUnreferenced(repo, plan, stats);
    if (plan.remove.length + plan.repack.length + plan.forget.length === 0) return finishStats(stats);

    let obsolete: Id[];
    try {
      obsolete = await rewrite(repo, plan, options, stats);
    } catch (err) {
      await repo.reloadIndex().catch(() => undefined);
      throw err;
    }
    for (const id of obsolete) await repo.removeFile('index', id);
    stats.indexFilesDeleted = obsolete.length;
    await removePacks(
      repo,
      [...plan.remove, ...plan.repack].map((p) => p.id),
    );
    stats.packsDeleted = plan.remove.length;
    stats.packsRepacked = plan.repack.length;
    stats.bytesDeleted += [...plan.remove, ...plan.repack].reduce((n, p) => n + p.size, 0);
    return finishStats(stats);
  } finally {
    await lock.release();
  }
}

/** Packs no index names hold nothing any snapshot can use: restic deletes them first. */
async function removeUnreferenced(repo: Repository, plan: Plan, stats: PruneStats): Promise<void> {
  await removePacks(repo, plan.unreferenced.keys());
  stats.unreferencedPacksDeleted = plan.unreferenced.size;
  for (const size of plan.unreferenced.values()) stats.unreferencedBytesDeleted += size;
  stats.bytesDeleted += stats.unreferencedBytesDeleted;
}

function finishStats(stats: PruneStats): PruneStats {
  stats.bytesFreed = stats.bytesDeleted - stats.bytesWritten;
  return stats;
}
