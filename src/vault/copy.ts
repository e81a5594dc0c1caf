/**
 * `copy`: moves snapshots from one repository to another (another password, so another master
 * key), like `restic copy`. Only blobs the destination lacks move: each is loaded from the
 * source (decrypted and verified), then stored in the destination (compressed and encrypted
 * with its key). The snapshot is written last, after its data and index, with `original` set
 * to the source snapshot's own original (or its ID), so a second copy recognizes it.
 *
 * Both repositories get a shared lock: copy only adds to the destination, as a backup does.
 */
import type { BlobLocation, BlobType } from './blob.js';
import { BlobCodecPool } from './blob-codec-pool.js';
import { BlobSaver } from './blob-saver.js';
import { packSpans, spanRange } from './pack-spans.js';
import type { Id } from './id.js';
import { RepositoryLock } from './lock.js';
import { packName } from './repository.js';
import type { Repository } from './repository.js';
import type { Snapshot, SnapshotJson } from './snapshot.js';
import { parseNanos } from './time-format.js';
import { walkTrees } from './tree-walk.js';

export interface CopyOptions {
  /** Source snapshot IDs (full); all source snapshots when omitted. */
  readonly snapshots?: readonly Id[];
  /** A codec pool for the destination's key; without one, copy starts its own. */
  readonly pool?: BlobCodecPool;
  /** Pack size for the destination (BlobSaver's default otherwise). */
  readonly packSize?: number;
  /**
   * Stops the copy between two reads of the source (a node shutting down, a lost lease): the
   * packs already written are indexed, no snapshot is written, the locks are released, and the
   * copy rejects with the signal's reason. The destination stays restic-checkable.
   */
  readonly signal?: AbortSignal | undefined;
}

export interface CopyResult {
  readonly sourceId: Id;
  /** The new snapshot in the destination; absent when the snapshot was copied before. */
  readonly targetId?: Id;
  /** The destination snapshot that already is a copy of this one. */
  readonly copiedBefore?: Id;
  /** Blobs (data and tree) that moved for this snapshot. */
  readonly blobsCopied: number;
  /** Their plaintext bytes. */
  readonly bytesCopied: number;
}

/** Neighbouring blobs in one source pack closer than this are read with one request. */
const MAX_READ_GAP = 256 * 1024;

