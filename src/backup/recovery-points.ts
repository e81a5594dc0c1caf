/**
 * Recovery points: lists by vault and by resource, describe, restore metadata, lifecycle
 * update, delete (DELETING at once; the snapshot is forgotten and pruned by the injected
 * eraser, then the ledger erases the point), protected resources. Points are read and changed
 * through the ledger.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { VaultRecord } from '../catalog/vaults.js';
import { arns } from '../iam/arn.js';
import { BackupError } from './backup-error.js';
import type { CallScope } from './call-scope.js';
import type { Clock } from './clock.js';
import type { JobLedger } from './jobs/job-ledger.js';
import { calculateLifecycle } from './jobs/lifecycle.js';
import type { Lifecycle } from './jobs/lifecycle.js';
import type { ProtectedResource, RecoveryPoint } from './jobs/recovery-point.js';
import { checkLifecycle } from './lifecycle-rules.js';
import { listPage } from './list-page.js';
import type { ListPage, ListRequest } from './list-page.js';
import { authorizeVaultAction, ownerScopeOf } from './vault-authorization.js';
import { isLockImmutable, lockRefusal, retentionDaysBetween } from './vault-lock.js';

/** Removes a recovery point's data from its vault repository (forget + prune), then its row. */
export type RecoveryPointEraser = (scope: CallScope, point: RecoveryPoint) => void;

export interface RecoveryPointListRequest extends ListRequest {
  readonly resourceArn?: string | undefined;
  readonly resourceType?: string | undefined;
  readonly createdBefore?: Date | undefined;
  readonly createdAfter?: Date | undefined;
  /** ByBackupPlanId: points a rule of this plan made (copies keep their source's plan). */
  readonly planId?: string | undefined;
  /** ByParentRecoveryPointArn: Coffer makes no composite points, so a parent has no children. */
  readonly parentRecoveryPointArn?: string | undefined;
  /** The account that owns the vault (BackupVaultAccountId); default the caller's. */
  readonly ownerAccountId?: string | undefined;
}

export interface RecoveryPointService {
  listByVault(scope: CallScope, vaultName: string, request: RecoveryPointListRequest): Promise<ListPage<RecoveryPoint>>;
  listByResource(scope: CallScope, resourceArn: string, request: ListRequest): Promise<ListPage<RecoveryPoint>>;
  describe(scope: CallScope, vaultName: string, arn: string): Promise<RecoveryPoint>;
  /** The recovery point, for its restore metadata (checked as backup:GetRecoveryPointRestoreMetadata). */
  restoreMetadata(scope: CallScope, vaultName: string, arn: string): Promise<RecoveryPoint>;
  updateLifecycle(scope: CallScope, vaultName: string, arn: string, lifecycle: Lifecycle | undefined): Promise<RecoveryPoint>;
  delete(scope: CallScope, vaultName: string, arn: string): Promise<void>;
  listProtectedResources(scope: CallScope, request: ListRequest): Promise<ListPage<ProtectedResource>>;
  /** The resources with recovery points in the vault, each with its newest one there. */
  listProtectedResourcesByVault(
    scope: CallScope,
    vaultName: string,
    request: ListRequest & { readonly ownerAccountId?: string | undefined },
  ): Promise<ListPage<ProtectedResource>>;
  /** DisassociateRecoveryPoint / DisassociateRecoveryPointFromParent: for continuous and composite points, which Coffer never makes. */
  disassociate(scope: CallScope, vaultName: string, arn: string, from: 'source' | 'parent'): Promise<never>;
  describeProtectedResource(scope: CallScope, resourceArn: string): Promise<ProtectedResource>;
}

export interface RecoveryPointDeps {
  readonly catalog: Catalog;
  readonly ledger: JobLedger;
  readonly clock: Clock;
  readonly eraseRecoveryPoint: RecoveryPointEraser;
}

export function recoveryPointNotFound(scope: CallScope, arn: string, vaultName?: string): BackupError {
  const where = vaultName === undefined ? '' : ` in backup vault ${vaultName}`;
  return new BackupError('RecoveryPointNotFound', `Recovery point ${arn} does not exist${where} (account ${scope.accountId}, region ${scope.region}).`, {
    context: arn,
  });
}

