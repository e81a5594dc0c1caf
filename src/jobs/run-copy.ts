/**
 * Runs one claimed copy job: the copy checks (copy-checks.ts; the first failure is the FAILED
 * job's StatusMessage), then RUNNING, the source snapshot copied into the destination vault's
 * repository under the destination vault's key (only the blobs it lacks move; vault/copy.ts),
 * and a COMPLETED destination recovery point that keeps the source's creation date and names
 * its source, written with the job's completion. The destination may be another region's
 * storage or another account's vault. A job found RUNNING when claimed was left by a process
 * that died: it fails saying so.
 */
import { firstCopyRefusal, refusalMessage } from '../backup/copy-checks.js';
import { copyLifecycle, vaultOfArn } from '../backup/copy-jobs.js';
import type { Claim } from '../backup/jobs/job-ledger.js';
import { scopeOf } from '../backup/jobs/job-ledger.js';
import type { CalculatedLifecycle } from '../backup/jobs/lifecycle.js';
import type { RecoveryPoint } from '../backup/jobs/recovery-point.js';
import type { CatalogScope } from '../catalog/scope.js';
import type { VaultRecord } from '../catalog/vaults.js';
import { arns } from '../iam/arn.js';
import { copySnapshots } from '../vault/copy.js';
import type { Id } from '../vault/id.js';
import { RepositoryLock } from '../vault/lock.js';
import type { Repository } from '../vault/repository.js';
import { errorMessage, LeaseLostError, NodeStoppingError, RESTARTED_MESSAGE, roleProblemOf } from './job-context.js';
import type { JobRunnerDeps } from './job-context.js';
import { removeOrphanCopy } from './orphan-snapshots.js';
import { removeStaleVaultLocks } from './stale-locks.js';
import { pointRepository } from './vault-repositories.js';

const date = (ms: number | undefined): Date | undefined => (ms === undefined ? undefined : new Date(ms));

/** The copy's lifecycle (copy-jobs.ts counts in epoch milliseconds), as the destination point's dates. */
function lifecycleOfCopy(point: RecoveryPoint, requested: Parameters<typeof copyLifecycle>[1]) {
  const { lifecycle, calculated } = copyLifecycle(
    {
      createdAt: point.createdAt.getTime(),
      lifecycle: point.lifecycle,
      calculatedLifecycle: {
        deleteAt: point.calculatedLifecycle.deleteAt?.getTime(),
        moveToColdStorageAt: point.calculatedLifecycle.moveToColdStorageAt?.getTime(),
      },
    },
    requested,
  );
  const dates: CalculatedLifecycle = { deleteAt: date(calculated.deleteAt), moveToColdStorageAt: date(calculated.moveToColdStorageAt) };
  return { lifecycle, calculated, dates };
}

export async function runCopyJob(deps: JobRunnerDeps, claim: Claim<'copy'>, signal?: AbortSignal): Promise<void> {
  const { ledger } = deps;
  const job = claim.job;
  const scope = scopeOf(job);
  const fail = async (statusMessage: string) => void (await ledger.step(claim, { type: 'fail', statusMessage }));

  if (job.state === 'RUNNING') return settleDeadCopy(deps, claim);
  const point = await ledger.point(scope, job.sourceRecoveryPointArn);
  if (point === undefined || point.snapshotId === undefined)
    return fail(`Copy job failed. Source recovery point ${job.sourceRecoveryPointArn} no longer exists.`);
  const sourceVault = await deps.catalog.vaults.get(scope, point.vaultName);
  let target: ReturnType<typeof vaultOfArn>;
  try {
    target = vaultOfArn(job.destinationVaultArn);
  } catch (err) {
    return fail(errorMessage(err));
  }
  const destScope: CatalogScope = { accountId: target.accountId, region: target.region };
  const destination = await deps.catalog.vaults.get(destScope, target.name);
  if (sourceVault === undefined) return fail(`Copy job failed. Source backup vault ${point.vaultName} no longer exists.`);
  if (destination === undefined) return fail(`Copy job failed. Destination backup vault ${job.destinationVaultArn} does not exist.`);
  const roleProblem = await roleProblemOf(deps, {
    kind: 'copy',
    accountId: job.accountId,
    roleArn: job.iamRoleArn,
    resourceType: point.resourceType,
    resourceArn: destination.arn,
  });
  if (roleProblem !== undefined) return fail(`Copy job failed. ${roleProblem}`);
  const { lifecycle, calculated, dates } = lifecycleOfCopy(point, job.lifecycle);

  if (deps.copyChecks !== undefined) {
    const source = { ...point, createdAt: point.createdAt.getTime() };
    const refusal = await firstCopyRefusal(deps.copyChecks, { source, destination, calculated, now: deps.clock.now().getTime() });
    if (refusal !== undefined) return fail(refusalMessage(refusal));
  }

  if ((await ledger.step(claim, { type: 'start' })) === undefined) return;
  try {
    await copyInto(deps, claim, point, sourceVault, destScope, destination, { lifecycle, dates }, signal);
  } catch (err) {
    const reason = signal?.aborted === true ? signal.reason : err;
    // Taken over by another node: the job is that node's now (the lease guard refuses this one's writes anyway).
    if (reason instanceof LeaseLostError) return deps.warn?.(`coffer: copy job ${job.id} stopped: ${reason.message}`);
    if (reason instanceof NodeStoppingError)
      return fail(
        `Copy job stopped: ${reason.message} while copying ${point.arn} into ${destination.arn}. Nothing was recorded and no snapshot was written (the data already copied is reused by the next copy); start the copy again.`,
      );
    await fail(`Copy job failed. Copying ${point.arn} into ${destination.arn} failed: ${errorMessage(err)}`);
  }
}