function sameSet(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const x = [...(a ?? [])].sort();
  const y = [...(b ?? [])].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function sameTime(a: string, b: string): boolean {
  try {
    return parseNanos(a) === parseNanos(b);
  } catch {
    return a === b;
  }
}

/** restic's `similarSnapshots`: everything but parent and original matches. */
function similar(a: Snapshot, b: Snapshot): boolean {
  return (
    a.tree === b.tree
    && sameTime(a.time, b.time)
    && (a.hostname ?? '') === (b.hostname ?? '')
    && (a.username ?? '') === (b.username ?? '')
    && (a.uid ?? 0) === (b.uid ?? 0)
    && (a.gid ?? 0) === (b.gid ?? 0)
    && sameSet(a.paths, b.paths)
    && sameSet(a.tags, b.tags)
    && JSON.stringify(a.excludes ?? []) === JSON.stringify(b.excludes ?? [])
  );
}

/**
 * The destination snapshot that already is a copy of `source`: restic's rule (a similar snapshot
 * whose original, or ID, is the source's original), or else an identical one (similar and the
 * same Coffer metadata) that was made some other way; copying it would only add a duplicate.
 */
function findCopy(targets: readonly Snapshot[], source: Snapshot): Snapshot | undefined {
  const original = source.original ?? source.id;
  return (
    targets.find((t) => (t.original === original || t.id === original) && similar(t, source))
    ?? targets.find((t) => similar(t, source) && JSON.stringify(t.coffer ?? {}) === JSON.stringify(source.coffer ?? {}))
  );
}

/** The snapshot as written into the destination: no parent, `original` set. */
function copiedSnapshot(source: Snapshot): SnapshotJson {
  const { id, parent: _parent, ...rest } = source;
  return { ...rest, original: source.original ?? id };
}

interface Needed {
  readonly type: BlobType;
  readonly loc: BlobLocation;
}

/** Blobs of the snapshot's trees the destination lacks, grouped by source pack. */
async function missingBlobs(src: Repository, saver: BlobSaver, root: Id, visited: Set<Id>): Promise<Map<Id, Needed[]>> {
  const byPack = new Map<Id, Needed[]>();
  const seen = new Set<string>();
  const need = (type: BlobType, id: Id): void => {
    if (seen.has(type + id) || saver.known(type, id)) return;
    seen.add(type + id);
    const loc = src.requireBlob(type, id);
    const list = byPack.get(loc.packId) ?? [];
    list.push({ type, loc });
    byPack.set(loc.packId, list);
  };
  await walkTrees(
    src,
    [root],
    {
      tree(id, nodes) {
        need('tree', id);
        for (const n of nodes) if (n.type === 'file' && n.content) for (const b of n.content) need('data', b);
      },
      treeError(id, error) {
        throw new Error(`tree ${id} of the source cannot be read (${error.message}): run \`coffer vault check\` on the source`);
      },
    },
    visited,
  );
  return byPack;
}

/**
 * Loads the needed blobs from the source (read a span at a time, opened and verified on the
 * source's codec pool) and stores them in the destination, re-encrypted under its key.
 */
async function moveBlobs(src: Repository, srcPool: BlobCodecPool, saver: BlobSaver, byPack: ReadonlyMap<Id, Needed[]>, signal?: AbortSignal): Promise<void> {
  for (const [pack, blobs] of byPack) {
    for (const span of packSpans(blobs, MAX_READ_GAP)) {
      signal?.throwIfAborted();
      const { start, end } = spanRange(span);
      const bytes = await src.store.read(packName(pack), start, end - start);
      const plains = await srcPool.decodeMany(
        bytes,
        span.map(({ loc }) => ({
          offset: loc.offset - start,
          length: loc.length,
          compressed: loc.uncompressedLength !== undefined,
          id: loc.id,
        })),
      );
      for (const [i, { type, loc }] of span.entries()) {
        saver.save(type, plains[i]!, loc.id);
        await saver.backpressure();
      }
    }
  }
}

async function sourceSnapshots(src: Repository, ids: readonly Id[] | undefined): Promise<Snapshot[]> {
  if (ids) return Promise.all([...new Set(ids)].map((id) => src.loadSnapshot(id)));
  return (await src.snapshots()).reverse(); // oldest first
}

/** Copies snapshots from `src` to `dst`; see the file comment. */
export async function copySnapshots(src: Repository, dst: Repository, options: CopyOptions = {}): Promise<CopyResult[]> {
  const srcLock = await RepositoryLock.acquire(src, false, { sweep: false });
  try {
    const dstLock = await RepositoryLock.acquire(dst, false);
    let pool: BlobCodecPool | undefined;
    const srcPool = new BlobCodecPool(src.key);
    try {
      pool = options.pool ?? new BlobCodecPool(dst.key);
      await Promise.all([src.loadIndex(), dst.loadIndex()]);
      const saver = new BlobSaver(dst, pool, options.packSize ? { packSize: options.packSize } : {});
      const targets = await dst.snapshots();
      const visited = new Set<Id>();
      const results: CopyResult[] = [];
      for (const source of await sourceSnapshots(src, options.snapshots)) {
        const existing = findCopy(targets, source);
        if (existing) {
          results.push({ sourceId: source.id, copiedBefore: existing.id, blobsCopied: 0, bytesCopied: 0 });
          continue;
        }
        const before = { blobs: saver.stats.newBlobs, bytes: saver.stats.newBytes };
        try {
          await moveBlobs(src, srcPool, saver, await missingBlobs(src, saver, source.tree, visited), options.signal);
          await saver.flush();
          options.signal?.throwIfAborted();
        } catch (err) {
          // Stopped or failed mid-way: what was written is indexed (reused by the next copy), no snapshot.
          await saver.abandon();
          throw err;
        }
        const json = copiedSnapshot(source);
        const targetId = await dst.saveSnapshot(json);
        targets.push({ ...json, id: targetId });
        results.push({
          sourceId: source.id,
          targetId,
          blobsCopied: saver.stats.newBlobs - before.blobs,
          bytesCopied: saver.stats.newBytes - before.bytes,
        });
      }
      return results;
    } finally {
      if (!options.pool) await pool?.close();
      await srcPool.close();
      await dstLock.release();
    }
  } finally {
    await srcLock.release();
  }
}
