/**
 * Copy jobs: StartCopyJob creates a CREATED copy job in the source account and region (where
 * AWS lists it) that the job runner (src/jobs/run-copy.ts) claims and runs; describe and list.
 * A rule's CopyActions start one copy job each after a backup of that rule completes. Whether a
 * copy may go ahead (organization, policies, keys, vault lock) is judged when it runs
 * (copy-checks.ts), as AWS does: each failure is a FAILED copy job, never a refused request.
 */
import { authorizeVaultAction } from './vault-authorization.js';
import { randomUUID } from 'node:crypto';
import type { Catalog } from '../catalog/catalog.js';
import type { BackupJobRecord, CopyJobRecord, CopyJobState, JobFilter } from '../catalog/job-records.js';
import type { Lifecycle } from '../catalog/lifecycle.js';
import type { CalculatedLifecycle, RecoveryPointRecord } from '../catalog/recovery-points.js';
import { parseArn } from '../iam/arn.js';
import { BackupError } from './backup-error.js';
import { jobNotFound, requestHash } from './backup-jobs.js';
import type { CallScope } from './call-scope.js';
import type { Clock } from './clock.js';
import { isLifecycleProblem } from './plan-lifecycle.js';
import type { PlanCopyAction, PlanRule } from './plan-document.js';
import { withPageToken } from './list-page.js';
import type { ListPage, ListRequest } from './list-page.js';
import { checkIamRoleArn } from './protected-resource.js';
import { recoveryPointNotFound } from './recovery-points.js';

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

export interface CopyJobListRequest extends ListRequest {
  readonly state?: CopyJobState | undefined;
  readonly resourceArn?: string | undefined;
  readonly resourceType?: string | undefined;
  readonly destinationVaultArn?: string | undefined;
  readonly sourceRecoveryPointArn?: string | undefined;
  readonly parentJobId?: string | undefined;
  readonly accountId?: string | undefined;
  readonly createdBefore?: Date | undefined;
  readonly createdAfter?: Date | undefined;
  readonly completeBefore?: Date | undefined;
  readonly completeAfter?: Date | undefined;
}

export interface CopyJobService {
  start(scope: CallScope, request: StartCopyRequest): Promise<StartedCopy>;
  describe(scope: CallScope, jobId: string): Promise<CopyJobRecord>;
  list(scope: CallScope, request: CopyJobListRequest): Promise<ListPage<CopyJobRecord>>;
}

const TOKEN_TTL = 24 * 60 * 60_000;
const COPYABLE = new Set(['COMPLETED', 'AVAILABLE']);

/** The destination vault an ARN names: its account, region and name; InvalidParameter otherwise. */
export function vaultOfArn(arn: string): { readonly accountId: string; readonly region: string; readonly name: string } {
  const parsed = parseArn(arn);
  const [kind, name] = parsed?.resource.split(':') ?? [];
  if (parsed === undefined || parsed.service !== 'backup' || kind !== 'backup-vault' || name === undefined || name === '' || parsed.accountId === '' || parsed.region === '') {
    throw new BackupError('InvalidParameter', `DestinationBackupVaultArn ${JSON.stringify(arn)} is not a backup vault ARN (arn:aws:backup:<region>:<account>:backup-vault:<name>).`, { context: 'DestinationBackupVaultArn' });
  }
  return { accountId: parsed.accountId, region: parsed.region, name };
}

/**
 * A copy's lifecycle from the copy's request and its source: `DeleteAfterDays: -1` inherits the
 * source's expiry; the calculated dates count from the source's creation date (a copy keeps it).
 */
