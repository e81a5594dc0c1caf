/**
 * Copy jobs: StartCopyJob creates a CREATED copy job in the source account and region (where
 * AWS lists it) that the job runner (src/jobs/run-copy.ts) claims and runs; describe and list.
 * A rule's CopyActions start one copy job each after a backup of that rule completes. Whether a
 * copy may go ahead (organization, policies, keys, vault lock) is judged when it runs
 * (copy-checks.ts), as AWS does: each failure is a FAILED copy job, never a refused request.
 */
import { ruleOfJob } from './job-rule.js';
import type { Catalog } from '../catalog/catalog.js';
import type { EpochMillis } from '../catalog/scope.js';
import { parseArn } from '../iam/arn.js';
import { BackupError } from './backup-error.js';
import type { CallScope } from './call-scope.js';
import type { Clock } from './clock.js';
import type { IdSource } from './id-source.js';
import type { BackupJob } from './jobs/job.js';
import type { JobLedger } from './jobs/job-ledger.js';
import { createJobService } from './jobs/job-service.js';
import type { JobService, JobServiceDeps } from './jobs/job-service.js';
import type { Lifecycle } from './jobs/lifecycle.js';
import type { PlanCopyAction, PlanRule } from './plan-document.js';
import { isLifecycleProblem } from './plan-lifecycle.js';
import { checkIamRoleArn } from './protected-resource.js';
import { recoveryPointNotFound } from './recovery-points.js';
import { authorizeVaultAction } from './vault-authorization.js';

export interface StartCopyRequest {
  readonly recoveryPointArn: string;
  readonly sourceVaultName: string;
  readonly destinationVaultArn: string;
  readonly iamRoleArn: string;
  readonly idempotencyToken?: string | undefined;
  readonly lifecycle?: Lifecycle | undefined;
}

export interface StartedCopy {
  readonly copyJobId: string;
  readonly creationDate: Date;
}

export type CopyJobService = JobService<'copy', StartCopyRequest, StartedCopy>;

const COPYABLE = new Set(['COMPLETED', 'AVAILABLE']);

/** The destination vault an ARN names: its account, region and name; InvalidParameter otherwise. */
export function vaultOfArn(arn: string): { readonly accountId: string; readonly region: string; readonly name: string } {
  const parsed = parseArn(arn);
  const [kind, name] = parsed?.resource.split(':') ?? [];
  if (
    parsed === undefined
    || parsed.service !== 'backup'
    || kind !== 'backup-vault'
    || name === undefined
    || name === ''
    || parsed.accountId === ''
    || parsed.region === ''
  ) {
    throw new BackupError(
      'InvalidParameter',
      `DestinationBackupVaultArn ${JSON.stringify(arn)} is not a backup vault ARN (arn:aws:backup:<region>:<account>:backup-vault:<name>).`,
      { context: 'DestinationBackupVaultArn' },
    );
  }
  return { accountId: parsed.accountId, region: parsed.region, name };
}

/**
 * A copy's lifecycle from the copy's request and its source: `DeleteAfterDays: -1` inherits the
 * source's expiry; the calculated dates count from the source's creation date (a copy keeps it).
 */
export interface CopySourceLifecycle {
  readonly createdAt: EpochMillis;
  readonly lifecycle: Lifecycle | undefined;
  readonly calculatedLifecycle: CalculatedMillis;
}

/** Calculated lifecycle dates in epoch milliseconds, as the copy checks compare them. */
export interface CalculatedMillis {
  readonly deleteAt: EpochMillis | undefined;
  readonly moveToColdStorageAt: EpochMillis | undefined;
}

export function copyLifecycle(
  source: CopySourceLifecycle,
  requested: Lifecycle | undefined,
): { readonly lifecycle: Lifecycle | undefined; readonly calculated: CalculatedMillis } {
  if (requested === undefined) return { lifecycle: undefined, calculated: { deleteAt: undefined, moveToColdStorageAt: undefined } };
  const at = (days: number | undefined) => (days === undefined ? undefined : source.createdAt + days * 86_400_000);
  const inherit = requested.deleteAfterDays === -1;
  const lifecycle: Lifecycle = {
    ...(inherit
      ? source.lifecycle?.deleteAfterDays === undefined
        ? {}
        : { deleteAfterDays: source.lifecycle.deleteAfterDays }
      : requested.deleteAfterDays === undefined
        ? {}
        : { deleteAfterDays: requested.deleteAfterDays }),
    ...(requested.moveToColdStorageAfterDays === undefined ? {} : { moveToColdStorageAfterDays: requested.moveToColdStorageAfterDays }),
  };
  return {
    lifecycle,
    calculated: {
      deleteAt: inherit ? source.calculatedLifecycle.deleteAt : at(requested.deleteAfterDays),
      moveToColdStorageAt: at(requested.moveToColdStorageAfterDays),
    },
  };
}

