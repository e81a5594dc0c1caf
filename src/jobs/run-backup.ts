/**
 * Runs one claimed backup job: RUNNING with a CREATING recovery point (one transaction), one
 * restic snapshot made by the resource type's connector (tagged with the recovery point,
 * resource and job; the newest earlier snapshot of the same resource is its parent), then the
 * job COMPLETED and the point with it (one transaction), and the rule's copy actions started.
 * Otherwise FAILED, ABORTED, EXPIRED or back to CREATED for a retry, the point discarded. A job
 * found RUNNING when claimed was left by a process that died: it fails (its snapshot was never
 * recorded, so nothing is half-kept). Every state change goes through the ledger.
 */
import { startCopyActions } from '../backup/copy-jobs.js';
import { requestRuleIndex } from './backup-index-actions.js';
import type { Claim } from '../backup/jobs/job-ledger.js';
import { scopeOf } from '../backup/jobs/job-ledger.js';
import type { JobStep, ObjectFailure } from '../backup/jobs/job-transitions.js';
import { startWindowClosed } from '../backup/jobs/job-transitions.js';
import { calculateLifecycle } from '../backup/jobs/lifecycle.js';
import { lockRefusal } from '../backup/vault-lock.js';
import type { CatalogScope } from '../catalog/scope.js';
import type { VaultRecord } from '../catalog/vaults.js';
import type { Connector } from '../connectors/connector.js';
import type { ResourceConfig } from '../config/resource-config.js';
import { backupMetadataOnly, metadataOnlyResource } from '../connectors/metadata-only.js';
import { connectorFor } from '../connectors/registry.js';
import { parseArn } from '../iam/arn.js';
import { newProgress } from '../vault/progress.js';
import { forgetSnapshots } from '../vault/prune.js';
import { errorMessage, RESTARTED_MESSAGE, roleProblemOf, whileTicking } from './job-context.js';
import type { JobRunnerDeps } from './job-context.js';
import { removeOrphanSnapshots, whenUnlocked } from './orphan-snapshots.js';
import { removeStaleLocks } from './stale-locks.js';
import { isTransientFailure } from './transient-failure.js';

const PROGRESS_EVERY_MS = 1000;

/** What a job needs before it may start. */
interface Ready {
  readonly vault: VaultRecord;
  readonly resource: ResourceConfig;
  readonly rpArn: string;
}

export async function runBackupJob(deps: JobRunnerDeps, claim: Claim<'backup'>): Promise<void> {
  if (await settledAtClaim(deps, claim)) return;
  const ready = await readiness(deps, claim);
  if (ready === undefined || !(await begin(deps, claim, ready, await protectingKeyArn(deps, claim, ready)))) return;
  await backUp(deps, claim, ready);
}

/**
 * The key the recovery point will be protected by, as AWS reports it (EncryptionKeyArn): the
 * vault's for the types AWS Backup fully manages, the database's own for RDS. A key that cannot
 * be resolved here fails the job in backUp, with the reason; until then the vault's stands in.
 */
async function protectingKeyArn(deps: JobRunnerDeps, claim: Claim<'backup'>, { vault, resource }: Ready): Promise<string | undefined> {
  // Shown as the vault shows it (the default key by its alias ARN, as the vault's EncryptionKeyArn).
  if (resource.type !== 'RDS') return vault.encryptionKeyArn;
  try {
    return (await deps.repositories.keyFor(scopeOf(claim.job), vault, resource)).keyArn;
  } catch {
    return vault.encryptionKeyArn;
  }
}

/** The job ends with `step` (fail, abort, expire, retry) and its CREATING recovery point goes, in one transaction. */
async function end(deps: JobRunnerDeps, claim: Claim<'backup'>, step: JobStep): Promise<void> {
  const scope = scopeOf(claim.job);
  const rpArn = claim.job.recoveryPointArn;
  await deps.ledger.transaction(async (tx) => {
    if ((await tx.step(claim, step)) === undefined || rpArn === undefined) return;
    const point = await tx.point(scope, rpArn);
    if (point !== undefined) await tx.removePoint(scope, point, 'discard');
  });
}

/** A job that was stopped, left by a dead process, or claimed too late ends here. */
async function settledAtClaim(deps: JobRunnerDeps, claim: Claim<'backup'>): Promise<boolean> {
  const job = claim.job;
  if (job.state === 'ABORTING') await end(deps, claim, { type: 'abort', statusMessage: 'Stopped by StopBackupJob.' });
  else if (job.state === 'RUNNING') {
    await removeStaleLocks(deps, job);
    await end(deps, claim, { type: 'fail', statusMessage: RESTARTED_MESSAGE });
    // After the job says FAILED: a snapshot its dead worker wrote but never recorded goes too.
    await removeOrphanSnapshots(deps, job).catch((err: unknown) =>
      deps.warn?.(`coffer: the snapshot that backup job ${job.id} may have left in backup vault ${job.vaultName} was not removed: ${errorMessage(err)}`),
    );
  } else if (startWindowClosed(job, deps.clock.now())) await end(deps, claim, { type: 'expire' });
  else return false;
  return true;
}

