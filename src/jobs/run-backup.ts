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
import { DEFAULT_REPOSITORY_KEY_ID } from '../backup/repository-passwords.js';
import { parseArn } from '../iam/arn.js';
import { connectorFor } from '../connectors/registry.js';
import type { Connector } from '../connectors/connector.js';
import { removeLocks } from '../vault/lock.js';
import { forgetSnapshots } from '../vault/prune.js';
import { newProgress } from '../vault/progress.js';
import { errorMessage, RESTARTED_MESSAGE } from './job-context.js';
import type { JobRunnerDeps } from './job-context.js';

const PROGRESS_EVERY_MS = 1000;

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

  if (job.state === 'ABORTING') return finish('ABORTED', 'Stopped by StopBackupJob.');
  if (job.state === 'RUNNING') {
    await removeStaleLocks(deps, scope, job.vaultName);
    return finish('FAILED', RESTARTED_MESSAGE);
  }
  if (job.startBy !== undefined && now() > job.startBy) return finish('EXPIRED', 'The start window passed before the job could start.');
  const vault = await catalog.vaults.get(scope, job.vaultName);
  if (vault === undefined) return finish('FAILED', `Backup vault ${job.vaultName} was deleted before the job ran.`);
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
    const repo = await deps.repositories.open(scope, vault, { create: true });
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
      return await finish('ABORTED', 'Stopped by StopBackupJob; the snapshot it made was removed.');
    }
    const size = result.sizeBytes;
    await catalog.recoveryPoints.update(scope, rpArn, {
      updatedAt: now(), state: 'COMPLETED', completedAt: now(), backupSizeBytes: size, snapshotId: result.snapshotId,
      repositoryKeyId: DEFAULT_REPOSITORY_KEY_ID, restoreMetadata: { ...result.restoreMetadata },
    });
    const warnings = result.warnings.length === 0 ? undefined : result.warnings.join(' ');
    await finish('COMPLETED', warnings, { bytesTransferred: result.storedBytes, backupSizeBytes: size });
  } catch (err) {
    clearInterval(ticker);
    if (stop.signal.aborted) return await finish('ABORTED', 'Stopped by StopBackupJob while running; no recovery point was kept.');
    await finish('FAILED', `Backup of ${resource.arn} failed: ${errorMessage(err)}`);
  }
}

/**
 * The dead process's lock stays in the repository; restic refuses an exclusive lock (check,
 * prune) until it goes. Coffer removes the stale ones, as `restic unlock` does; live locks stay.
 */
async function removeStaleLocks(deps: JobRunnerDeps, scope: CatalogScope, vaultName: string): Promise<void> {
  const vault = await deps.catalog.vaults.get(scope, vaultName);
  if (vault === undefined) return;
  try {
    await removeLocks(await deps.repositories.open(scope, vault), false);
  } catch {
    // No repository yet (the process died before making it): nothing is locked.
  }
}
