/**
 * Moving a recovery point to its region's cold storage location at its MoveToColdStorageAt.
 * The cold repository of a vault and key is `<cold root>/<account>/<vault>/<key id>/repo/`, the
 * warm layout under another root, opened with the warm repository's password (one password per
 * vault and key in the catalog, wherever the repository lies). Without a cold location for the
 * region only the StorageClass changes.
 *
 * The order keeps the data in at least one place at every step:
 * 1. copy the snapshot into the cold repository (vault/copy.ts; a re-run finds it there);
 * 2. verify it there: the snapshot loads, every tree decodes, every blob is indexed, every pack
 *    it needs exists;
 * 3. record it: COLD, the cold location, the cold snapshot id, and the warm snapshot as still to
 *    forget (`warmSnapshotId`);
 * 4. forget and prune the warm snapshot, then clear `warmSnapshotId`.
 * A crash before 3 leaves the point WARM (data in both; the next tick finds the copy and goes
 * on); a crash after 3 leaves it COLD with its warm snapshot pending, which the next tick
 * forgets. The warm copy also waits while a restore of the point is running (restores take no
 * repository lock) or the warm repository is locked.
 */
import type { JobLedger } from '../backup/jobs/job-ledger.js';
import type { RecoveryPoint } from '../backup/jobs/recovery-point.js';
import { vaultStorageLocation } from '../backup/vault-storage.js';
import type { Catalog } from '../catalog/catalog.js';
import type { CatalogScope } from '../catalog/scope.js';
import type { VaultRecord } from '../catalog/vaults.js';
import { copySnapshots } from '../vault/copy.js';
import { RepositoryLockedError } from '../vault/errors.js';
import type { Id } from '../vault/id.js';
import { RepositoryLock } from '../vault/lock.js';
import { packName } from '../vault/repository.js';
import type { Repository } from '../vault/repository.js';
import { walkTrees } from '../vault/tree-walk.js';
import { MOVABLE } from '../backup/jobs/recovery-point-transitions.js';
import { everyItem } from '../catalog/pagination.js';
import { forgetAndPrune } from './erase-recovery-point.js';
import { errorMessage } from './job-context.js';
import type { VaultRepositories } from './vault-repositories.js';

export interface ColdMoverDeps {
  readonly catalog: Catalog;
  readonly ledger: JobLedger;
  readonly repositories: VaultRepositories;
  /** The region's cold storage root as a storage URL (`file:/mnt/cold/vaults`), undefined when it has none. */
  readonly coldRoot: (region: string) => string | undefined;
  readonly warn: (line: string) => void;
}

/** What the mover reads of a point (no dates: it acts on where the data is). */
export type ColdCandidate = Pick<
  RecoveryPoint,
  'arn' | 'vaultName' | 'state' | 'storageClass' | 'statusMessage' | 'snapshotId' | 'warmSnapshotId' | 'resourceArn' | 'repositoryKeyId'
>;

/**
 * Moves (or finishes moving) one point; true when it is COLD afterwards, false when it must
 * wait (its backup still running, or it was deleted meanwhile). Rejects when the move failed;
 * the point then stays WARM with its data where it was.
 */
export type ColdMover = (scope: CatalogScope, point: ColdCandidate) => Promise<boolean>;