/** The vault, its lock, the resource and the recovery point ARN; the job fails saying which is missing. */
async function readiness(deps: JobRunnerDeps, claim: Claim<'backup'>): Promise<Ready | undefined> {
  const job = claim.job;
  const fail = async (statusMessage: string) => void (await end(deps, claim, { type: 'fail', statusMessage }));
  const vault = await deps.catalog.vaults.get(scopeOf(job), job.vaultName);
  if (vault === undefined) return fail(`Backup vault ${job.vaultName} was deleted before the job ran.`);
  const lockRefused = lockRefusal(vault.lock, job.lifecycle?.deleteAfterDays, deps.clock.now().getTime());
  if (lockRefused !== undefined)
    return fail(`Backup job failed: the recovery point's retention does not meet the vault lock of backup vault ${vault.name}. ${lockRefused}`);
  const resource = (await deps.resources(job.resourceArn)) ?? (deps.sandbox === true ? metadataOnlyResource(job.resourceArn) : undefined);
  if (resource === undefined) return fail(`Resource ${job.resourceArn} is no longer in the config.`);
  const roleProblem = await roleProblemOf(deps, {
    kind: 'backup',
    accountId: job.accountId,
    roleArn: job.iamRoleArn,
    resourceType: resource.type,
    resourceArn: resource.arn,
  });
  if (roleProblem !== undefined) return fail(`Backup job failed. ${roleProblem}`);
  if (job.recoveryPointArn === undefined) return fail('The job has no recovery point ARN (internal inconsistency).');
  return { vault, resource, rpArn: job.recoveryPointArn };
}

/** RUNNING, and its CREATING recovery point, together; false when the job changed meanwhile (stopped). */
async function begin(deps: JobRunnerDeps, claim: Claim<'backup'>, { vault, resource, rpArn }: Ready, keyArn: string | undefined): Promise<boolean> {
  const job = claim.job;
  return deps.ledger.transaction(async (tx) => {
    const running = await tx.step(claim, { type: 'start', encryptionKeyArn: keyArn });
    if (running === undefined) return false;
    const startedAt = running.startedAt!;
    await tx.createPoint(scopeOf(job), {
      arn: rpArn,
      id: parseArn(rpArn)?.resource.replace(/^recovery-point:/, '') ?? rpArn,
      vaultName: vault.name,
      vaultArn: vault.arn,
      resourceArn: resource.arn,
      resourceType: resource.type,
      resourceName: resource.name,
      createdAt: startedAt,
      encryptionKeyArn: keyArn,
      jobId: job.id,
      calculatedLifecycle: calculateLifecycle(startedAt, job.lifecycle),
      lifecycle: job.lifecycle,
      iamRoleArn: job.iamRoleArn,
      createdBy: job.createdBy,
    });
    return true;
  });
}

