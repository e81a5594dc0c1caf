/**
 * Recovery points: one row per restic snapshot a vault holds, with the lifecycle AWS shows
 * (asked-for days and the calculated dates, which the domain computes) and what the vault
 * engine needs to find the data again (snapshot id and the repository's key id).
 */
import type { Selectable } from 'kysely';
import { CatalogConflictError } from './catalog-error.js';
import type { RecoveryPointsTable } from './database.js';
import type { StoreContext } from './dialect.js';
import type { Lifecycle } from './lifecycle.js';
import { afterKey, decodeCursor, pageLimit, toPage } from './pagination.js';
import type { Page, PageRequest } from './pagination.js';
import { recoveryPointRow, toRecoveryPoint, updateColumns } from './recovery-point-rows.js';
import type { CatalogScope, EpochMillis } from './scope.js';

export type RecoveryPointState = 'CREATING' | 'COMPLETED' | 'AVAILABLE' | 'PARTIAL' | 'STOPPED' | 'DELETING' | 'EXPIRED';
export type StorageClass = 'WARM' | 'COLD' | 'DELETED';

export interface CalculatedLifecycle {
  readonly deleteAt: EpochMillis | undefined;
  readonly moveToColdStorageAt: EpochMillis | undefined;
}

export interface RecoveryPointOrigin {
  readonly planId: string;
  readonly planArn: string;
  readonly planVersion: string;
  readonly ruleId: string;
  /** Added by migration 0091. */
  readonly planName?: string | undefined;
  readonly ruleName?: string | undefined;
  readonly ruleCron?: string | undefined;
  readonly ruleTimezone?: string | undefined;
}

export interface RecoveryPointRecord extends CatalogScope {
  readonly arn: string;
  readonly id: string;
  readonly vaultName: string;
  readonly vaultArn: string;
  readonly resourceArn: string;
  readonly resourceType: string;
  readonly resourceName: string | undefined;
  readonly state: RecoveryPointState;
  readonly statusMessage: string | undefined;
  readonly storageClass: StorageClass;
  /** The creation date; a copy keeps its source's. */
  readonly createdAt: EpochMillis;
  readonly completedAt: EpochMillis | undefined;
  readonly updatedAt: EpochMillis;
  readonly lifecycle: Lifecycle | undefined;
  readonly calculatedLifecycle: CalculatedLifecycle;
  readonly encryptionKeyArn: string | undefined;
  readonly backupSizeBytes: number | undefined;
  readonly snapshotId: string | undefined;
  readonly repositoryKeyId: string | undefined;
  readonly sourceRecoveryPointArn: string | undefined;
  readonly sourceVaultArn: string | undefined;
  /** The backup or copy job that made it. */
  readonly jobId: string | undefined;
  readonly createdBy: RecoveryPointOrigin | undefined;
  readonly iamRoleArn: string | undefined;
  readonly restoreMetadata: Readonly<Record<string, string>> | undefined;
  readonly lastRestoreAt: EpochMillis | undefined;
  /** The vault directory (storage URL) whose `<key id>/repo/` holds the snapshot, when not the vault's own: a COLD point in its region's cold storage. */
  readonly storageLocation: string | undefined;
  /** A move to cold storage was recorded but this snapshot is still to be forgotten in the vault's warm repository. */
  readonly warmSnapshotId: string | undefined;
}

export interface NewRecoveryPoint {
  readonly arn: string;
  readonly id: string;
  readonly vaultName: string;
  readonly vaultArn: string;
  readonly resourceArn: string;
  readonly resourceType: string;
  readonly resourceName?: string;
  readonly state: RecoveryPointState;
  readonly storageClass?: StorageClass;
  readonly createdAt: EpochMillis;
  readonly lifecycle?: Lifecycle;
  readonly calculatedLifecycle?: CalculatedLifecycle;
  readonly encryptionKeyArn?: string;
  readonly sourceRecoveryPointArn?: string;
  readonly sourceVaultArn?: string;
  readonly jobId?: string;
  readonly createdBy?: RecoveryPointOrigin;
  readonly iamRoleArn?: string;
}

/** Absent members stay; `null` clears an optional one. */
export interface RecoveryPointPatch {
  readonly updatedAt: EpochMillis;
  readonly state?: RecoveryPointState;
  readonly statusMessage?: string | null;
  readonly storageClass?: StorageClass;
  readonly completedAt?: EpochMillis | null;
  readonly lifecycle?: Lifecycle | null;
  readonly calculatedLifecycle?: CalculatedLifecycle;
  readonly backupSizeBytes?: number | null;
  readonly snapshotId?: string | null;
  readonly repositoryKeyId?: string | null;
  readonly restoreMetadata?: Readonly<Record<string, string>> | null;
  readonly lastRestoreAt?: EpochMillis | null;
  readonly storageLocation?: string | null;
  readonly warmSnapshotId?: string | null;
}

