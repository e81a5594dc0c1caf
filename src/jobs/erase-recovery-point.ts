/**
 * Deleting a recovery point's data: forget its snapshot in the vault repository and prune what
 * no other snapshot uses, then drop its catalog row. Erasures of one process run one at a time
 * (prune takes the repository's exclusive lock anyway). DeleteRecoveryPoint queues an erasure
 * and answers at once; lifecycle expiry waits for it and learns whether it failed.
 */
import type { RecoveryPointRecord } from '../catalog/recovery-points.js';
import type { CatalogScope } from '../catalog/scope.js';
import { forgetSnapshots, prune } from '../vault/prune.js';
import { errorMessage } from './job-context.js';
import type { JobRunnerDeps } from './job-context.js';

export function createRecoveryPointEraser(deps: Pick<JobRunnerDeps, 'catalog' | 'clock' | 'repositories'>, warn: (line: string) => void) {
  let queue: Promise<void> = Promise.resolve();
  const eraseData = async (scope: CatalogScope, point: RecoveryPointRecord): Promise<void> => {
    const vault = await deps.catalog.vaults.get(scope, point.vaultName);
    if (vault !== undefined && point.snapshotId !== undefined) {
      const repo = await deps.repositories.open(scope, vault, point.repositoryKeyId === undefined ? {} : { keyId: point.repositoryKeyId });
      const present = (await repo.snapshots()).some((s) => s.id === point.snapshotId);
      if (present) await forgetSnapshots(repo, [point.snapshotId]);
      await prune(repo);
    }
    await deps.catalog.transaction(async (tx) => {
      await tx.recoveryPoints.delete(scope, point.arn);
      await tx.tags.deleteAll(scope, point.arn);
    });
  };
  const serialized = (scope: CatalogScope, point: RecoveryPointRecord): Promise<void> => {
    const result = queue.then(() => eraseData(scope, point));
    queue = result.catch(() => undefined);
    return result;
  };
  return {
    /** Queues the erasure; a failure is logged and the point goes back to COMPLETED with the reason. */
    erase(scope: CatalogScope, point: RecoveryPointRecord): void {
      void serialized(scope, point).catch(async (err: unknown) => {
        warn(`coffer: deleting recovery point ${point.arn} failed: ${errorMessage(err)}`);
        await deps.catalog.recoveryPoints.update(scope, point.arn, { updatedAt: deps.clock.now().getTime(), state: 'COMPLETED', statusMessage: `Deletion failed: ${errorMessage(err)}` }).catch(() => undefined);
      });
    },
    /** Erases now (after erasures already queued); rejects with the cause when it could not. */
    eraseNow: serialized,
    /** Resolves when every erasure asked for so far has ended. */
    idle: (): Promise<void> => queue,
  };
}