/** The snapshot, with progress written every second (which also hears a stop); then the outcome. */
async function backUp(deps: JobRunnerDeps, claim: Claim<'backup'>, { vault, resource, rpArn }: Ready): Promise<void> {
  const scope = scopeOf(claim.job);
  const progress = newProgress();
  const stop = new AbortController();
  const report = (): void => {
    const percent = progress.totalBytes ? Math.min(99, Math.floor((progress.bytes / progress.totalBytes) * 100)) : undefined;
    void deps.ledger
      .step(claim, { type: 'progress', bytesTransferred: progress.bytes, percentDone: percent })
      .then((job) => {
        if (job?.state === 'ABORTING') stop.abort(new Error('Stopped by StopBackupJob'));
      })
      .catch(() => undefined);
  };
  try {
    const key = await deps.repositories.keyFor(scope, vault, resource);
    const repo = await deps.repositories.open(scope, vault, { create: true, key, signal: stop.signal });
    const result = await whileTicking(PROGRESS_EVERY_MS, report, async () => {
      const startedAt = claim.job.startedAt!;
      const coffer = {
        'recovery-point-arn': rpArn,
        'resource-arn': resource.arn,
        'resource-type': resource.type,
        'backup-job-id': claim.job.id,
        'creation-time': startedAt.toISOString(),
      };
      const resourceTag = `coffer:resource=${resource.arn}`;
      const parent = (await repo.snapshots()).find((s) => s.tags?.includes(resourceTag) === true);
      const ctx = {
        repo,
        signal: stop.signal,
        progress,
        parent,
        recoveryPointArn: rpArn,
        snapshot: { hostname: 'coffer', time: startedAt, coffer, tags: [`coffer:rp=${rpArn}`, resourceTag, `coffer:job=${claim.job.id}`] },
      };
      return resource.metadataOnly === true ? backupMetadataOnly(resource, ctx) : (connectorFor(resource.type) as Connector).backup(resource, ctx);
    });
    if (!(await complete(deps, claim, rpArn, { ...result, repositoryKeyId: key.keyId }))) {
      // Asked to stop (or taken over) while it finished: the snapshot it made does not stay. Through
      // a handle without the stop signal (which may have fired), waiting for the vault's other
      // writers: the exclusive lock forget needs is often busy on a shared vault.
      await unrecordedSnapshotGone(deps, scope, vault, key.keyId, result.snapshotId);
      if ((await deps.ledger.refresh(claim))?.state === 'ABORTING')
        await end(deps, claim, { type: 'abort', statusMessage: 'Stopped by StopBackupJob; the snapshot it made was removed.' });
      return;
    }
    // The rule's CopyActions: one CREATED copy job each; a failure there never changes this job.
    await startCopyActions(deps, claim.job, rpArn).catch((err: unknown) =>
      deps.warn?.(`coffer: copy actions of backup job ${claim.job.id} were not started: ${errorMessage(err)}`),
    );
    // The rule's IndexActions: the point's index is asked for (a node's indexer builds it).
    const made = await deps.ledger.point(scopeOf(claim.job), rpArn);
    if (made !== undefined)
      await requestRuleIndex(deps.catalog, claim.job, made, deps.clock.now()).catch((err: unknown) =>
        deps.warn?.(`coffer: the index of ${rpArn} (the rule's IndexActions) was not asked for: ${errorMessage(err)}`),
      );
  } catch (err) {
    await failed(deps, claim, resource, stop.signal.aborted, err);
  }
}

/** Forgets a snapshot this job made but could not record; a failure is said, never thrown (the job ends as it must). */
async function unrecordedSnapshotGone(deps: JobRunnerDeps, scope: CatalogScope, vault: VaultRecord, keyId: string, snapshotId: string): Promise<void> {
  try {
    const repo = await deps.repositories.open(scope, vault, { keyId });
    await whenUnlocked(() => forgetSnapshots(repo, [snapshotId]));
  } catch (err) {
    deps.warn?.(`coffer: the unrecorded snapshot ${snapshotId} in backup vault ${vault.name} was not removed: ${errorMessage(err)}`);
  }
}

interface Made {
  readonly snapshotId: string;
  readonly repositoryKeyId: string;
  readonly sizeBytes: number;
  readonly storedBytes: number;
  readonly warnings: readonly string[];
  readonly objectFailures?: readonly ObjectFailure[] | undefined;
  readonly restoreMetadata: Readonly<Record<string, string>>;
}

/** The job COMPLETED and its point with it, the job's RecoveryPointTags on the point; false when the job was stopped meanwhile. */
async function complete(deps: JobRunnerDeps, claim: Claim<'backup'>, rpArn: string, made: Made): Promise<boolean> {
  const scope = scopeOf(claim.job);
  const tags = claim.job.recoveryPointTags;
  return deps.ledger.transaction(async (tx) => {
    const done = await tx.step(claim, {
      type: 'complete',
      bytesTransferred: made.storedBytes,
      backupSizeBytes: made.sizeBytes,
      warnings: made.warnings,
      objectFailures: made.objectFailures,
    });
    if (done === undefined) return false;
    const point = await tx.point(scope, rpArn);
    if (point === undefined) throw new Error(`recovery point ${rpArn} of backup job ${done.id} is missing`);
    await tx.stepPoint(scope, point, {
      type: 'complete',
      snapshotId: made.snapshotId,
      repositoryKeyId: made.repositoryKeyId,
      backupSizeBytes: made.sizeBytes,
      restoreMetadata: { ...made.restoreMetadata },
    });
    if (tags !== undefined && Object.keys(tags).length > 0) await tx.stores.tags.tag(scope, rpArn, tags);
    return true;
  });
}

/** Stopped while running, a passing failure retried in the start window, or FAILED with the reason. */
async function failed(deps: JobRunnerDeps, claim: Claim<'backup'>, resource: ResourceConfig, stopped: boolean, err: unknown): Promise<void> {
  if (stopped) {
    await deps.ledger.refresh(claim);
    return end(deps, claim, { type: 'abort', statusMessage: 'Stopped by StopBackupJob while running; no recovery point was kept.' });
  }
  const message = `Backup of ${resource.arn} failed: ${errorMessage(err)}`;
  const retry = isTransientFailure(err) && claim.job.startBy !== undefined && !startWindowClosed(claim.job, deps.clock.now());
  await end(deps, claim, retry ? { type: 'retry', failure: message } : { type: 'fail', statusMessage: message });
}
