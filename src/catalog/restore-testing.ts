/**
 * Restore testing plans and their selections (migration 0085), scoped by account and region and
 * named by the caller. Each plan carries its scheduling cursor (`dispatchedUntil`): the instant up
 * to which its runs were started, moved by compare-and-set so that with many nodes each run is
 * started once. The documents are kept as the domain checked them (JSON text).
 */
import type { Selectable } from 'kysely';
import { CatalogConflictError } from './catalog-error.js';
import type { StoreContext } from './dialect.js';
import { inTransaction } from './dialect.js';
import { fromJsonTextRequired, toJsonText } from './json-text.js';
import type { JsonObject } from './json-text.js';
import { afterKey, decodeCursor, pageLimit, toPage } from './pagination.js';
import type { Page, PageRequest } from './pagination.js';
import type { CatalogScope, EpochMillis } from './scope.js';

interface Scoped {
  account_id: string;
  region: string;
}

export interface RestoreTestingPlansTable extends Scoped {
  name: string;
  arn: string;
  document: string;
  creator_request_id: string | null;
  created_at: number;
  updated_at: number;
  last_execution_at: number | null;
  dispatched_until: number;
}

export interface RestoreTestingSelectionsTable extends Scoped {
  plan_name: string;
  name: string;
  document: string;
  creator_request_id: string | null;
  created_at: number;
  updated_at: number;
}

declare module './database.js' {
  interface Database {
    readonly restore_testing_plans: RestoreTestingPlansTable;
    readonly restore_testing_selections: RestoreTestingSelectionsTable;
  }
}

export interface RestoreTestingPlanRecord extends CatalogScope {
  readonly name: string;
  readonly arn: string;
  readonly document: JsonObject;
  readonly creatorRequestId: string | undefined;
  readonly createdAt: EpochMillis;
  readonly updatedAt: EpochMillis;
  readonly lastExecutionAt: EpochMillis | undefined;
  readonly dispatchedUntil: EpochMillis;
}

export interface RestoreTestingSelectionRecord extends CatalogScope {
  readonly planName: string;
  readonly name: string;
  readonly document: JsonObject;
  readonly creatorRequestId: string | undefined;
  readonly createdAt: EpochMillis;
  readonly updatedAt: EpochMillis;
}

export type NewRestoreTestingPlan = Omit<RestoreTestingPlanRecord, keyof CatalogScope | 'lastExecutionAt'>;
export type NewRestoreTestingSelection = Omit<RestoreTestingSelectionRecord, keyof CatalogScope>;

export interface RestoreTestingStore {
  /** Throws CatalogConflictError when the name is taken. */
  createPlan(scope: CatalogScope, plan: NewRestoreTestingPlan): Promise<RestoreTestingPlanRecord>;
  getPlan(scope: CatalogScope, name: string): Promise<RestoreTestingPlanRecord | undefined>;
  /** By name. */
  listPlans(scope: CatalogScope, page?: PageRequest): Promise<Page<RestoreTestingPlanRecord>>;
  /** Every plan of every account and region (the scheduler's tick), by account, region and name. */
  allPlans(page?: PageRequest): Promise<Page<RestoreTestingPlanRecord>>;
  /** Undefined when the plan is gone. */
  updatePlan(
    scope: CatalogScope,
    name: string,
    document: JsonObject,
    updatedAt: EpochMillis,
    dispatchedUntil: EpochMillis,
  ): Promise<RestoreTestingPlanRecord | undefined>;
  /** The plan's cursor from `expected` to `to` (and its LastExecutionTime, when given); false when another node moved it first. */
  advancePlan(scope: CatalogScope, name: string, expected: EpochMillis, to: EpochMillis, executedAt?: EpochMillis): Promise<boolean>;
  /** False when the plan did not exist. */
  deletePlan(scope: CatalogScope, name: string): Promise<boolean>;
  /** Throws CatalogConflictError when the name is taken in the plan. */
  createSelection(scope: CatalogScope, selection: NewRestoreTestingSelection): Promise<RestoreTestingSelectionRecord>;
  getSelection(scope: CatalogScope, planName: string, name: string): Promise<RestoreTestingSelectionRecord | undefined>;
  /** By name. */
  listSelections(scope: CatalogScope, planName: string, page?: PageRequest): Promise<Page<RestoreTestingSelectionRecord>>;
  updateSelection(
    scope: CatalogScope,
    planName: string,
    name: string,
    document: JsonObject,
    updatedAt: EpochMillis,
  ): Promise<RestoreTestingSelectionRecord | undefined>;
  deleteSelection(scope: CatalogScope, planName: string, name: string): Promise<boolean>;
}