export function createRecoveryPointService({ catalog, ledger, clock, eraseRecoveryPoint }: RecoveryPointDeps): RecoveryPointService {
  /** The point and its vault, after the vault's access policy allowed `action` on it (the point may be another account's). */
  const findFor = async (scope: CallScope, vaultName: string, arn: string, action: string) => {
    const owner = ownerScopeOf(scope, arn);
    const vault = await authorizeVaultAction(catalog, scope, { ...owner, name: vaultName }, action, arn);
    const point = await ledger.point(owner, arn);
    if (point === undefined || point.vaultName !== vaultName) throw recoveryPointNotFound(owner, arn, vaultName);
    return { owner, vault, point };
  };
  const find = async (scope: CallScope, vaultName: string, arn: string, action: string): Promise<RecoveryPoint> =>
    (await findFor(scope, vaultName, arn, action)).point;

  return {
    async listByVault(scope, vaultName, request) {
      const owner = request.ownerAccountId === undefined ? scope : { ...scope, accountId: request.ownerAccountId };
      await authorizeVaultAction(catalog, scope, { ...owner, name: vaultName }, 'backup:ListRecoveryPointsByBackupVault', arns.backupVault(owner, vaultName));
      const query = {
        resourceArn: request.resourceArn,
        resourceType: request.resourceType,
        createdBefore: request.createdBefore,
        createdAfter: request.createdAfter,
        planId: request.planId,
      };
      if (request.parentRecoveryPointArn !== undefined) return { items: [], nextToken: undefined };
      return listPage(request, (p) => ledger.pointsByVault(owner, vaultName, query, p));
    },

    async listByResource(scope, resourceArn, request) {
      return listPage(request, (p) => ledger.pointsByResource(scope, resourceArn, p));
    },

    describe: (scope, vaultName, arn) => find(scope, vaultName, arn, 'backup:DescribeRecoveryPoint'),

    async restoreMetadata(scope, vaultName, arn) {
      return find(scope, vaultName, arn, 'backup:GetRecoveryPointRestoreMetadata');
    },

    async updateLifecycle(scope, vaultName, arn, lifecycle) {
      checkLifecycle(lifecycle);
      const { owner, vault, point } = await findFor(scope, vaultName, arn, 'backup:UpdateRecoveryPointLifecycle');
      refuseLockedLifecycle(vault, point, lifecycle, clock.now().getTime());
      const updated = await ledger.stepPoint(owner, point, { type: 'setLifecycle', lifecycle });
      if (updated === undefined) throw recoveryPointNotFound(scope, arn, vaultName);
      return updated;
    },

    async delete(scope, vaultName, arn) {
      const { owner, vault, point } = await findFor(scope, vaultName, arn, 'backup:DeleteRecoveryPoint');
      refuseLockedDelete(vault, arn, clock.now().getTime());
      await refuseHeldDelete(catalog, owner, arn);
      const deleting = await ledger.stepPoint(owner, point, { type: 'delete' });
      if (deleting === undefined) {
        const state = (await ledger.point(owner, arn))?.state ?? 'gone';
        throw new BackupError(
          'RecoveryPointBusy',
          state === 'CREATING'
            ? `Recovery point ${arn} is CREATING: its backup job is still running. Wait until DescribeRecoveryPoint shows COMPLETED (or stop the job with StopBackupJob), then delete it.`
            : `Recovery point ${arn} is ${state}: it is already being deleted, and goes away by itself; nothing to do.`,
          { context: arn },
        );
      }
      eraseRecoveryPoint(owner, deleting);
    },

    async listProtectedResources(scope, request) {
      return listPage(request, (p) => ledger.protectedResources(scope, p));
    },

    async listProtectedResourcesByVault(scope, vaultName, request) {
      const owner = request.ownerAccountId === undefined ? scope : { ...scope, accountId: request.ownerAccountId };
      await authorizeVaultAction(
        catalog,
        scope,
        { ...owner, name: vaultName },
        'backup:ListProtectedResourcesByBackupVault',
        arns.backupVault(owner, vaultName),
      );
      return listPage(request, (p) => ledger.protectedResources(owner, p, vaultName));
    },

    async disassociate(scope, vaultName, arn, from) {
      const action = from === 'source' ? 'backup:DisassociateRecoveryPoint' : 'backup:DisassociateRecoveryPointFromParent';
      await find(scope, vaultName, arn, action);
      throw new BackupError(
        'InvalidRecoveryPointState',
        from === 'source'
          ? `Recovery point ${arn} is a snapshot backup, not a continuous backup: only continuous backup recovery points can be disassociated (Coffer makes none). Delete it with DeleteRecoveryPoint instead.`
          : `Recovery point ${arn} has no parent: only a child of a composite recovery point can be disassociated from its parent (Coffer makes none).`,
        { context: arn },
      );
    },

    async describeProtectedResource(scope, resourceArn) {
      const page = await ledger.pointsByResource(scope, resourceArn, { limit: 1 });
      const latest = page.items[0];
      if (latest === undefined)
        throw new BackupError('ResourceNotFound', `Resource ${resourceArn} has no recovery point in account ${scope.accountId}, region ${scope.region}.`, {
          context: resourceArn,
        });
      return {
        resourceArn,
        resourceType: latest.resourceType,
        resourceName: latest.resourceName,
        lastBackupAt: latest.createdAt,
        lastRecoveryPointArn: latest.arn,
        lastVaultArn: latest.vaultArn,
      };
    },
  };
}

