/**
 * Deleting a recovery point's data: forget its snapshot in the repository that holds it (the
 * vault's, or for a COLD point the one in its region's cold storage) and prune what no other
 * snapshot uses, then the ledger erases the point (row and tags). Erasures of one process run
 * one at a time (prune takes the repository's exclusive lock anyway). DeleteRecoveryPoint
 * queues an erasure and answers at once; lifecycle expiry waits for it and learns whether it
 * failed.
 */
import type { JobLedger } from '../backup/jobs/job-ledger.js';
import type { RecoveryPoint } from '../backup/jobs/recovery-point.js';
import type { Catalog } from '../catalog/catalog.js';
import type { CatalogScope } from '../catalog/scope.js';
import { forgetSnapshots, prune } from '../vault/prune.js';
import type { Repository } from '../vault/repository.js';
import { errorMessage } from './job-context.js';
import type { VaultRepositories } from './vault-repositories.js';
import { pointRepository } from './vault-repositories.js';

/** Forgets the snapshot (when still there) and prunes what no other snapshot uses. */
export async function forgetAndPrune(repo: Repository, snapshotId: string): Promise<void> {
  const present = (await repo.snapshots()).some((s) => s.id === snapshotId);
  if (present) await forgetSnapshots(repo, [snapshotId]);
  await prune(repo);
}

export interface EraserDeps {
  readonly catalog: Pick<Catalog, 'vaults'>;
  readonly ledger: JobLedger;
  readonly repositories: VaultRepositories;
}

export function createRecoveryPointEraser(deps: EraserDeps, warn: (line: string) => void) {
  let queue: Promise<void> = Promise.resolve();
  const eraseData = async (scope: CatalogScope, point: RecoveryPoint): Promise<void> => {
    const vault = await deps.catalog.vaults.get(scope, point.vaultName);
    if (vault !== undefined && point.snapshotId !== undefined) {
      // A COLD point's snapshot is in its region's cold storage (the point records where).
      await forgetAndPrune(await deps.repositories.open(scope, vault, pointRepository(point)), point.snapshotId);
    }
    if (vault !== undefined && point.warmSnapshotId !== undefined) {
      // A move to cold storage that had not yet forgotten the warm copy.
      await forgetAndPrune(await deps.repositories.open(scope, vault, { keyId: point.repositoryKeyId }), point.warmSnapshotId);
    }
    await deps.ledger.removePoint(scope, point, 'erase');
  };
  const serialized = (scope: CatalogScope, point: RecoveryPoint): Promise<void> => {
    const result = queue.then(() => eraseData(scope, point));
    queue = result.catch(() => undefined);
    return result;
  };
  return {
    /** Queues the erasure; a failure is logged and the point goes back to COMPLETED with the reason. */
    erase(scope: CatalogScope, point: RecoveryPoint): void {
      void serialized(scope, point).catch(async (err: unknown) => {
        warn(`coffer: deleting recovery point ${point.arn} failed: ${errorMessage(err)}`);
        await deps.ledger.stepPoint(scope, point, { type: 'deletionFailed', reason: errorMessage(err) }).catch(() => undefined);
      });
    },
    /** Erases now (after erasures already queued); rejects with the cause when it could not. */
    eraseNow: serialized,
    /** Resolves when every erasure asked for so far has ended. */
    idle: (): Promise<void> => queue,
  };
}