export function createRestoreTestingStore({ db, dialect }: StoreContext): RestoreTestingStore {
  const plans = (scope: CatalogScope) =>
    db.selectFrom('restore_testing_plans').selectAll().where('account_id', '=', scope.accountId).where('region', '=', scope.region);
  const selections = (scope: CatalogScope, planName: string) =>
    db
      .selectFrom('restore_testing_selections')
      .selectAll()
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('plan_name', '=', planName);
  const conflictOn = async <T>(what: string, key: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      if (dialect.isUniqueViolation(err)) throw new CatalogConflictError(what, key);
      throw err;
    }
  };

  return {
    createPlan: (scope, plan) =>
      conflictOn('restore testing plan', plan.name, async () =>
        toPlan(
          await db
            .insertInto('restore_testing_plans')
            .values({
              account_id: scope.accountId,
              region: scope.region,
              name: plan.name,
              arn: plan.arn,
              document: toJsonText(plan.document)!,
              creator_request_id: plan.creatorRequestId ?? null,
              created_at: plan.createdAt,
              updated_at: plan.updatedAt,
              last_execution_at: null,
              dispatched_until: plan.dispatchedUntil,
            })
            .returningAll()
            .executeTakeFirstOrThrow(),
        ),
      ),
    async getPlan(scope, name) {
      const row = await plans(scope).where('name', '=', name).executeTakeFirst();
      return row === undefined ? undefined : toPlan(row);
    },
    async listPlans(scope, page) {
      const limit = pageLimit(page);
      const after = decodeCursor('restore-testing-plans', page, 1);
      const rows = await plans(scope)
        .$if(after !== undefined, (q) => q.where(afterKey(['name'], after!, 'asc')))
        .orderBy('name')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, 'restore-testing-plans', (r) => [r.name], toPlan);
    },
    async allPlans(page) {
      const limit = pageLimit(page);
      const after = decodeCursor('all-restore-testing-plans', page, 3);
      const rows = await db
        .selectFrom('restore_testing_plans')
        .selectAll()
        .$if(after !== undefined, (q) => q.where(afterKey(['account_id', 'region', 'name'], after!, 'asc')))
        .orderBy('account_id')
        .orderBy('region')
        .orderBy('name')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, 'all-restore-testing-plans', (r) => [r.account_id, r.region, r.name], toPlan);
    },
    async updatePlan(scope, name, document, updatedAt, dispatchedUntil) {
      const row = await db
        .updateTable('restore_testing_plans')
        .set({ document: toJsonText(document)!, updated_at: updatedAt, dispatched_until: dispatchedUntil })
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('name', '=', name)
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? undefined : toPlan(row);
    },
    async advancePlan(scope, name, expected, to, executedAt) {
      const result = await db
        .updateTable('restore_testing_plans')
        .set({ dispatched_until: to, ...(executedAt === undefined ? {} : { last_execution_at: executedAt }) })
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('name', '=', name)
        .where('dispatched_until', '=', expected)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    deletePlan: (scope, name) =>
      inTransaction(db, async (trx) => {
        await trx
          .deleteFrom('restore_testing_selections')
          .where('account_id', '=', scope.accountId)
          .where('region', '=', scope.region)
          .where('plan_name', '=', name)
          .execute();
        const result = await trx
          .deleteFrom('restore_testing_plans')
          .where('account_id', '=', scope.accountId)
          .where('region', '=', scope.region)
          .where('name', '=', name)
          .executeTakeFirst();
        return result.numDeletedRows > 0n;
      }),
    createSelection: (scope, selection) =>
      conflictOn('restore testing selection', selection.name, async () =>
        toSelection(
          await db
            .insertInto('restore_testing_selections')
            .values({
              account_id: scope.accountId,
              region: scope.region,
              plan_name: selection.planName,
              name: selection.name,
              document: toJsonText(selection.document)!,
              creator_request_id: selection.creatorRequestId ?? null,
              created_at: selection.createdAt,
              updated_at: selection.updatedAt,
            })
            .returningAll()
            .executeTakeFirstOrThrow(),
        ),
      ),
    async getSelection(scope, planName, name) {
      const row = await selections(scope, planName).where('name', '=', name).executeTakeFirst();
      return row === undefined ? undefined : toSelection(row);
    },
    async listSelections(scope, planName, page) {
      const limit = pageLimit(page);
      const after = decodeCursor('restore-testing-selections', page, 1);
      const rows = await selections(scope, planName)
        .$if(after !== undefined, (q) => q.where(afterKey(['name'], after!, 'asc')))
        .orderBy('name')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, 'restore-testing-selections', (r) => [r.name], toSelection);
    },
    async updateSelection(scope, planName, name, document, updatedAt) {
      const row = await db
        .updateTable('restore_testing_selections')
        .set({ document: toJsonText(document)!, updated_at: updatedAt })
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('plan_name', '=', planName)
        .where('name', '=', name)
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? undefined : toSelection(row);
    },
    async deleteSelection(scope, planName, name) {
      const result = await db
        .deleteFrom('restore_testing_selections')
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('plan_name', '=', planName)
        .where('name', '=', name)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}

function toPlan(row: Selectable<RestoreTestingPlansTable>): RestoreTestingPlanRecord {
  return {
    accountId: row.account_id,
    region: row.region,
    name: row.name,
    arn: row.arn,
    document: fromJsonTextRequired<JsonObject>(row.document),
    creatorRequestId: row.creator_request_id ?? undefined,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    lastExecutionAt: row.last_execution_at === null ? undefined : Number(row.last_execution_at),
    dispatchedUntil: Number(row.dispatched_until),
  };
}

function toSelection(row: Selectable<RestoreTestingSelectionsTable>): RestoreTestingSelectionRecord {
  return {
    accountId: row.account_id,
    region: row.region,
    planName: row.plan_name,
    name: row.name,
    document: fromJsonTextRequired<JsonObject>(row.document),
    creatorRequestId: row.creator_request_id ?? undefined,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
