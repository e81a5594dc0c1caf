/**
 * The snapshot a dead node's backup job may have written before it died: the job was found
 * RUNNING at claim time, so its recovery point was never completed, yet the snapshot (tagged
 * `coffer:rp=<its recovery point ARN>`) may be in the vault already if the node died between
 * writing it and recording it. Such a snapshot belongs to no recovery point: it goes, so that a
 * failed job keeps nothing and the vault holds one snapshot per completed recovery point. The
 * same for a dead node's copy job, in the destination vault (removeOrphanCopy).
 */
import { vaultOfArn } from '../backup/copy-jobs.js';
import { scopeOf } from '../backup/jobs/job-ledger.js';
import type { BackupJob, CopyJob } from '../backup/jobs/job.js';
import type { RecoveryPoint } from '../backup/jobs/recovery-point.js';
import { everyItem } from '../catalog/pagination.js';
import type { CatalogScope } from '../catalog/scope.js';
import { RepositoryLockedError } from '../vault/errors.js';
import { forgetSnapshots } from '../vault/prune.js';
import type { JobRunnerDeps } from './job-context.js';

const LOCK_RETRY_MS = 1000;
/** About two minutes of waiting, counted in tries (no clock here). */
const LOCK_TRIES = 120;

/** Forgetting needs the repository to itself: other nodes' backups of the vault hold it a while. */
export async function whenUnlocked<T>(fn: () => Promise<T>): Promise<T> {
  for (let tried = 1; ; tried += 1) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof RepositoryLockedError) || tried >= LOCK_TRIES) throw err;
      await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
    }
  }
}

export async function removeOrphanSnapshots(deps: Pick<JobRunnerDeps, 'catalog' | 'repositories'>, job: BackupJob): Promise<number> {
  if (job.recoveryPointArn === undefined) return 0;
  const scope = scopeOf(job);
  const vault = await deps.catalog.vaults.get(scope, job.vaultName);
  if (vault === undefined) return 0;
  const tag = `coffer:rp=${job.recoveryPointArn}`;
  let removed = 0;
  for (const keyId of await deps.repositories.keyIdsOf(vault)) {
    let repo;
    try {
      repo = await deps.repositories.open(scope, vault, { keyId });
    } catch {
      continue; // No repository yet (the node died before making it), or its key refuses.
    }
    const orphans = (await repo.snapshots()).filter((s) => s.tags?.includes(tag) === true).map((s) => s.id);
    if (orphans.length > 0) removed += (await whenUnlocked(() => forgetSnapshots(repo, orphans))).length;
  }
  return removed;
}

/**
 * The copy a dead node's copy job may have written into the destination vault before it died:
 * a snapshot whose `original` is the source point's snapshot, that no recovery point of the
 * destination vault records. It goes, unless another copy of the same point into the same vault
 * is under way (its snapshot may be the one not recorded yet).
 */
export async function removeOrphanCopy(
  deps: Pick<JobRunnerDeps, 'catalog' | 'repositories'>,
  job: CopyJob,
  source: RecoveryPoint,
  /** The source snapshot's own `original` when it is itself a copy (copies carry the first one's). */
  sourceOriginal?: string,
): Promise<number> {
  if (source.snapshotId === undefined) return 0;
  let target: ReturnType<typeof vaultOfArn>;
  try {
    target = vaultOfArn(job.destinationVaultArn);
  } catch {
    return 0;
  }
  const scope: CatalogScope = { accountId: target.accountId, region: target.region };
  const vault = await deps.catalog.vaults.get(scope, target.name);
  if (vault === undefined) return 0;
  const others = await deps.catalog.jobs.list('copy', scopeOf(job), {
    states: ['CREATED', 'RUNNING'],
    sourceRecoveryPointArn: job.sourceRecoveryPointArn,
    destinationVaultArn: job.destinationVaultArn,
  });
  if (others.items.some((other) => other.id !== job.id)) return 0;
  const recorded = new Set<string>();
  for await (const point of everyItem((page) => deps.catalog.recoveryPoints.listByVault(scope, vault.name, {}, page), 100)) {
    if (point.snapshotId !== undefined) recorded.add(point.snapshotId);
  }
  let removed = 0;
  for (const keyId of await deps.repositories.keyIdsOf(vault)) {
    let repo;
    try {
      repo = await deps.repositories.open(scope, vault, { keyId });
    } catch {
      continue;
    }
    const original = sourceOriginal ?? source.snapshotId;
    const orphans = (await repo.snapshots()).filter((s) => !recorded.has(s.id) && s.original === original).map((s) => s.id);
    if (orphans.length > 0) removed += (await whenUnlocked(() => forgetSnapshots(repo, orphans))).length;
  }
  return removed;
}
