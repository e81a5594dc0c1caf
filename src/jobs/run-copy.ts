/**
 * Runs one claimed copy job: the copy checks (copy-checks.ts; the first failure is the FAILED
 * job's StatusMessage), then RUNNING, the source snapshot copied into the destination vault's
 * repository under the destination vault's key (only the blobs it lacks move; vault/copy.ts),
 * and a COMPLETED destination recovery point that keeps the source's creation date and names
 * its source. The destination may be another region's storage or another account's vault.
 * A job found RUNNING when claimed was left by a process that died: it fails saying so.
 */
import { randomUUID } from 'node:crypto';
import { copyLifecycle, vaultOfArn } from '../backup/copy-jobs.js';
import { firstCopyRefusal, refusalMessage } from '../backup/copy-checks.js';
import type { CopyJobRecord } from '../catalog/job-records.js';
import type { CatalogScope } from '../catalog/scope.js';
import { arns } from '../iam/arn.js';
import { copySnapshots } from '../vault/copy.js';
import type { Id } from '../vault/id.js';
import { RepositoryLock } from '../vault/lock.js';
import type { Repository } from '../vault/repository.js';
import { errorMessage, RESTARTED_MESSAGE } from './job-context.js';
import type { JobRunnerDeps } from './job-context.js';
import { pointRepository } from './vault-repositories.js';

export async function runCopyJob(deps: JobRunnerDeps, job: CopyJobRecord): Promise<void> {
  const { catalog, clock, owner } = deps;
  const scope: CatalogScope = { accountId: job.accountId, region: job.region };
  const now = (): number => clock.now().getTime();
  const finish = (state: 'COMPLETED' | 'FAILED', statusMessage: string | undefined, extra: { bytesTransferred?: number; backupSizeBytes?: number; resultArn?: string } = {}) =>
    catalog.jobs.update('copy', job.id, {
      updatedAt: now(), state, completedAt: now(), releaseLease: true, ...extra,
      ...(statusMessage === undefined ? {} : { statusMessage }), ...(state === 'COMPLETED' ? { percentDone: 100 } : {}),
    }, { leaseOwner: owner });

  if (job.state === 'RUNNING') return void (await finish('FAILED', RESTARTED_MESSAGE));
  const point = await catalog.recoveryPoints.get(scope, job.sourceRecoveryPointArn);
  if (point === undefined || point.snapshotId === undefined) return void (await finish('FAILED', `Copy job failed. Source recovery point ${job.sourceRecoveryPointArn} no longer exists.`));
  const sourceVault = await catalog.vaults.get(scope, point.vaultName);
  let target: ReturnType<typeof vaultOfArn>;
  try {
    target = vaultOfArn(job.destinationVaultArn);
  } catch (err) {
    return void (await finish('FAILED', errorMessage(err)));
  }
  const destScope: CatalogScope = { accountId: target.accountId, region: target.region };
  const destination = await catalog.vaults.get(destScope, target.name);
  if (sourceVault === undefined) return void (await finish('FAILED', `Copy job failed. Source backup vault ${point.vaultName} no longer exists.`));
  if (destination === undefined) return void (await finish('FAILED', `Copy job failed. Destination backup vault ${job.destinationVaultArn} does not exist.`));
  const { lifecycle, calculated } = copyLifecycle(point, job.lifecycle);

  if (deps.copyChecks !== undefined) {
    const refusal = await firstCopyRefusal(deps.copyChecks, { source: point, destination, calculated, now: now() });
    if (refusal !== undefined) return void (await finish('FAILED', refusalMessage(refusal)));
  }

  const startedAt = now();
  await catalog.jobs.update('copy', job.id, { updatedAt: startedAt, state: 'RUNNING', startedAt, percentDone: 0 }, { leaseOwner: owner });
  try {
    const source = await deps.repositories.open(scope, sourceVault, pointRepository(point));
    // The copy is re-encrypted under the destination vault's key, whatever protected the source.
    const key = await deps.repositories.keyFor(destScope, destination, { type: 'copy' });
    const target = await deps.repositories.open(destScope, destination, { create: true, key });
    const [result] = await copySnapshots(source, target, { snapshots: [point.snapshotId] });
    const snapshotId = result?.targetId ?? (result?.copiedBefore === undefined ? undefined : await duplicateSnapshot(target, result.copiedBefore));
    if (snapshotId === undefined) throw new Error(`snapshot ${point.snapshotId} was not copied`);
    const arn = arns.recoveryPoint(destScope, randomUUID());
    await catalog.recoveryPoints.create(destScope, {
      arn, id: arn.slice(arn.lastIndexOf(':') + 1), vaultName: destination.name, vaultArn: destination.arn, resourceArn: point.resourceArn,
      resourceType: point.resourceType, state: 'CREATING', createdAt: point.createdAt, encryptionKeyArn: key.keyArn, calculatedLifecycle: calculated,
      sourceRecoveryPointArn: point.arn, sourceVaultArn: point.vaultArn, jobId: job.id,
      ...(point.resourceName === undefined ? {} : { resourceName: point.resourceName }),
      ...(lifecycle === undefined ? {} : { lifecycle }),
      ...(job.iamRoleArn === undefined ? {} : { iamRoleArn: job.iamRoleArn }),
    });
    await catalog.recoveryPoints.update(destScope, arn, {
      updatedAt: now(), state: 'COMPLETED', completedAt: now(), snapshotId, repositoryKeyId: key.keyId,
      ...(point.backupSizeBytes === undefined ? {} : { backupSizeBytes: point.backupSizeBytes }),
      ...(point.restoreMetadata === undefined ? {} : { restoreMetadata: point.restoreMetadata }),
    });
    await finish('COMPLETED', undefined, { resultArn: arn, bytesTransferred: result?.bytesCopied ?? 0, ...(point.backupSizeBytes === undefined ? {} : { backupSizeBytes: point.backupSizeBytes }) });
  } catch (err) {
    await finish('FAILED', `Copy job failed. Copying ${point.arn} into ${destination.arn} failed: ${errorMessage(err)}`);
  }
}

/**
 * The destination already holds a copy of this snapshot (an earlier copy job): this recovery
 * point gets a snapshot of its own over the same tree, so deleting one copy never takes
 * another's data. No blobs move.
 */
async function duplicateSnapshot(repo: Repository, existing: Id): Promise<Id> {
  const lock = await RepositoryLock.acquire(repo, false);
  try {
    const { id: _id, ...json } = await repo.loadSnapshot(existing);
    return await repo.saveSnapshot(json);
  } finally {
    await lock.release();
  }
}
