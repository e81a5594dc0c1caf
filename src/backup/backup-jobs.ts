/**
 * On-demand backup jobs: StartBackupJob creates a CREATED job (idempotent by IdempotencyToken)
 * that the job runner (src/jobs/) claims and runs; describe, list, stop. The recovery point ARN
 * is chosen at start, so the caller learns it at once, as with AWS.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Catalog } from '../catalog/catalog.js';
import { ACTIVE_JOB_STATES } from '../catalog/job-records.js';
import type { BackupJobRecord, BackupJobState, JobFilter } from '../catalog/job-records.js';
import type { Lifecycle } from '../catalog/lifecycle.js';
import { arns } from '../iam/arn.js';
import { BackupError } from './backup-error.js';
import type { CallScope } from './call-scope.js';
import type { Clock } from './clock.js';
import { checkLifecycle } from './lifecycle-rules.js';
import { withPageToken } from './list-page.js';
import type { ListPage, ListRequest } from './list-page.js';
import { checkIamRoleArn, requireResource } from './protected-resource.js';
import type { ResourceLookup } from './protected-resource.js';
import { checkTags } from './tag-rules.js';
import { requireUsableVaultKey } from './vault-key-state.js';
import { authorizeVaultAction } from './vault-authorization.js';

export interface StartBackupRequest {
  readonly vaultName: string;
  readonly resourceArn: string;
  readonly iamRoleArn: string;
  readonly idempotencyToken?: string | undefined;
  readonly startWindowMinutes?: number | undefined;
  readonly completeWindowMinutes?: number | undefined;
  readonly lifecycle?: Lifecycle | undefined;
  readonly recoveryPointTags?: Readonly<Record<string, string>> | undefined;
}

export interface StartedBackup {
  readonly backupJobId: string;
  readonly recoveryPointArn: string;
  readonly creationDate: Date;
}

export interface BackupJobListRequest extends ListRequest {
  readonly state?: BackupJobState | undefined;
  readonly vaultName?: string | undefined;
  readonly resourceArn?: string | undefined;
  readonly resourceType?: string | undefined;
  readonly createdBefore?: Date | undefined;
  readonly createdAfter?: Date | undefined;
  readonly completeBefore?: Date | undefined;
  readonly completeAfter?: Date | undefined;
  readonly parentJobId?: string | undefined;
  readonly accountId?: string | undefined;
}

export interface BackupJobService {
  start(scope: CallScope, request: StartBackupRequest): Promise<StartedBackup>;
  describe(scope: CallScope, jobId: string): Promise<BackupJobRecord>;
  list(scope: CallScope, request: BackupJobListRequest): Promise<ListPage<BackupJobRecord>>;
  stop(scope: CallScope, jobId: string): Promise<void>;
}

export interface BackupJobDeps {
  readonly catalog: Catalog;
  readonly clock: Clock;
  readonly resources: ResourceLookup;
}

const MINUTE = 60_000;
const TOKEN_TTL = 24 * 60 * MINUTE;
const STOPPABLE: readonly BackupJobState[] = ['CREATED', 'PENDING', 'RUNNING'];

export function jobNotFound(scope: CallScope, kind: string, jobId: string): BackupError {
  return new BackupError('JobNotFound', `No ${kind} job ${jobId} in account ${scope.accountId}, region ${scope.region}.`, { context: jobId });
}

function checkWindow(name: string, minutes: number | undefined): void {
  if (minutes !== undefined && minutes < 60 && name === 'StartWindowMinutes') {
    throw new BackupError('InvalidParameter', `StartWindowMinutes must be at least 60, got ${minutes}.`, { context: name });
  }
  if (minutes !== undefined && minutes < 1) throw new BackupError('InvalidParameter', `${name} must be positive, got ${minutes}.`, { context: name });
}

/**
 * AWS runs one backup job per resource at a time (a quota it does not raise). A second
 * on-demand backup while one is started (or due) is refused; a scheduled job still waiting for
 * its start window does not count.
 */
async function refuseConcurrentBackup(catalog: Pick<Catalog, 'jobs'>, scope: CallScope, resourceArn: string, now: number): Promise<void> {
  const active = await catalog.jobs.list('backup', scope, { resourceArn, states: ACTIVE_JOB_STATES.backup }, { limit: 50 });
  const busy = active.items.find((job) => job.state !== 'CREATED' || job.notBefore <= now);
  if (busy === undefined) return;
  throw new BackupError('BackupInProgress',
    `Resource ${resourceArn} is already being backed up by backup job ${busy.id} (${busy.state}, into backup vault ${busy.vaultName}); AWS Backup runs one backup job per resource at a time. Wait for it to finish (DescribeBackupJob), or stop it with StopBackupJob, then start this backup again.`,
    { context: resourceArn });
}

export function requestHash(request: unknown): string {
  return createHash('sha256').update(JSON.stringify(request)).digest('hex');
}

