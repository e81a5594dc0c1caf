/**
 * Recovery points: lists by vault and by resource, describe, restore metadata, lifecycle
 * update, delete (DELETING at once; the snapshot is forgotten and pruned by the injected
 * eraser, then the row goes), protected resources.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { Lifecycle } from '../catalog/lifecycle.js';
import type { ProtectedResource, RecoveryPointRecord } from '../catalog/recovery-points.js';
import { BackupError } from './backup-error.js';
import type { CallScope } from './call-scope.js';
import type { Clock } from './clock.js';
import { calculateLifecycle, checkLifecycle } from './lifecycle-rules.js';
import { withPageToken } from './list-page.js';
import type { ListPage, ListRequest } from './list-page.js';
import { requireVault } from './vaults.js';

/** Removes a recovery point's data from its vault repository (forget + prune), then its row. */
export type RecoveryPointEraser = (scope: CallScope, point: RecoveryPointRecord) => void;

export interface RecoveryPointListRequest extends ListRequest {
  readonly resourceArn?: string | undefined;
  readonly resourceType?: string | undefined;
  readonly createdBefore?: Date | undefined;
  readonly createdAfter?: Date | undefined;
}

export interface RecoveryPointService {
  listByVault(scope: CallScope, vaultName: string, request: RecoveryPointListRequest): Promise<ListPage<RecoveryPointRecord>>;
  listByResource(scope: CallScope, resourceArn: string, request: ListRequest): Promise<ListPage<RecoveryPointRecord>>;
  describe(scope: CallScope, vaultName: string, arn: string): Promise<RecoveryPointRecord>;
  restoreMetadata(scope: CallScope, vaultName: string, arn: string): Promise<Readonly<Record<string, string>>>;
  updateLifecycle(scope: CallScope, vaultName: string, arn: string, lifecycle: Lifecycle | undefined): Promise<RecoveryPointRecord>;
  delete(scope: CallScope, vaultName: string, arn: string): Promise<void>;
  listProtectedResources(scope: CallScope, request: ListRequest): Promise<ListPage<ProtectedResource>>;
  describeProtectedResource(scope: CallScope, resourceArn: string): Promise<ProtectedResource>;
}

export interface RecoveryPointDeps {
  readonly catalog: Catalog;
  readonly clock: Clock;
  readonly eraseRecoveryPoint: RecoveryPointEraser;
}

export function recoveryPointNotFound(scope: CallScope, arn: string, vaultName?: string): BackupError {
  const where = vaultName === undefined ? '' : ` in backup vault ${vaultName}`;
  return new BackupError('RecoveryPointNotFound', `Recovery point ${arn} does not exist${where} (account ${scope.accountId}, region ${scope.region}).`, { context: arn });
}

export function createRecoveryPointService({ catalog, clock, eraseRecoveryPoint }: RecoveryPointDeps): RecoveryPointService {
  const find = async (scope: CallScope, vaultName: string, arn: string): Promise<RecoveryPointRecord> => {
    await requireVault(catalog, scope, vaultName);
    const point = await catalog.recoveryPoints.get(scope, arn);
    if (point === undefined || point.vaultName !== vaultName) throw recoveryPointNotFound(scope, arn, vaultName);
    return point;
  };

  return {
    async listByVault(scope, vaultName, request) {
      await requireVault(catalog, scope, vaultName);
      const filter = {
        ...(request.resourceArn === undefined ? {} : { resourceArn: request.resourceArn }),
        ...(request.resourceType === undefined ? {} : { resourceType: request.resourceType }),
        ...(request.createdBefore === undefined ? {} : { createdBefore: request.createdBefore.getTime() }),
        ...(request.createdAfter === undefined ? {} : { createdAfter: request.createdAfter.getTime() }),
      };
      const page = await withPageToken(request, (p) => catalog.recoveryPoints.listByVault(scope, vaultName, filter, p));
      return { items: page.items, nextToken: page.nextCursor };
    },

    async listByResource(scope, resourceArn, request) {
      const page = await withPageToken(request, (p) => catalog.recoveryPoints.listByResource(scope, resourceArn, p));
      return { items: page.items, nextToken: page.nextCursor };
    },

    describe: find,

    async restoreMetadata(scope, vaultName, arn) {
      return (await find(scope, vaultName, arn)).restoreMetadata ?? {};
    },

    async updateLifecycle(scope, vaultName, arn, lifecycle) {
      checkLifecycle(lifecycle);
      const point = await find(scope, vaultName, arn);
      const updated = await catalog.recoveryPoints.update(scope, arn, {
        updatedAt: clock.now().getTime(), lifecycle: lifecycle ?? null, calculatedLifecycle: calculateLifecycle(point.createdAt, lifecycle),
      });
      if (updated === undefined) throw recoveryPointNotFound(scope, arn, vaultName);
      return updated;
    },

    async delete(scope, vaultName, arn) {
      await find(scope, vaultName, arn);
      const deleting = await catalog.recoveryPoints.update(scope, arn, { updatedAt: clock.now().getTime(), state: 'DELETING' }, ['COMPLETED', 'AVAILABLE', 'PARTIAL', 'EXPIRED']);
      if (deleting === undefined) {
        throw new BackupError('JobNotStoppable', `Recovery point ${arn} is being created or already being deleted; try again when it is COMPLETED.`, { context: arn });
      }
      eraseRecoveryPoint(scope, deleting);
    },

    async listProtectedResources(scope, request) {
      const page = await withPageToken(request, (p) => catalog.recoveryPoints.listProtectedResources(scope, p));
      return { items: page.items, nextToken: page.nextCursor };
    },

    async describeProtectedResource(scope, resourceArn) {
      const page = await catalog.recoveryPoints.listByResource(scope, resourceArn, { limit: 1 });
      const latest = page.items[0];
      if (latest === undefined) throw new BackupError('ResourceNotFound', `Resource ${resourceArn} has no recovery point in account ${scope.accountId}, region ${scope.region}.`, { context: resourceArn });
      return {
        resourceArn, resourceType: latest.resourceType, resourceName: latest.resourceName,
        lastBackupAt: latest.createdAt, lastRecoveryPointArn: latest.arn, lastVaultArn: latest.vaultArn,
      };
    },
  };
}
