/**
 * Runs one claimed restore job: RUNNING, then the recovery point's snapshot handed to the
 * resource type's connector, which creates a new resource from it (a directory, a database ...)
 * and never writes over an existing one; COMPLETED or FAILED with a StatusMessage. A job found
 * RUNNING when claimed was left by a process that died: the connector cleans up what that job
 * created, and the job fails saying so.
 */
import type { RestoreJobRecord } from '../catalog/job-records.js';
import type { CatalogScope } from '../catalog/scope.js';
import { ConnectorError } from '../connectors/connector.js';
import type { Connector } from '../connectors/connector.js';
import { connectorForName } from '../connectors/registry.js';
import { newProgress } from '../vault/progress.js';
import { errorMessage, RESTARTED_MESSAGE } from './job-context.js';
import type { JobRunnerDeps } from './job-context.js';
import { pointRepository } from './vault-repositories.js';

const PROGRESS_EVERY_MS = 1000;

export async function runRestoreJob(deps: JobRunnerDeps, job: RestoreJobRecord): Promise<void> {
  const { catalog, clock, owner } = deps;
  const scope: CatalogScope = { accountId: job.accountId, region: job.region };
  const now = (): number => clock.now().getTime();
  const finish = (state: 'COMPLETED' | 'FAILED', statusMessage: string | undefined, extra: { bytesTransferred?: number; backupSizeBytes?: number; resultArn?: string } = {}) =>
    catalog.jobs.update('restore', job.id, {
      updatedAt: now(), state, completedAt: now(), releaseLease: true, ...extra,
      ...(statusMessage === undefined ? {} : { statusMessage }), ...(state === 'COMPLETED' ? { percentDone: 100 } : {}),
    }, { leaseOwner: owner });

  const connector = connectorForName(job.resourceType ?? '') as Connector | undefined;
  const resource = await deps.resources(job.resourceArn).catch(() => undefined);
  if (job.state === 'RUNNING') {
    const left = await connector?.cleanUpInterruptedRestore?.({ metadata: job.metadata, resource, jobId: job.id }).catch((err: unknown) => `Cleaning up failed: ${errorMessage(err)}`);
    return void (await finish('FAILED', left === undefined ? RESTARTED_MESSAGE : `${RESTARTED_MESSAGE} ${left}`));
  }
  if (connector === undefined) return void (await finish('FAILED', `Resource type ${job.resourceType ?? '(none)'} cannot be restored by this Coffer.`));
  const point = await catalog.recoveryPoints.get(scope, job.recoveryPointArn);
  const vault = await catalog.vaults.get(scope, job.vaultName);
  try {
    connector.validateRestoreMetadata(job.metadata);
  } catch (err) {
    return void (await finish('FAILED', errorMessage(err)));
  }
  if (point === undefined || point.snapshotId === undefined || vault === undefined) return void (await finish('FAILED', `Recovery point ${job.recoveryPointArn} no longer exists.`));
  const startedAt = now();
  await catalog.jobs.update('restore', job.id, { updatedAt: startedAt, state: 'RUNNING', startedAt, percentDone: 0 }, { leaseOwner: owner });
  const progress = newProgress();
  const stop = new AbortController();
  const ticker = setInterval(() => {
    const total = point.backupSizeBytes;
    const percent = total ? Math.min(99, Math.floor((progress.bytes / total) * 100)) : undefined;
    void catalog.jobs.update('restore', job.id, { updatedAt: now(), ...(percent === undefined ? {} : { percentDone: percent }) }, { states: ['RUNNING'], leaseOwner: owner }).catch(() => undefined);
  }, PROGRESS_EVERY_MS);
  try {
    // A COLD point in its region's cold storage is read from there (the point records where).
    const repo = await deps.repositories.open(scope, vault, pointRepository(point));
    const snapshot = await repo.loadSnapshot(point.snapshotId);
    const result = await connector.restore({
      repo, snapshot, metadata: job.metadata, resource, resourceArn: job.resourceArn, recoveryPointArn: point.arn, jobId: job.id, signal: stop.signal, progress,
      restoreTargets: deps.restoreTargets,
    });
    clearInterval(ticker);
    await catalog.recoveryPoints.update(scope, point.arn, { updatedAt: now(), lastRestoreAt: now() });
    const warnings = result.warnings.length === 0 ? undefined : result.warnings.join(' ');
    await finish('COMPLETED', warnings, {
      bytesTransferred: result.bytes, backupSizeBytes: point.backupSizeBytes ?? result.bytes, ...(result.resultArn === undefined ? {} : { resultArn: result.resultArn }),
    });
  } catch (err) {
    clearInterval(ticker);
    await finish('FAILED', err instanceof ConnectorError ? err.message : `Restore of ${point.arn} failed: ${errorMessage(err)}`);
  }
}