export interface RecoveryPointFilter {
  readonly resourceArn?: string;
  readonly resourceType?: string;
  readonly planId?: string;
  readonly state?: RecoveryPointState;
  readonly createdAfter?: EpochMillis;
  readonly createdBefore?: EpochMillis;
}

export interface ProtectedResource {
  readonly resourceArn: string;
  readonly resourceType: string;
  readonly resourceName: string | undefined;
  readonly lastBackupAt: EpochMillis;
  readonly lastRecoveryPointArn: string;
  readonly lastVaultArn: string;
}

export interface RecoveryPointStore {
  /** The vault must exist in the scope; throws CatalogConflictError when the ARN is taken. */
  create(scope: CatalogScope, point: NewRecoveryPoint): Promise<RecoveryPointRecord>;
  get(scope: CatalogScope, arn: string): Promise<RecoveryPointRecord | undefined>;
  /** Newest first. */
  listByVault(scope: CatalogScope, vaultName: string, filter?: RecoveryPointFilter, page?: PageRequest): Promise<Page<RecoveryPointRecord>>;
  /** Newest first, across the scope's vaults. */
  listByResource(scope: CatalogScope, resourceArn: string, page?: PageRequest): Promise<Page<RecoveryPointRecord>>;
  /** Count per vault name; vaults without recovery points are absent. */
  countByVault(scope: CatalogScope): Promise<ReadonlyMap<string, number>>;
  /** Resources with at least one recovery point in the scope, by ARN, with their latest one. */
  listProtectedResources(scope: CatalogScope, page?: PageRequest, vaultName?: string): Promise<Page<ProtectedResource>>;
  /** Every scope: recovery points whose calculated deletion date has come, earliest first. */
  listDueForDeletion(now: EpochMillis, page?: PageRequest): Promise<Page<RecoveryPointRecord>>;
  /** The earliest deletion or move to cold storage after `now`, of any recovery point. */
  nextLifecycleEvent(now: EpochMillis): Promise<EpochMillis | undefined>;
  /**
   * Every scope: WARM recovery points whose cold storage date has come, earliest first, and COLD
   * ones whose move left a warm snapshot to forget (`warmSnapshotId`).
   */
  listDueForColdStorage(now: EpochMillis, page?: PageRequest): Promise<Page<RecoveryPointRecord>>;
  /** Undefined when missing or (with `expectedStates`) not in one of those states. */
  update(scope: CatalogScope, arn: string, patch: RecoveryPointPatch, expectedStates?: readonly RecoveryPointState[]): Promise<RecoveryPointRecord | undefined>;
  /** With `expectedStates`, only while the point is in one of them. */
  delete(scope: CatalogScope, arn: string, expectedStates?: readonly RecoveryPointState[]): Promise<boolean>;
}

type Row = Selectable<RecoveryPointsTable>;