export function createBackupJobService({ catalog, clock, resources }: BackupJobDeps): BackupJobService {
  const create = (scope: CallScope, request: StartBackupRequest): Promise<StartedBackup> => catalog.transaction(async (tx) => {
    const vault = await authorizeVaultAction(tx, scope, { ...scope, name: request.vaultName }, 'backup:StartBackupJob', arns.backupVault(scope, request.vaultName));
    const resource = await requireResource(resources, scope, request.resourceArn);
    const now = clock.now().getTime();
    await refuseConcurrentBackup(tx, scope, resource.arn, now);
    if (resource.type !== 'RDS') await requireUsableVaultKey(tx, vault);
    const id = randomUUID().toUpperCase();
    const recoveryPointArn = arns.recoveryPoint(scope, randomUUID());
    const startWindow = request.startWindowMinutes ?? 8 * 60;
    await tx.jobs.createBackupJob(scope, {
      id, state: 'CREATED', createdAt: now, resourceArn: resource.arn, resourceType: resource.type, resourceName: resource.name,
      iamRoleArn: request.iamRoleArn, vaultName: vault.name, vaultArn: vault.arn, startBy: now + startWindow * MINUTE,
      ...(request.completeWindowMinutes === undefined ? {} : { completeBy: now + request.completeWindowMinutes * MINUTE }),
      ...(request.idempotencyToken === undefined ? {} : { idempotencyToken: request.idempotencyToken }),
      ...(request.lifecycle === undefined ? {} : { lifecycle: request.lifecycle }),
      ...(request.recoveryPointTags === undefined ? {} : { recoveryPointTags: request.recoveryPointTags }),
    });
    await tx.jobs.update('backup', id, { updatedAt: now, resultArn: recoveryPointArn });
    return { backupJobId: id, recoveryPointArn, creationDate: new Date(now) };
  });

  return {
    async start(scope, request) {
      checkIamRoleArn(request.iamRoleArn);
      checkLifecycle(request.lifecycle);
      checkWindow('StartWindowMinutes', request.startWindowMinutes);
      checkWindow('CompleteWindowMinutes', request.completeWindowMinutes);
      if (request.recoveryPointTags !== undefined) checkTags(request.recoveryPointTags, 'RecoveryPointTags');
      const token = request.idempotencyToken;
      if (token === undefined) return create(scope, request);
      const hash = requestHash({ ...request, idempotencyToken: undefined });
      const now = clock.now().getTime();
      const earlier = await catalog.idempotency.find(scope, 'StartBackupJob', token, now);
      const replay = (response: unknown, requestHashOf: string): StartedBackup => {
        if (requestHashOf !== hash) throw new BackupError('IdempotencyTokenReused', `IdempotencyToken ${JSON.stringify(token)} was already used for a different StartBackupJob request.`, { context: token });
        const r = response as { backupJobId: string; recoveryPointArn: string; creationDate: number };
        return { backupJobId: r.backupJobId, recoveryPointArn: r.recoveryPointArn, creationDate: new Date(r.creationDate) };
      };
      if (earlier !== undefined) return replay(earlier.response, earlier.requestHash);
      const started = await create(scope, request);
      const kept = await catalog.idempotency.remember(scope, {
        operation: 'StartBackupJob', token, requestHash: hash, createdAt: now, expiresAt: now + TOKEN_TTL,
        response: { backupJobId: started.backupJobId, recoveryPointArn: started.recoveryPointArn, creationDate: started.creationDate.getTime() },
      });
      return replay(kept.response, kept.requestHash);
    },

    async describe(scope, jobId) {
      const job = await catalog.jobs.get('backup', scope, jobId);
      if (job === undefined) throw jobNotFound(scope, 'backup', jobId);
      return job;
    },

    async list(scope, request) {
      if (request.accountId !== undefined && request.accountId !== scope.accountId) return { items: [], nextToken: undefined };
      const filter: JobFilter<'backup'> = {
        ...(request.state === undefined ? {} : { state: request.state }),
        ...(request.vaultName === undefined ? {} : { vaultName: request.vaultName }),
        ...(request.resourceArn === undefined ? {} : { resourceArn: request.resourceArn }),
        ...(request.resourceType === undefined ? {} : { resourceType: request.resourceType }),
        ...(request.createdBefore === undefined ? {} : { createdBefore: request.createdBefore.getTime() }),
        ...(request.createdAfter === undefined ? {} : { createdAfter: request.createdAfter.getTime() }),
        ...(request.completeBefore === undefined ? {} : { completedBefore: request.completeBefore.getTime() }),
        ...(request.completeAfter === undefined ? {} : { completedAfter: request.completeAfter.getTime() }),
        ...(request.parentJobId === undefined ? {} : { parentJobId: request.parentJobId }),
      };
      const page = await withPageToken(request, (p) => catalog.jobs.list('backup', scope, filter, p));
      return { items: page.items, nextToken: page.nextCursor };
    },

    async stop(scope, jobId) {
      const job = await catalog.jobs.get('backup', scope, jobId);
      if (job === undefined) throw jobNotFound(scope, 'backup', jobId);
      const now = clock.now().getTime();
      // A job no worker holds stops at once; a running one is stopped by its worker (ABORTING).
      const idle = await catalog.jobs.update('backup', jobId, { updatedAt: now, state: 'ABORTED', completedAt: now, statusMessage: 'Stopped by StopBackupJob before it started.' }, { states: ['CREATED', 'PENDING'] });
      if (idle !== undefined) return;
      const running = await catalog.jobs.update('backup', jobId, { updatedAt: now, state: 'ABORTING', statusMessage: 'Stopping (StopBackupJob).' }, { states: ['RUNNING'] });
      if (running !== undefined) return;
      throw new BackupError('JobNotStoppable', `Backup job ${jobId} is ${job.state}; only jobs in ${STOPPABLE.join(', ')} can be stopped.`, { context: jobId });
    },
  };
}
