/**
 * Runs one claimed restore job: RUNNING, then the recovery point's snapshot handed to the
 * resource type's connector, which creates a new resource from it (a directory, a database ...)
 * and never writes over an existing one; COMPLETED or FAILED with a StatusMessage. A job found
 * RUNNING when claimed was left by a process that died: the connector cleans up what that job
 * created, and the job fails saying so.
 */
import type { Claim } from '../backup/jobs/job-ledger.js';
import { scopeOf } from '../backup/jobs/job-ledger.js';
import { ConnectorError } from '../connectors/connector.js';
import type { Connector } from '../connectors/connector.js';
import { isMetadataOnly, METADATA_ONLY_RESTORE_MESSAGE } from '../connectors/metadata-only.js';
import { connectorForName } from '../connectors/registry.js';
import { restoreDestination } from '../connectors/restore-destination.js';
import type { RestoreDestination } from '../connectors/restore-destination.js';
import { newProgress } from '../vault/progress.js';
import { errorMessage, RESTARTED_MESSAGE, roleProblemOf, whileTicking } from './job-context.js';
import type { JobRunnerDeps } from './job-context.js';
import { pointRepository } from './vault-repositories.js';

const PROGRESS_EVERY_MS = 1000;

export async function runRestoreJob(deps: JobRunnerDeps, claim: Claim<'restore'>): Promise<void> {
  const { ledger } = deps;
  const job = claim.job;
  const scope = scopeOf(job);
  const fail = async (statusMessage: string) => void (await ledger.step(claim, { type: 'fail', statusMessage }));

  const connector = connectorForName(job.resourceType ?? '') as Connector | undefined;
  const point = await ledger.point(scope, job.recoveryPointArn);
  const source = await deps.resources(job.resourceArn).catch(() => undefined);
  let destination: RestoreDestination | undefined;
  let refused: string | undefined;
  try {
    destination = restoreDestination({
      scope,
      resourceType: job.resourceType ?? '',
      resourceArn: job.resourceArn,
      source,
      targets: deps.restoreDestinations ?? [],
      metadata: job.metadata,
      recorded: point?.restoreMetadata,
    });
  } catch (err) {
    refused = errorMessage(err);
  }
  if (job.state === 'RUNNING') {
    const interrupted = { metadata: destination?.metadata ?? job.metadata, resource: destination?.resource, jobId: job.id };
    const left = await connector?.cleanUpInterruptedRestore?.(interrupted).catch((err: unknown) => `Cleaning up failed: ${errorMessage(err)}`);
    return fail(left === undefined ? RESTARTED_MESSAGE : `${RESTARTED_MESSAGE} ${left}`);
  }
  if (isMetadataOnly(point?.restoreMetadata)) return restoreMetadataOnly(deps, claim);
  if (connector === undefined) return fail(`Resource type ${job.resourceType ?? '(none)'} cannot be restored by this Coffer.`);
  const vault = await deps.catalog.vaults.get(scope, job.vaultName);
  if (point === undefined || point.snapshotId === undefined || vault === undefined) return fail(`Recovery point ${job.recoveryPointArn} no longer exists.`);
  if (destination === undefined) return fail(refused ?? 'No restore destination.');
  const roleProblem = await roleProblemOf(deps, {
    kind: 'restore',
    accountId: job.accountId,
    roleArn: job.iamRoleArn,
    resourceType: job.resourceType,
    resourceArn: point.resourceArn,
  });
  if (roleProblem !== undefined) return fail(`Restore job failed. ${roleProblem}`);
  const metadata = destination.metadata;
  try {
    connector.validateRestoreMetadata(metadata);
  } catch (err) {
    return fail(errorMessage(err));
  }
  if ((await ledger.step(claim, { type: 'start' })) === undefined) return;
  const progress = newProgress();
  const stop = new AbortController();
  const report = (): void => {
    const total = point.backupSizeBytes;
    const percent = total ? Math.min(99, Math.floor((progress.bytes / total) * 100)) : undefined;
    void ledger.step(claim, { type: 'progress', percentDone: percent }).catch(() => undefined);
  };
  try {
    const result = await whileTicking(PROGRESS_EVERY_MS, report, async () => {
      // A COLD point in its region's cold storage is read from there (the point records where).
      const repo = await deps.repositories.open(scope, vault, { ...pointRepository(point), signal: stop.signal });
      const snapshot = await repo.loadSnapshot(point.snapshotId!);
      return connector.restore({
        repo,
        snapshot,
        metadata,
        resource: destination.resource,
        resourceArn: job.resourceArn,
        recoveryPointArn: point.arn,
        jobId: job.id,
        signal: stop.signal,
        progress,
        restoreTargets: destination.root === undefined ? deps.restoreTargets : { ...deps.restoreTargets, roots: [destination.root] },
      });
    });
    await ledger.stepPoint(scope, point, { type: 'restored' });
    await ledger.step(claim, {
      type: 'complete',
      bytesTransferred: result.bytes,
      backupSizeBytes: point.backupSizeBytes ?? result.bytes,
      warnings: result.warnings,
      objectFailures: result.objectFailures,
      resultArn: result.resultArn,
    });
  } catch (err) {
    await fail(err instanceof ConnectorError ? err.message : `Restore of ${point.arn} failed: ${errorMessage(err)}`);
  }
}

/** A sandbox metadata-only point: the job runs and completes, creating nothing (connectors/metadata-only.ts). */
async function restoreMetadataOnly(deps: JobRunnerDeps, claim: Claim<'restore'>): Promise<void> {
  const job = claim.job;
  const roleProblem = await roleProblemOf(deps, {
    kind: 'restore',
    accountId: job.accountId,
    roleArn: job.iamRoleArn,
    resourceType: job.resourceType,
    resourceArn: job.resourceArn,
  });
  if (roleProblem !== undefined) return void (await deps.ledger.step(claim, { type: 'fail', statusMessage: `Restore job failed. ${roleProblem}` }));
  if ((await deps.ledger.step(claim, { type: 'start' })) === undefined) return;
  await deps.ledger.step(claim, { type: 'complete', bytesTransferred: 0, backupSizeBytes: 0, warnings: [METADATA_ONLY_RESTORE_MESSAGE] });
}
