/**
 * The snapshot a dead node's backup job may have written before it died: the job was found
 * RUNNING at claim time, so its recovery point was never completed, yet the snapshot (tagged
 * `coffer:rp=<its recovery point ARN>`) may be in the vault already if the node died between
 * writing it and recording it. Such a snapshot belongs to no recovery point: it goes, so that a
 * failed job keeps nothing and the vault holds one snapshot per completed recovery point.
 */
import { scopeOf } from '../backup/jobs/job-ledger.js';
import type { BackupJob } from '../backup/jobs/job.js';
import { RepositoryLockedError } from '../vault/errors.js';
import { forgetSnapshots } from '../vault/prune.js';
import type { JobRunnerDeps } from './job-context.js';

const LOCK_RETRY_MS = 1000;
/** About two minutes of waiting, counted in tries (no clock here). */
const LOCK_TRIES = 120;

/** Forgetting needs the repository to itself: other nodes' backups of the vault hold it a while. */
async function whenUnlocked<T>(fn: () => Promise<T>): Promise<T> {
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
