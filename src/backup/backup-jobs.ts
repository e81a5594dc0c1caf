/**
 * On-demand backup jobs: StartBackupJob makes a CREATED job (idempotent by IdempotencyToken)
 * that the job runner (src/jobs/) claims and runs; describe, list, stop. The recovery point ARN
 * is chosen at start, so the caller learns it at once, as with AWS. Jobs are made by
 * jobs/backup-job-order.ts and written by the ledger, as the scheduler's are.
 */
import { arns } from '../iam/arn.js';
import { BackupError } from './backup-error.js';
import type { CallScope } from './call-scope.js';
import type { IdSource } from './id-source.js';
import type { BackupJob } from './jobs/job.js';
import type { LedgerTransaction } from './jobs/job-ledger.js';
import { newBackupJob } from './jobs/backup-job-order.js';
import { ACTIVE_JOB_STATES } from './jobs/job-states.js';
import { IllegalTransitionError, STOPPABLE, stopBackupJob } from './jobs/job-transitions.js';
import { createJobService, jobNotFound } from './jobs/job-service.js';
import type { JobService, JobServiceDeps } from './jobs/job-service.js';
import type { Lifecycle } from './jobs/lifecycle.js';
import { checkLifecycle } from './lifecycle-rules.js';
import { checkIamRoleArn, requireResource } from './protected-resource.js';
import type { ResourceLookup } from './protected-resource.js';
import { checkTags } from './tag-rules.js';
import { authorizeVaultAction } from './vault-authorization.js';
import { requireUsableVaultKey } from './vault-key-state.js';
import type { VaultKeyStates } from './vault-key-state.js';

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

export interface BackupJobService extends JobService<'backup', StartBackupRequest, StartedBackup> {
  stop(scope: CallScope, jobId: string): Promise<void>;
}

export interface BackupJobDeps extends JobServiceDeps {
  readonly ids: IdSource;
  readonly resources: ResourceLookup;
  readonly keyStates: VaultKeyStates;
}

const MINUTE = 60_000;
/** AWS's default start window of an on-demand backup. */
const DEFAULT_START_WINDOW_MINUTES = 8 * 60;

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
async function refuseConcurrentBackup(tx: LedgerTransaction, scope: CallScope, resourceArn: string, now: Date): Promise<void> {
  const active = await tx.jobs('backup', scope, { resourceArn, states: ACTIVE_JOB_STATES.backup }, { limit: 50 });
  const busy = active.items.find((job) => job.state !== 'CREATED' || job.notBefore.getTime() <= now.getTime());
  if (busy === undefined) return;
  throw new BackupError(
    'BackupInProgress',
    `Resource ${resourceArn} is already being backed up by backup job ${busy.id} (${busy.state}, into backup vault ${busy.vaultName}); AWS Backup runs one backup job per resource at a time. Wait for it to finish (DescribeBackupJob), or stop it with StopBackupJob, then start this backup again.`,
    { context: resourceArn },
  );
}

export function createBackupJobService(deps: BackupJobDeps): BackupJobService {
  const { ledger, clock, ids, resources } = deps;
  const create = async (scope: CallScope, request: StartBackupRequest): Promise<StartedBackup> => {
    const vault = await authorizeVaultAction(
      deps.catalog,
      scope,
      { ...scope, name: request.vaultName },
      'backup:StartBackupJob',
      arns.backupVault(scope, request.vaultName),
    );
    const resource = await requireResource(resources, scope, request.resourceArn);
    if (resource.type !== 'RDS') await requireUsableVaultKey(deps.keyStates, vault);
    // The check for a backup already running and the new job commit together.
    return ledger.transaction(async (tx) => {
      const now = clock.now();
      await refuseConcurrentBackup(tx, scope, resource.arn, now);
      const startWindow = request.startWindowMinutes ?? DEFAULT_START_WINDOW_MINUTES;
      const job = await tx.createBackupJob(
        scope,
        newBackupJob(
          {
            scope,
            resource,
            vaultName: vault.name,
            vaultArn: vault.arn,
            vaultKeyArn: vault.encryptionKeyArn,
            createdAt: now,
            iamRoleArn: request.iamRoleArn,
            startBy: new Date(now.getTime() + startWindow * MINUTE),
            completeBy: request.completeWindowMinutes === undefined ? undefined : new Date(now.getTime() + request.completeWindowMinutes * MINUTE),
            idempotencyToken: request.idempotencyToken,
            lifecycle: request.lifecycle,
            recoveryPointTags: request.recoveryPointTags,
          },
          ids,
        ),
      );
      return { backupJobId: job.id, recoveryPointArn: job.recoveryPointArn!, creationDate: job.createdAt };
    });
  };

  return {
    ...createJobService(deps, {
      kind: 'backup',
      operation: 'StartBackupJob',
      check(request) {
        checkIamRoleArn(request.iamRoleArn);
        checkLifecycle(request.lifecycle);
        checkWindow('StartWindowMinutes', request.startWindowMinutes);
        checkWindow('CompleteWindowMinutes', request.completeWindowMinutes);
        if (request.recoveryPointTags !== undefined) checkTags(request.recoveryPointTags, 'RecoveryPointTags');
      },
      create,
      toStored: (s) => ({ backupJobId: s.backupJobId, recoveryPointArn: s.recoveryPointArn, creationDate: s.creationDate.getTime() }),
      fromStored(stored) {
        const r = stored as { backupJobId: string; recoveryPointArn: string; creationDate: number };
        return { backupJobId: r.backupJobId, recoveryPointArn: r.recoveryPointArn, creationDate: new Date(r.creationDate) };
      },
    }),

    async stop(scope, jobId) {
      let stopped: BackupJob | undefined;
      try {
        // A job no worker runs yet stops at once; a running one is stopped by its worker (ABORTING).
        stopped = await ledger.change('backup', scope, jobId, stopBackupJob);
      } catch (err) {
        if (!(err instanceof IllegalTransitionError)) throw err;
        throw new BackupError('JobNotStoppable', `Backup job ${jobId} is ${err.state}; only jobs in ${STOPPABLE.join(', ')} can be stopped.`, {
          context: jobId,
        });
      }
      if (stopped === undefined) throw jobNotFound(scope, 'backup', jobId);
    },
  };
}
