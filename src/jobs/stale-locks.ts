/**
 * The locks a dead process left in a vault's repositories. restic refuses an exclusive lock
 * (check, prune) until they go, so when a job is found RUNNING at claim time (its process died)
 * Coffer removes the stale ones, as `restic unlock` does; live locks of other writers stay.
 * A backup's vault, and a copy's source and destination vaults.
 */
import { scopeOf } from '../backup/jobs/job-ledger.js';
import type { BackupJob } from '../backup/jobs/job.js';
import type { CatalogScope } from '../catalog/scope.js';
import { removeLocks } from '../vault/lock.js';
import type { JobRunnerDeps } from './job-context.js';

export async function removeStaleLocks(deps: Pick<JobRunnerDeps, 'catalog' | 'repositories'>, job: BackupJob): Promise<void> {
  await removeStaleVaultLocks(deps, scopeOf(job), job.vaultName);
}

export async function removeStaleVaultLocks(deps: Pick<JobRunnerDeps, 'catalog' | 'repositories'>, scope: CatalogScope, vaultName: string): Promise<void> {
  const vault = await deps.catalog.vaults.get(scope, vaultName);
  if (vault === undefined) return;
  for (const keyId of await deps.repositories.keyIdsOf(vault)) {
    try {
      await removeLocks(await deps.repositories.open(scope, vault, { keyId }), false);
    } catch {
      // No repository yet (the process died before making it), or its key refuses: nothing to unlock.
    }
  }
}