export function copyLifecycle(source: Pick<RecoveryPointRecord, 'createdAt' | 'lifecycle' | 'calculatedLifecycle'>, requested: Lifecycle | undefined): { readonly lifecycle: Lifecycle | undefined; readonly calculated: CalculatedLifecycle } {
  if (requested === undefined) return { lifecycle: undefined, calculated: { deleteAt: undefined, moveToColdStorageAt: undefined } };
  const at = (days: number | undefined) => (days === undefined ? undefined : source.createdAt + days * 86_400_000);
  const inherit = requested.deleteAfterDays === -1;
  const lifecycle: Lifecycle = {
    ...(inherit ? (source.lifecycle?.deleteAfterDays === undefined ? {} : { deleteAfterDays: source.lifecycle.deleteAfterDays }) : requested.deleteAfterDays === undefined ? {} : { deleteAfterDays: requested.deleteAfterDays }),
    ...(requested.moveToColdStorageAfterDays === undefined ? {} : { moveToColdStorageAfterDays: requested.moveToColdStorageAfterDays }),
  };
  return {
    lifecycle,
    calculated: { deleteAt: inherit ? source.calculatedLifecycle.deleteAt : at(requested.deleteAfterDays), moveToColdStorageAt: at(requested.moveToColdStorageAfterDays) },
  };
}

function checkCopyLifecycle(lifecycle: Lifecycle | undefined): void {
  if (lifecycle === undefined) return;
  const problem = isLifecycleProblem({
    ...(lifecycle.deleteAfterDays === undefined ? {} : { DeleteAfterDays: lifecycle.deleteAfterDays }),
    ...(lifecycle.moveToColdStorageAfterDays === undefined ? {} : { MoveToColdStorageAfterDays: lifecycle.moveToColdStorageAfterDays }),
  }, true);
  if (problem !== undefined) throw new BackupError('InvalidLifecycle', problem.message, { context: problem.field ? `Lifecycle.${problem.field}` : 'Lifecycle' });
}

const lifecycleOfAction = (action: PlanCopyAction): Lifecycle | undefined => (action.Lifecycle === undefined ? undefined : {
  ...(action.Lifecycle.DeleteAfterDays === undefined ? {} : { deleteAfterDays: action.Lifecycle.DeleteAfterDays }),
  ...(action.Lifecycle.MoveToColdStorageAfterDays === undefined ? {} : { moveToColdStorageAfterDays: action.Lifecycle.MoveToColdStorageAfterDays }),
});

/**
 * After a rule's backup completed: one CREATED copy job per CopyAction of the rule (of the plan
 * version that made the backup), in the backup's account and region, with the backup job as parent.
 */
export async function startCopyActions(deps: { readonly catalog: Catalog; readonly clock: Clock }, job: BackupJobRecord, recoveryPointArn: string): Promise<number> {
  if (job.createdBy === undefined) return 0;
  const scope = { accountId: job.accountId, region: job.region };
  const version = await deps.catalog.plans.getVersion(scope, job.createdBy.planId, job.createdBy.planVersion);
  const rules = (version?.document['Rules'] ?? []) as unknown as readonly PlanRule[];
  const rule = rules.find((r) => r.RuleId === job.createdBy!.ruleId);
  const actions = rule?.CopyActions ?? [];
  const now = deps.clock.now().getTime();
  for (const action of actions) {
    const lifecycle = lifecycleOfAction(action);
    await deps.catalog.jobs.createCopyJob(scope, {
      id: randomUUID().toUpperCase(), state: 'CREATED', createdAt: now, resourceArn: job.resourceArn, resourceType: job.resourceType,
      sourceRecoveryPointArn: recoveryPointArn, sourceVaultArn: job.vaultArn, destinationVaultArn: action.DestinationBackupVaultArn,
      createdBy: job.createdBy, parentJobId: job.id, ...(job.iamRoleArn === undefined ? {} : { iamRoleArn: job.iamRoleArn }),
      ...(lifecycle === undefined ? {} : { lifecycle }),
    });
  }
  return actions.length;
}