/**
 * A copy job found RUNNING at claim time: its node died mid-copy. The stale locks it left in the
 * source and destination vaults go (restic would refuse check and prune until they do), the job
 * fails saying so, then the snapshot it may have written into the destination without recording
 * it goes too; the packs it uploaded stay unreferenced until the vault's next prune, as after an
 * interrupted `restic copy`, and the vault stays restic-checkable.
 */
async function settleDeadCopy(deps: JobRunnerDeps, claim: Claim<'copy'>): Promise<void> {
  const job = claim.job;
  const scope = scopeOf(job);
  const point = await deps.ledger.point(scope, job.sourceRecoveryPointArn);
  let target: ReturnType<typeof vaultOfArn> | undefined;
  try {
    target = vaultOfArn(job.destinationVaultArn);
  } catch {
    target = undefined;
  }
  if (point !== undefined) await removeStaleVaultLocks(deps, scope, point.vaultName);
  if (target !== undefined) await removeStaleVaultLocks(deps, { accountId: target.accountId, region: target.region }, target.name);
  if ((await deps.ledger.step(claim, { type: 'fail', statusMessage: RESTARTED_MESSAGE })) === undefined || point === undefined) return;
  try {
    const sourceVault = await deps.catalog.vaults.get(scope, point.vaultName);
    let original: string | undefined;
    if (sourceVault !== undefined && point.snapshotId !== undefined) {
      const source = await deps.repositories.open(scope, sourceVault, pointRepository(point));
      original = (await source.loadSnapshot(point.snapshotId as Id)).original ?? undefined;
    }
    await removeOrphanCopy(deps, job, point, original);
  } catch (err) {
    deps.warn?.(`coffer: the copy that copy job ${job.id} may have left in ${job.destinationVaultArn} was not removed: ${errorMessage(err)}`);
  }
}

/** The copy itself, then the destination point and the job's completion together. */
async function copyInto(
  deps: JobRunnerDeps,
  claim: Claim<'copy'>,
  point: RecoveryPoint,
  sourceVault: VaultRecord,
  destScope: CatalogScope,
  destination: VaultRecord,
  life: { readonly lifecycle: RecoveryPoint['lifecycle']; readonly dates: CalculatedLifecycle },
  signal: AbortSignal | undefined,
): Promise<void> {
  const job = claim.job;
  const source = await deps.repositories.open(scopeOf(job), sourceVault, pointRepository(point));
  // The copy is re-encrypted under the destination vault's key, whatever protected the source.
  const key = await deps.repositories.keyFor(destScope, destination, { type: 'copy' });
  const target = await deps.repositories.open(destScope, destination, { create: true, key });
  const [result] = await copySnapshots(source, target, { snapshots: [point.snapshotId!], signal });
  const snapshotId = result?.targetId ?? (result?.copiedBefore === undefined ? undefined : await duplicateSnapshot(target, result.copiedBefore));
  if (snapshotId === undefined) throw new Error(`snapshot ${point.snapshotId} was not copied`);
  const arn = arns.recoveryPoint(destScope, deps.ids.uuid());
  await deps.ledger.transaction(async (tx) => {
    const made = await tx.createPoint(destScope, {
      arn,
      id: arn.slice(arn.lastIndexOf(':') + 1),
      vaultName: destination.name,
      vaultArn: destination.arn,
      resourceArn: point.resourceArn,
      resourceType: point.resourceType,
      createdAt: point.createdAt,
      encryptionKeyArn: key.keyArn,
      calculatedLifecycle: life.dates,
      sourceRecoveryPointArn: point.arn,
      sourceVaultArn: point.vaultArn,
      jobId: job.id,
      resourceName: point.resourceName,
      lifecycle: life.lifecycle,
      iamRoleArn: job.iamRoleArn,
      // A copy made by a rule's copy action shows that rule, as its source does.
      createdBy: job.createdBy,
    });
    // As AWS does, the copy carries every tag its source has (RecoveryPointTags and any added since), in any region or account.
    const tags = await tx.stores.tags.get(scopeOf(job), point.arn);
    if (Object.keys(tags).length > 0) await tx.stores.tags.tag(destScope, arn, tags);
    await tx.stepPoint(destScope, made, {
      type: 'complete',
      snapshotId,
      repositoryKeyId: key.keyId,
      backupSizeBytes: point.backupSizeBytes,
      restoreMetadata: point.restoreMetadata,
    });
    await tx.step(claim, {
      type: 'complete',
      resultArn: arn,
      encryptionKeyArn: key.keyArn,
      bytesTransferred: result?.bytesCopied ?? 0,
      backupSizeBytes: point.backupSizeBytes,
    });
  });
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