function lockWords(vault: VaultRecord, now: number): string {
  const lock = vault.lock;
  const range = [
    lock?.minRetentionDays === undefined ? '' : `MinRetentionDays ${lock.minRetentionDays}`,
    lock?.maxRetentionDays === undefined ? '' : `MaxRetentionDays ${lock.maxRetentionDays}`,
  ]
    .filter((w) => w !== '')
    .join(', ');
  const mode =
    lock?.lockDate === undefined
      ? 'governance mode: its account can remove it with DeleteBackupVaultLockConfiguration'
      : isLockImmutable(lock, now)
        ? `compliance mode, immutable since ${new Date(lock.lockDate).toISOString()}`
        : `compliance mode, changeable until ${new Date(lock.lockDate).toISOString()}`;
  return `backup vault ${vault.name} is locked by Backup Vault Lock (${range === '' ? 'no retention range' : range}; ${mode})`;
}

/** A locked vault's recovery points are deleted only by their lifecycle, never on request, whoever asks. */
function refuseLockedDelete(vault: VaultRecord, arn: string, now: number): void {
  if (vault.lock === undefined) return;
  throw new BackupError(
    'VaultLocked',
    `Recovery point ${arn} cannot be deleted: ${lockWords(vault, now)}. Recovery points in a locked vault are deleted only when their lifecycle expires.`,
    { context: arn },
  );
}

/**
 * In a locked vault a lifecycle may be lengthened within the lock's range, never shortened: the
 * new deletion date may not come before the current one, and the retention must stay within
 * [MinRetentionDays, MaxRetentionDays] (kept forever counts as longer than any MaxRetentionDays).
 */
function refuseLockedLifecycle(vault: VaultRecord, point: RecoveryPoint, lifecycle: Lifecycle | undefined, now: number): void {
  if (vault.lock === undefined) return;
  const current = point.calculatedLifecycle.deleteAt;
  const next = calculateLifecycle(point.createdAt, lifecycle).deleteAt;
  if (next !== undefined && (current === undefined || next < current)) {
    const was = current === undefined ? 'kept indefinitely' : `deleted on ${current.toISOString()}`;
    throw new BackupError(
      'VaultLocked',
      `The lifecycle of recovery point ${point.arn} cannot be shortened: ${lockWords(vault, now)}. It is ${was}; the new lifecycle would delete it on ${next.toISOString()}.`,
      { context: point.arn },
    );
  }
  const refusal = lockRefusal(vault.lock, retentionDaysBetween(point.createdAt.getTime(), next?.getTime()), now);
  if (refusal !== undefined)
    throw new BackupError('VaultLocked', `The lifecycle of recovery point ${point.arn} is refused: ${refusal}`, { context: point.arn });
}

async function refuseHeldDelete(catalog: Pick<Catalog, 'legalHolds'>, scope: CallScope, arn: string): Promise<void> {
  const holds = await catalog.legalHolds.activeHoldsOn(scope, arn);
  if (holds.length === 0) return;
  const names = holds.map((h) => `${h.id} ("${h.title}", ${h.status})`).join(', ');
  throw new BackupError(
    'RecoveryPointHeld',
    `Recovery point ${arn} cannot be deleted: it is under legal hold ${names}. Cancel the hold with CancelLegalHold first.`,
    { context: arn },
  );
}