export function createCopyJobService({ catalog, clock }: { readonly catalog: Catalog; readonly clock: Clock }): CopyJobService {
  const create = async (scope: CallScope, request: StartCopyRequest): Promise<StartedCopy> => {
    // The source vault's access policy governs copying out of it (backup:CopyFromBackupVault).
    const vault = await authorizeVaultAction(catalog, scope, { accountId: scope.accountId, region: scope.region, name: request.sourceVaultName }, 'backup:CopyFromBackupVault', request.recoveryPointArn);
    const point = await catalog.recoveryPoints.get(scope, request.recoveryPointArn);
    if (point === undefined || point.vaultName !== vault.name) throw recoveryPointNotFound(scope, request.recoveryPointArn, vault.name);
    if (!COPYABLE.has(point.state)) {
      throw new BackupError('InvalidParameter', `Recovery point ${point.arn} is ${point.state}; only a completed one can be copied.`, { context: point.arn });
    }
    const now = clock.now().getTime();
    const id = randomUUID().toUpperCase();
    await catalog.jobs.createCopyJob(scope, {
      id, state: 'CREATED', createdAt: now, resourceArn: point.resourceArn, resourceType: point.resourceType, iamRoleArn: request.iamRoleArn,
      sourceRecoveryPointArn: point.arn, sourceVaultArn: vault.arn, destinationVaultArn: request.destinationVaultArn,
      ...(request.idempotencyToken === undefined ? {} : { idempotencyToken: request.idempotencyToken }),
      ...(request.lifecycle === undefined ? {} : { lifecycle: request.lifecycle }),
    });
    return { copyJobId: id, creationDate: new Date(now) };
  };

  return {
    async start(scope, request) {
      checkIamRoleArn(request.iamRoleArn);
      checkCopyLifecycle(request.lifecycle);
      vaultOfArn(request.destinationVaultArn);
      const token = request.idempotencyToken;
      if (token === undefined) return create(scope, request);
      const hash = requestHash({ ...request, idempotencyToken: undefined });
      const now = clock.now().getTime();
      const replay = (response: unknown, requestHashOf: string): StartedCopy => {
        if (requestHashOf !== hash) throw new BackupError('IdempotencyTokenReused', `IdempotencyToken ${JSON.stringify(token)} was already used for a different StartCopyJob request.`, { context: token });
        const r = response as { copyJobId: string; creationDate: number };
        return { copyJobId: r.copyJobId, creationDate: new Date(r.creationDate) };
      };
      const earlier = await catalog.idempotency.find(scope, 'StartCopyJob', token, now);
      if (earlier !== undefined) return replay(earlier.response, earlier.requestHash);
      const started = await create(scope, request);
      const kept = await catalog.idempotency.remember(scope, {
        operation: 'StartCopyJob', token, requestHash: hash, createdAt: now, expiresAt: now + TOKEN_TTL,
        response: { copyJobId: started.copyJobId, creationDate: started.creationDate.getTime() },
      });
      return replay(kept.response, kept.requestHash);
    },

    async describe(scope, jobId) {
      const job = await catalog.jobs.get('copy', scope, jobId);
      if (job === undefined) throw jobNotFound(scope, 'copy', jobId);
      return job;
    },

    async list(scope, request) {
      if (request.accountId !== undefined && request.accountId !== scope.accountId) return { items: [], nextToken: undefined };
      const ms = (d: Date | undefined) => d?.getTime();
      const entries = {
        state: request.state, resourceArn: request.resourceArn, resourceType: request.resourceType, destinationVaultArn: request.destinationVaultArn,
        sourceRecoveryPointArn: request.sourceRecoveryPointArn, parentJobId: request.parentJobId, createdBefore: ms(request.createdBefore),
        createdAfter: ms(request.createdAfter), completedBefore: ms(request.completeBefore), completedAfter: ms(request.completeAfter),
      };
      const filter = Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined)) as JobFilter<'copy'>;
      const page = await withPageToken(request, (p) => catalog.jobs.list('copy', scope, filter, p));
      return { items: page.items, nextToken: page.nextCursor };
    },
  };
}
