/**
 * Runs one claimed backup job: RUNNING, a CREATING recovery point, one restic snapshot made by
 * the resource type's connector (tagged with the recovery point, resource and job; the newest
 * earlier snapshot of the same resource is its parent), then COMPLETED with sizes and restore
 * metadata; or FAILED with a StatusMessage. A job found RUNNING when claimed was
 * left by a process that died: it fails (its snapshot was never written, so nothing is half-kept).
 */
import type { BackupJobRecord } from '../catalog/job-records.js';
import type { CatalogScope } from '../catalog/scope.js';
import { calculateLifecycle } from '../backup/lifecycle-rules.js';
import { lockRefusal } from '../backup/vault-lock.js';
import { startCopyActions } from '../backup/copy-jobs.js';
import { parseArn } from '../iam/arn.js';
import { connectorFor } from '../connectors/registry.js';
import { ConnectorError } from '../connectors/connector.js';
import type { Connector } from '../connectors/connector.js';
import { COMPLETION_WINDOW_MESSAGE, retryDelayMs, START_WINDOW_MESSAGE } from '../backup/jobs/job-windows.js';
import { RepositoryLockedError } from '../vault/errors.js';
import { removeLocks } from '../vault/lock.js';
import { forgetSnapshots } from '../vault/prune.js';
import { newProgress } from '../vault/progress.js';
import { errorMessage, RESTARTED_MESSAGE } from './job-context.js';
import type { JobRunnerDeps } from './job-context.js';

const PROGRESS_EVERY_MS = 1000;

/** The completion window's message when the scheduler stopped the job, else StopBackupJob's. */
function stopMessage(current: string | undefined, byStopBackupJob: string): string {
  return current === COMPLETION_WINDOW_MESSAGE ? COMPLETION_WINDOW_MESSAGE : byStopBackupJob;
}

/** Failures worth another attempt in the start window: the vault busy, the source unreachable for now. */
function isTransient(err: unknown): boolean {
  if (err instanceof RepositoryLockedError) return true;
  if (err instanceof ConnectorError) return err.kind === 'Unavailable';
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAGAIN', 'EBUSY', 'EHOSTUNREACH'].includes(code);
}