function checkCopyLifecycle(lifecycle: Lifecycle | undefined): void {
  if (lifecycle === undefined) return;
  const problem = isLifecycleProblem(
    {
      ...(lifecycle.deleteAfterDays === undefined ? {} : { DeleteAfterDays: lifecycle.deleteAfterDays }),
      ...(lifecycle.moveToColdStorageAfterDays === undefined ? {} : { MoveToColdStorageAfterDays: lifecycle.moveToColdStorageAfterDays }),
    },
    true,
  );
  if (problem !== undefined)
    throw new BackupError('InvalidLifecycle', problem.message, { context: problem.field ? `Lifecycle.${problem.field}` : 'Lifecycle' });
}

const lifecycleOfAction = (action: PlanCopyAction): Lifecycle | undefined =>
  action.Lifecycle === undefined
    ? undefined
    : {
        ...(action.Lifecycle.DeleteAfterDays === undefined ? {} : { deleteAfterDays: action.Lifecycle.DeleteAfterDays }),
        ...(action.Lifecycle.MoveToColdStorageAfterDays === undefined ? {} : { moveToColdStorageAfterDays: action.Lifecycle.MoveToColdStorageAfterDays }),
      };

/**
 * After a rule's backup completed: one CREATED copy job per CopyAction of the rule (of the plan
 * version that made the backup), in the backup's account and region, with the backup job as parent.
 */
export async function startCopyActions(
  deps: { readonly catalog: Pick<Catalog, 'plans'>; readonly ledger: JobLedger; readonly clock: Clock; readonly ids: IdSource },
  job: BackupJob,
  recoveryPointArn: string,
): Promise<number> {
  const scope = { accountId: job.accountId, region: job.region };
  const actions = (await ruleOfJob(deps.catalog, job))?.CopyActions ?? [];
  const now = deps.clock.now();
  for (const action of actions) {
    await deps.ledger.createCopyJob(scope, {
      id: deps.ids.uuid().toUpperCase(),
      state: 'CREATED',
      createdAt: now,
      resourceArn: job.resourceArn,
      resourceType: job.resourceType,
      sourceRecoveryPointArn: recoveryPointArn,
      sourceVaultArn: job.vaultArn,
      destinationVaultArn: action.DestinationBackupVaultArn,
      createdBy: job.createdBy,
      parentJobId: job.id,
      iamRoleArn: job.iamRoleArn,
      lifecycle: lifecycleOfAction(action),
    });
  }
  return actions.length;
}

export function createCopyJobService(deps: JobServiceDeps & { readonly ids: IdSource }): CopyJobService {
  const { ledger, clock, ids } = deps;
  const create = async (scope: CallScope, request: StartCopyRequest): Promise<StartedCopy> => {
    // The source vault's access policy governs copying out of it (backup:CopyFromBackupVault).
    const vault = await authorizeVaultAction(
      deps.catalog,
      scope,
      { accountId: scope.accountId, region: scope.region, name: request.sourceVaultName },
      'backup:CopyFromBackupVault',
      request.recoveryPointArn,
    );
    const point = await ledger.point(scope, request.recoveryPointArn);
    if (point === undefined || point.vaultName !== vault.name) throw recoveryPointNotFound(scope, request.recoveryPointArn, vault.name);
    if (!COPYABLE.has(point.state)) {
      throw new BackupError('InvalidParameter', `Recovery point ${point.arn} is ${point.state}; only a completed one can be copied.`, { context: point.arn });
    }
    const job = await ledger.createCopyJob(scope, {
      id: ids.uuid().toUpperCase(),
      state: 'CREATED',
      createdAt: clock.now(),
      resourceArn: point.resourceArn,
      resourceType: point.resourceType,
      iamRoleArn: request.iamRoleArn,
      sourceRecoveryPointArn: point.arn,
      sourceVaultArn: vault.arn,
      destinationVaultArn: request.destinationVaultArn,
      idempotencyToken: request.idempotencyToken,
      lifecycle: request.lifecycle,
    });
    return { copyJobId: job.id, creationDate: job.createdAt };
  };

  return createJobService(deps, {
    kind: 'copy',
    operation: 'StartCopyJob',
    check(request) {
      checkIamRoleArn(request.iamRoleArn);
      checkCopyLifecycle(request.lifecycle);
      vaultOfArn(request.destinationVaultArn);
    },
    create,
    toStored: (s) => ({ copyJobId: s.copyJobId, creationDate: s.creationDate.getTime() }),
    fromStored(stored) {
      const r = stored as { copyJobId: string; creationDate: number };
      return { copyJobId: r.copyJobId, creationDate: new Date(r.creationDate) };
    },
  });
}