export function createRecoveryPointStore(ctx: StoreContext): RecoveryPointStore {
  const { db } = ctx;
  const inScope = (scope: CatalogScope) => db.selectFrom('recovery_points').where('account_id', '=', scope.accountId).where('region', '=', scope.region);
  const newestFirst = (list: string, rows: Row[], limit: number) => toPage(rows, limit, list, (r) => [r.created_at, r.arn], toRecoveryPoint);

  return {
    async create(scope, point) {
      try {
        return toRecoveryPoint(await db.insertInto('recovery_points').values(recoveryPointRow(scope, point)).returningAll().executeTakeFirstOrThrow());
      } catch (err) {
        if (ctx.dialect.isUniqueViolation(err)) throw new CatalogConflictError('recovery point', point.arn);
        throw err;
      }
    },
    async get(scope, arn) {
      const row = await inScope(scope).selectAll().where('arn', '=', arn).executeTakeFirst();
      return row === undefined ? undefined : toRecoveryPoint(row);
    },
    async listByVault(scope, vaultName, filter = {}, page) {
      const limit = pageLimit(page);
      const after = decodeCursor('vault-recovery-points', page, 2);
      const rows = await inScope(scope)
        .selectAll()
        .where('vault_name', '=', vaultName)
        .$if(filter.resourceArn !== undefined, (q) => q.where('resource_arn', '=', filter.resourceArn!))
        .$if(filter.resourceType !== undefined, (q) => q.where('resource_type', '=', filter.resourceType!))
        .$if(filter.planId !== undefined, (q) => q.where('created_by_plan_id', '=', filter.planId!))
        .$if(filter.state !== undefined, (q) => q.where('state', '=', filter.state!))
        .$if(filter.createdAfter !== undefined, (q) => q.where('created_at', '>', filter.createdAfter!))
        .$if(filter.createdBefore !== undefined, (q) => q.where('created_at', '<', filter.createdBefore!))
        .$if(after !== undefined, (q) => q.where(afterKey(['created_at', 'arn'], after!, 'desc')))
        .orderBy('created_at', 'desc')
        .orderBy('arn', 'desc')
        .limit(limit + 1)
        .execute();
      return newestFirst('vault-recovery-points', rows, limit);
    },
    async listByResource(scope, resourceArn, page) {
      const limit = pageLimit(page);
      const after = decodeCursor('resource-recovery-points', page, 2);
      const rows = await inScope(scope)
        .selectAll()
        .where('resource_arn', '=', resourceArn)
        .$if(after !== undefined, (q) => q.where(afterKey(['created_at', 'arn'], after!, 'desc')))
        .orderBy('created_at', 'desc')
        .orderBy('arn', 'desc')
        .limit(limit + 1)
        .execute();
      return newestFirst('resource-recovery-points', rows, limit);
    },
    async countByVault(scope) {
      const rows = await inScope(scope)
        .select((eb) => ['vault_name', eb.fn.countAll<number>().as('n')])
        .groupBy('vault_name')
        .execute();
      return new Map(rows.map((r) => [r.vault_name, Number(r.n)]));
    },
    listProtectedResources: (scope, page, vaultName) => listProtected(ctx, scope, page, vaultName),
    async listDueForDeletion(now, page) {
      const limit = pageLimit(page);
      const after = decodeCursor('due-deletion', page, 2);
      const rows = await db
        .selectFrom('recovery_points')
        .selectAll()
        .where('delete_at', '<=', now)
        .$if(after !== undefined, (q) => q.where(afterKey(['delete_at', 'arn'], after!, 'asc')))
        .orderBy('delete_at')
        .orderBy('arn')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, 'due-deletion', (r) => [r.delete_at!, r.arn], toRecoveryPoint);
    },
    async nextLifecycleEvent(now) {
      const del = await db
        .selectFrom('recovery_points')
        .select((eb) => eb.fn.min('delete_at').as('t'))
        .where('delete_at', '>', now)
        .executeTakeFirst();
      const cold = await db
        .selectFrom('recovery_points')
        .select((eb) => eb.fn.min('move_to_cold_at').as('t'))
        .where('storage_class', '=', 'WARM')
        .where('move_to_cold_at', '>', now)
        .executeTakeFirst();
      const times = [del?.t, cold?.t].filter((t): t is number => t !== null && t !== undefined).map(Number);
      return times.length === 0 ? undefined : Math.min(...times);
    },
    async listDueForColdStorage(now, page) {
      const limit = pageLimit(page);
      const after = decodeCursor('due-cold', page, 2);
      const rows = await db
        .selectFrom('recovery_points')
        .selectAll()
        .where('move_to_cold_at', '<=', now)
        .where((eb) => eb.or([eb('storage_class', '=', 'WARM'), eb('warm_snapshot_id', 'is not', null)]))
        .$if(after !== undefined, (q) => q.where(afterKey(['move_to_cold_at', 'arn'], after!, 'asc')))
        .orderBy('move_to_cold_at')
        .orderBy('arn')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, 'due-cold', (r) => [r.move_to_cold_at!, r.arn], toRecoveryPoint);
    },
    async update(scope, arn, patch, expectedStates) {
      const row = await db
        .updateTable('recovery_points')
        .set(updateColumns(patch))
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('arn', '=', arn)
        .$if(expectedStates !== undefined, (q) => q.where('state', 'in', expectedStates!))
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? undefined : toRecoveryPoint(row);
    },
    async delete(scope, arn, expectedStates) {
      const result = await db
        .deleteFrom('recovery_points')
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('arn', '=', arn)
        .$if(expectedStates !== undefined, (q) => q.where('state', 'in', expectedStates!))
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}

/** The latest recovery point per resource, by a window function (SQLite 3.25+, PostgreSQL). */
/** Each resource with its newest recovery point (in `vaultName` only, when given). */
async function listProtected({ db }: StoreContext, scope: CatalogScope, page?: PageRequest, vaultName?: string): Promise<Page<ProtectedResource>> {
  const limit = pageLimit(page);
  const after = decodeCursor('protected-resources', page, 1);
  const ranked = db
    .selectFrom('recovery_points')
    .select((eb) => [
      'resource_arn',
      'resource_type',
      'resource_name',
      'created_at',
      'arn',
      'vault_arn',
      eb.fn
        .agg<number>('row_number')
        .over((o) => o.partitionBy('resource_arn').orderBy('created_at', 'desc').orderBy('arn', 'desc'))
        .as('rank'),
    ])
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .$if(vaultName !== undefined, (q) => q.where('vault_name', '=', vaultName!));
  const rows = await db
    .selectFrom(ranked.as('ranked'))
    .selectAll()
    .where('rank', '=', 1)
    .$if(after !== undefined, (q) => q.where(afterKey(['resource_arn'], after!, 'asc')))
    .orderBy('resource_arn')
    .limit(limit + 1)
    .execute();
  return toPage(
    rows,
    limit,
    'protected-resources',
    (r) => [r.resource_arn],
    (r) => ({
      resourceArn: r.resource_arn,
      resourceType: r.resource_type,
      resourceName: r.resource_name ?? undefined,
      lastBackupAt: r.created_at,
      lastRecoveryPointArn: r.arn,
      lastVaultArn: r.vault_arn,
    }),
  );
}