export async function runBackupJob(deps: JobRunnerDeps, job: BackupJobRecord): Promise<void> {
  const { catalog, clock, owner } = deps;
  const scope: CatalogScope = { accountId: job.accountId, region: job.region };
  const now = (): number => clock.now().getTime();
  const finish = async (state: 'COMPLETED' | 'FAILED' | 'ABORTED' | 'EXPIRED', statusMessage: string | undefined, extra: { bytesTransferred?: number; backupSizeBytes?: number } = {}): Promise<void> => {
    await catalog.jobs.update('backup', job.id, {
      updatedAt: now(), state, completedAt: now(), releaseLease: true, ...extra,
      ...(statusMessage === undefined ? {} : { statusMessage }), ...(state === 'COMPLETED' ? { percentDone: 100 } : {}),
    }, { leaseOwner: owner });
    if (state !== 'COMPLETED' && job.recoveryPointArn !== undefined) await catalog.recoveryPoints.delete(scope, job.recoveryPointArn);
  };

  if (job.state === 'ABORTING') return finish('ABORTED', stopMessage(job.statusMessage, 'Stopped by StopBackupJob.'));
  if (job.state === 'RUNNING') {
    await removeStaleLocks(deps, scope, job.vaultName);
    return finish('FAILED', RESTARTED_MESSAGE);
  }
  if (job.startBy !== undefined && now() > job.startBy) return finish('EXPIRED', job.attempts > 1 && job.statusMessage !== undefined ? `${START_WINDOW_MESSAGE} ${job.statusMessage}` : START_WINDOW_MESSAGE);
  const vault = await catalog.vaults.get(scope, job.vaultName);
  if (vault === undefined) return finish('FAILED', `Backup vault ${job.vaultName} was deleted before the job ran.`);
  const lockRefused = lockRefusal(vault.lock, job.lifecycle?.deleteAfterDays, now());
  if (lockRefused !== undefined) return finish('FAILED', `Backup job failed: the recovery point's retention does not meet the vault lock of backup vault ${vault.name}. ${lockRefused}`);
  const resource = await deps.resources(job.resourceArn);
  if (resource === undefined) return finish('FAILED', `Resource ${job.resourceArn} is no longer in the config.`);
  const rpArn = job.recoveryPointArn;
  if (rpArn === undefined) return finish('FAILED', 'The job has no recovery point ARN (internal inconsistency).');

  const startedAt = now();
  await catalog.jobs.update('backup', job.id, { updatedAt: startedAt, state: 'RUNNING', startedAt, percentDone: 0 }, { leaseOwner: owner });
  await catalog.recoveryPoints.create(scope, {
    arn: rpArn, id: parseArn(rpArn)?.resource.replace(/^recovery-point:/, '') ?? rpArn, vaultName: vault.name, vaultArn: vault.arn,
    resourceArn: resource.arn, resourceType: resource.type, resourceName: resource.name, state: 'CREATING', createdAt: startedAt,
    encryptionKeyArn: vault.encryptionKeyArn, jobId: job.id, calculatedLifecycle: calculateLifecycle(startedAt, job.lifecycle),
    ...(job.lifecycle === undefined ? {} : { lifecycle: job.lifecycle }),
    ...(job.iamRoleArn === undefined ? {} : { iamRoleArn: job.iamRoleArn }),
    ...(job.createdBy === undefined ? {} : { createdBy: job.createdBy }),
  });

  const progress = newProgress();
  const stop = new AbortController();
  const ticker = setInterval(() => {
    void catalog.jobs.get('backup', scope, job.id).then((current) => {
      if (current?.state === 'ABORTING') stop.abort(new Error('Stopped by StopBackupJob'));
    }).catch(() => undefined);
    const percent = progress.totalBytes ? Math.min(99, Math.floor((progress.bytes / progress.totalBytes) * 100)) : undefined;
    void catalog.jobs.update('backup', job.id, { updatedAt: now(), bytesTransferred: progress.bytes, ...(percent === undefined ? {} : { percentDone: percent }) }, { states: ['RUNNING', 'ABORTING'], leaseOwner: owner }).catch(() => undefined);
  }, PROGRESS_EVERY_MS);
  try {
    const key = await deps.repositories.keyFor(scope, vault, resource);
    const repo = await deps.repositories.open(scope, vault, { create: true, key });
    const coffer = { 'recovery-point-arn': rpArn, 'resource-arn': resource.arn, 'resource-type': resource.type, 'backup-job-id': job.id, 'creation-time': new Date(startedAt).toISOString() };
    const resourceTag = `coffer:resource=${resource.arn}`;
    const parent = (await repo.snapshots()).find((s) => s.tags?.includes(resourceTag) === true);
    const connector = connectorFor(resource.type) as Connector;
    const result = await connector.backup(resource, {
      repo, signal: stop.signal, progress, parent, recoveryPointArn: rpArn,
      snapshot: { hostname: 'coffer', time: new Date(startedAt), coffer, tags: [`coffer:rp=${rpArn}`, resourceTag, `coffer:job=${job.id}`] },
    });
    clearInterval(ticker);
    const current = await catalog.jobs.get('backup', scope, job.id);
    if (current?.state === 'ABORTING') {
      await forgetSnapshots(repo, [result.snapshotId]);
      return await finish('ABORTED', stopMessage(current.statusMessage, 'Stopped by StopBackupJob; the snapshot it made was removed.'));
    }
    const size = result.sizeBytes;
    // The job's RecoveryPointTags (StartBackupJob's, or the plan rule's) arrive with the point.
    await catalog.transaction(async (tx) => {
      await tx.recoveryPoints.update(scope, rpArn, {
        updatedAt: now(), state: 'COMPLETED', completedAt: now(), backupSizeBytes: size, snapshotId: result.snapshotId,
        repositoryKeyId: key.keyId, restoreMetadata: { ...result.restoreMetadata },
      });
      if (job.recoveryPointTags !== undefined && Object.keys(job.recoveryPointTags).length > 0) await tx.tags.tag(scope, rpArn, job.recoveryPointTags);
    });
    const warnings = result.warnings.length === 0
      ? (job.attempts > 1 ? `Completed on attempt ${job.attempts}; the earlier attempts failed for a passing reason.` : undefined)
      : result.warnings.join(' ');
    await finish('COMPLETED', warnings, { bytesTransferred: result.storedBytes, backupSizeBytes: size });
    // The rule's CopyActions: one CREATED copy job each; a failure there never changes this job.
    await startCopyActions({ catalog, clock }, job, rpArn).catch((err: unknown) => deps.warn?.(`coffer: copy actions of backup job ${job.id} were not started: ${errorMessage(err)}`));
  } catch (err) {
    clearInterval(ticker);
    if (stop.signal.aborted) {
      const current = await catalog.jobs.get('backup', scope, job.id);
      return await finish('ABORTED', stopMessage(current?.statusMessage, 'Stopped by StopBackupJob while running; no recovery point was kept.'));
    }
    const message = `Backup of ${resource.arn} failed: ${errorMessage(err)}`;
    const retryAt = now() + retryDelayMs(job.attempts);
    if (isTransient(err) && job.startBy !== undefined && now() < job.startBy) {
      // Try again later in the start window (AWS retries transient failures until it closes);
      // when no attempt fits any more, the job waits for the window to close and then EXPIRES.
      const again = retryAt < job.startBy;
      await catalog.jobs.update('backup', job.id, {
        updatedAt: now(), state: 'CREATED', notBefore: again ? retryAt : job.startBy + 1, releaseLease: true,
        statusMessage: again
          ? `Attempt ${job.attempts} failed: ${message} Retrying at ${new Date(retryAt).toISOString()}, within the start window.`
          : `Attempt ${job.attempts} failed: ${message}`,
      }, { leaseOwner: owner });
      await catalog.recoveryPoints.delete(scope, rpArn);
      return;
    }
    await finish('FAILED', message);
  }
}

/**
 * The dead process's lock stays in the repository; restic refuses an exclusive lock (check,
 * prune) until it goes. Coffer removes the stale ones, as `restic unlock` does; live locks stay.
 */
async function removeStaleLocks(deps: JobRunnerDeps, scope: CatalogScope, vaultName: string): Promise<void> {
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
