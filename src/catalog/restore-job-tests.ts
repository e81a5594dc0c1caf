/**
 * What restore testing knows of a restore job (migration 0085): the plan and selection that
 * started it, its validation (Coffer's own check, or the caller's PutRestoreValidationResult)
 * and the deletion of the scratch resource it created. One row per restore job, written only by
 * restore testing; the job itself stays the job ledger's.
 */
import type { Selectable } from 'kysely';
import type { StoreContext } from './dialect.js';
import type { CatalogScope, EpochMillis } from './scope.js';

export interface RestoreJobTestsTable {
  account_id: string;
  region: string;
  restore_job_id: string;
  plan_arn: string | null;
  plan_name: string | null;
  selection_name: string | null;
  validation_window_hours: number | null;
  validation_status: string | null;
  validation_status_message: string | null;
  deletion_status: string | null;
  deletion_status_message: string | null;
  delete_at: number | null;
  created_at: number;
  updated_at: number;
}

declare module './database.js' {
  interface Database {
    readonly restore_job_tests: RestoreJobTestsTable;
  }
}

export type ValidationStatus = 'FAILED' | 'SUCCESSFUL' | 'TIMED_OUT' | 'VALIDATING';
export type DeletionStatus = 'DELETING' | 'FAILED' | 'SUCCESSFUL';

export interface RestoreJobTestRecord extends CatalogScope {
  readonly restoreJobId: string;
  readonly planArn: string | undefined;
  readonly planName: string | undefined;
  readonly selectionName: string | undefined;
  readonly validationWindowHours: number | undefined;
  readonly validationStatus: ValidationStatus | undefined;
  readonly validationStatusMessage: string | undefined;
  readonly deletionStatus: DeletionStatus | undefined;
  readonly deletionStatusMessage: string | undefined;
  /** When the scratch resource is deleted at the latest (the end of the validation window). */
  readonly deleteAt: EpochMillis | undefined;
  readonly createdAt: EpochMillis;
  readonly updatedAt: EpochMillis;
}

export interface RestoreJobTestPatch {
  readonly validationStatus?: ValidationStatus;
  readonly validationStatusMessage?: string | null;
  readonly deletionStatus?: DeletionStatus;
  readonly deletionStatusMessage?: string | null;
  readonly deleteAt?: EpochMillis | null;
  readonly updatedAt: EpochMillis;
}

export interface RestoreJobTestStore {
  /** A restore test's job; a second record of the same job is ignored. */
  record(
    scope: CatalogScope,
    test: Pick<RestoreJobTestRecord, 'restoreJobId' | 'planArn' | 'planName' | 'selectionName' | 'validationWindowHours' | 'createdAt'>,
  ): Promise<void>;
  get(scope: CatalogScope, restoreJobId: string): Promise<RestoreJobTestRecord | undefined>;
  /** The records of these jobs (those that have one). */
  getMany(scope: CatalogScope, restoreJobIds: readonly string[]): Promise<readonly RestoreJobTestRecord[]>;
  /** Applies `patch`, creating the row for a job outside any plan. */
  update(scope: CatalogScope, restoreJobId: string, patch: RestoreJobTestPatch): Promise<RestoreJobTestRecord>;
  /** Marks the scratch resource's deletion begun (DELETING); false when another node did first. */
  claimDeletion(scope: CatalogScope, restoreJobId: string, now: EpochMillis): Promise<boolean>;
  /** The tests of every account whose scratch resource is not yet deleted, oldest first (the scheduler's tick). */
  unsettled(limit: number): Promise<readonly RestoreJobTestRecord[]>;
}

export function createRestoreJobTestStore({ db, dialect }: StoreContext): RestoreJobTestStore {
  const scoped = (scope: CatalogScope) =>
    db.selectFrom('restore_job_tests').selectAll().where('account_id', '=', scope.accountId).where('region', '=', scope.region);
  const get = async (scope: CatalogScope, id: string) => {
    const row = await scoped(scope).where('restore_job_id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toTest(row);
  };
  const record: RestoreJobTestStore['record'] = async (scope, test) => {
    try {
      await db
        .insertInto('restore_job_tests')
        .values({
          account_id: scope.accountId,
          region: scope.region,
          restore_job_id: test.restoreJobId,
          plan_arn: test.planArn ?? null,
          plan_name: test.planName ?? null,
          selection_name: test.selectionName ?? null,
          validation_window_hours: test.validationWindowHours ?? null,
          validation_status: null,
          validation_status_message: null,
          deletion_status: null,
          deletion_status_message: null,
          delete_at: null,
          created_at: test.createdAt,
          updated_at: test.createdAt,
        })
        .execute();
    } catch (err) {
      if (!dialect.isUniqueViolation(err)) throw err;
    }
  };
  return {
    record,
    get,
    async getMany(scope, ids) {
      if (ids.length === 0) return [];
      const rows = await scoped(scope)
        .where('restore_job_id', 'in', [...ids])
        .execute();
      return rows.map(toTest);
    },
    async update(scope, id, patch) {
      if ((await get(scope, id)) === undefined) {
        await record(scope, {
          restoreJobId: id,
          planArn: undefined,
          planName: undefined,
          selectionName: undefined,
          validationWindowHours: undefined,
          createdAt: patch.updatedAt,
        });
      }
      await db
        .updateTable('restore_job_tests')
        .set({
          updated_at: patch.updatedAt,
          ...(patch.validationStatus === undefined ? {} : { validation_status: patch.validationStatus }),
          ...(patch.validationStatusMessage === undefined ? {} : { validation_status_message: patch.validationStatusMessage }),
          ...(patch.deletionStatus === undefined ? {} : { deletion_status: patch.deletionStatus }),
          ...(patch.deletionStatusMessage === undefined ? {} : { deletion_status_message: patch.deletionStatusMessage }),
          ...(patch.deleteAt === undefined ? {} : { delete_at: patch.deleteAt }),
        })
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('restore_job_id', '=', id)
        .execute();
      return (await get(scope, id))!;
    },
    async claimDeletion(scope, id, now) {
      const result = await db
        .updateTable('restore_job_tests')
        .set({ deletion_status: 'DELETING', updated_at: now })
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('restore_job_id', '=', id)
        .where('deletion_status', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async unsettled(limit) {
      const rows = await db
        .selectFrom('restore_job_tests')
        .selectAll()
        .where('plan_arn', 'is not', null)
        .where((eb) => eb.or([eb('deletion_status', 'is', null), eb('deletion_status', '=', 'DELETING')]))
        .orderBy('created_at')
        .orderBy('restore_job_id')
        .limit(limit)
        .execute();
      return rows.map(toTest);
    },
  };
}

function toTest(row: Selectable<RestoreJobTestsTable>): RestoreJobTestRecord {
  return {
    accountId: row.account_id,
    region: row.region,
    restoreJobId: row.restore_job_id,
    planArn: row.plan_arn ?? undefined,
    planName: row.plan_name ?? undefined,
    selectionName: row.selection_name ?? undefined,
    validationWindowHours: row.validation_window_hours ?? undefined,
    validationStatus: (row.validation_status ?? undefined) as ValidationStatus | undefined,
    validationStatusMessage: row.validation_status_message ?? undefined,
    deletionStatus: (row.deletion_status ?? undefined) as DeletionStatus | undefined,
    deletionStatusMessage: row.deletion_status_message ?? undefined,
    deleteAt: row.delete_at === null ? undefined : Number(row.delete_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