export function createColdMover(deps: ColdMoverDeps): ColdMover {
  const { catalog, ledger, repositories } = deps;

  /** Step 4; a repository busy or a restore reading the warm copy leaves it for a later tick. */
  const forgetWarm = async (scope: CatalogScope, vault: VaultRecord, point: ColdCandidate, warmId: string): Promise<void> => {
    if (await restoreRunning(ledger, scope, point)) return;
    try {
      await forgetAndPrune(await repositories.open(scope, vault, { keyId: point.repositoryKeyId }), warmId);
    } catch (err) {
      if (!(err instanceof RepositoryLockedError))
        deps.warn(`coffer: forgetting the warm copy of ${point.arn} after its move to cold storage failed (retried at the next tick): ${errorMessage(err)}`);
      return;
    }
    await ledger.stepPoint(scope, point, { type: 'forgetWarm' });
  };

  return async (scope, point) => {
    const vault = await catalog.vaults.get(scope, point.vaultName);
    if (point.warmSnapshotId !== undefined) {
      if (vault !== undefined) await forgetWarm(scope, vault, point, point.warmSnapshotId);
      return true;
    }
    if (point.storageClass !== 'WARM') return true;
    const root = deps.coldRoot(scope.region);
    if (root === undefined) {
      await ledger.stepPoint(scope, point, { type: 'moveToCold' });
      return true;
    }
    if (!MOVABLE.includes(point.state) || point.snapshotId === undefined) return false;
    if (vault === undefined) throw new Error(`backup vault ${point.vaultName} no longer exists`);
    const location = vaultStorageLocation(root, scope.accountId, vault.name);
    const warm = await repositories.open(scope, vault, { keyId: point.repositoryKeyId });
    const cold = await repositories.open(scope, vault, { keyId: point.repositoryKeyId, location, create: true });
    const coldId = await copyInto(ledger, scope, point, location, warm, cold);
    await verifySnapshot(cold, coldId);
    const recorded = await ledger.stepPoint(scope, point, { type: 'moveToCold', moved: { location, snapshotId: coldId } });
    if (recorded === undefined) {
      // Deleted (or being deleted) while it moved: the cold copy is nobody's.
      await forgetAndPrune(cold, coldId).catch(() => undefined);
      return false;
    }
    await forgetWarm(scope, vault, { ...point, ...recorded }, point.snapshotId);
    return true;
  };
}

/**
 * Step 1: the cold snapshot of this point. A copy made before (an interrupted move) is reused,
 * unless another recovery point already owns it (two copies of one source in a vault look the
 * same): then this point gets a snapshot of its own over the same tree.
 */
async function copyInto(ledger: JobLedger, scope: CatalogScope, point: ColdCandidate, location: string, warm: Repository, cold: Repository): Promise<Id> {
  const [result] = await copySnapshots(warm, cold, { snapshots: [point.snapshotId!] });
  if (result?.targetId !== undefined) return result.targetId;
  const existing = result?.copiedBefore;
  if (existing === undefined) throw new Error(`snapshot ${point.snapshotId} was not copied`);
  if (!(await ownedByAnother(ledger, scope, point, location, existing))) return existing;
  const lock = await RepositoryLock.acquire(cold, false);
  try {
    const { id: _id, ...json } = await cold.loadSnapshot(existing);
    return await cold.saveSnapshot(json);
  } finally {
    await lock.release();
  }
}

async function ownedByAnother(ledger: JobLedger, scope: CatalogScope, point: ColdCandidate, location: string, snapshotId: Id): Promise<boolean> {
  for await (const p of everyItem((page) => ledger.pointsByVault(scope, point.vaultName, {}, page))) {
    if (p.arn !== point.arn && p.snapshotId === snapshotId && p.storageLocation === location) return true;
  }
  return false;
}

/** Step 2: the snapshot loads, its trees decode, and every blob it names is indexed in a pack that exists. */
export async function verifySnapshot(repo: Repository, id: Id): Promise<void> {
  await repo.reloadIndex();
  const snapshot = await repo.loadSnapshot(id);
  const packs = new Set<Id>();
  await walkTrees(repo, [snapshot.tree], {
    tree(treeId, nodes) {
      packs.add(repo.requireBlob('tree', treeId).packId);
      for (const n of nodes) if (n.type === 'file' && n.content) for (const b of n.content) packs.add(repo.requireBlob('data', b).packId);
    },
    treeError(treeId, error) {
      throw new Error(`the cold copy of snapshot ${id} is unreadable: tree ${treeId}: ${error.message}`);
    },
  });
  for (const pack of packs) {
    if (!(await repo.store.stat(packName(pack)))) throw new Error(`the cold copy of snapshot ${id} is incomplete: pack ${pack} is missing`);
  }
}

/** A restore reads the repository without a lock: the warm copy stays while one of this point runs. */
async function restoreRunning(ledger: JobLedger, scope: CatalogScope, point: ColdCandidate): Promise<boolean> {
  for await (const job of everyItem((page) => ledger.jobs('restore', scope, { states: ['RUNNING'], resourceArn: point.resourceArn }, page))) {
    if (job.recoveryPointArn === point.arn) return true;
  }
  return false;
}
