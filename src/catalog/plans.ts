/**
 * Backup plans and their versions. A plan row holds the current version's document; every
 * version, the current one included, is also a plan_versions row. Updating writes a new version
 * and moves the plan to it in one transaction; deleting marks the plan and its versions deleted
 * (AWS still lists deleted plans and versions on request).
 */
import type { Selectable } from 'kysely';
import { CatalogConflictError } from './catalog-error.js';
import type { PlanVersionsTable, PlansTable } from './database.js';
import { inTransaction } from './dialect.js';
import type { StoreContext } from './dialect.js';
import { fromJsonTextRequired } from './json-text.js';
import type { JsonObject } from './json-text.js';
import { afterKey, decodeCursor, pageLimit, toPage } from './pagination.js';
import type { Page, PageRequest } from './pagination.js';
import type { CatalogScope, EpochMillis } from './scope.js';

export interface PlanRecord {
  readonly accountId: string;
  readonly region: string;
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  readonly versionId: string;
  /** The current version's plan document (BackupPlanName, Rules, AdvancedBackupSettings). */
  readonly document: JsonObject;
  readonly creatorRequestId: string | undefined;
  readonly createdAt: EpochMillis;
  readonly updatedAt: EpochMillis;
  readonly deletedAt: EpochMillis | undefined;
  readonly lastExecutionAt: EpochMillis | undefined;
}

export interface PlanVersionRecord {
  readonly planId: string;
  readonly versionId: string;
  readonly name: string;
  readonly document: JsonObject;
  readonly createdAt: EpochMillis;
  readonly deletedAt: EpochMillis | undefined;
}

export interface NewPlan {
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  readonly versionId: string;
  readonly document: JsonObject;
  readonly creatorRequestId?: string;
  readonly createdAt: EpochMillis;
}

export interface PlanUpdate {
  readonly versionId: string;
  readonly name: string;
  readonly document: JsonObject;
  readonly updatedAt: EpochMillis;
}

export interface PlanStore {
  /**
   * Throws CatalogConflictError when the id is taken. Names need not be unique (AWS refuses only
   * an identical plan document; the domain checks that with findLiveByName in a transaction).
   */
  create(scope: CatalogScope, plan: NewPlan): Promise<PlanRecord>;
  /** Deleted plans too; the caller decides what a deleted plan means. */
  get(scope: CatalogScope, id: string): Promise<PlanRecord | undefined>;
  getVersion(scope: CatalogScope, id: string, versionId: string): Promise<PlanVersionRecord | undefined>;
  findByCreatorRequestId(scope: CatalogScope, creatorRequestId: string): Promise<PlanRecord | undefined>;
  /** Live plans of that name, oldest first. */
  findLiveByName(scope: CatalogScope, name: string): Promise<readonly PlanRecord[]>;
  /** Newest first. */
  list(scope: CatalogScope, options?: { readonly includeDeleted?: boolean }, page?: PageRequest): Promise<Page<PlanRecord>>;
  /** Every live plan of every scope, for the scheduler. */
  listAllLive(page?: PageRequest): Promise<Page<PlanRecord>>;
  /** Newest first. */
  listVersions(scope: CatalogScope, id: string, page?: PageRequest): Promise<Page<PlanVersionRecord>>;
  /** Adds a version and makes it current; undefined when the plan is missing or deleted. */
  update(scope: CatalogScope, id: string, update: PlanUpdate): Promise<PlanRecord | undefined>;
  /** Marks the plan and its versions deleted; undefined when missing or already deleted. */
  markDeleted(scope: CatalogScope, id: string, deletedAt: EpochMillis): Promise<PlanRecord | undefined>;
  setLastExecution(scope: CatalogScope, id: string, at: EpochMillis): Promise<void>;
  /**
   * Puts a plan back as it was recorded (coffer recover, from its record in storage): the row with
   * its dates and every version. Throws CatalogConflictError when the id is taken.
   */
  restore(scope: CatalogScope, plan: PlanRecord, versions: readonly PlanVersionRecord[]): Promise<void>;
}

type PlanRow = Selectable<PlansTable>;
type VersionRow = Selectable<PlanVersionsTable>;

export function createPlanStore(ctx: StoreContext): PlanStore {
  const { db } = ctx;
  const inScope = (scope: CatalogScope) => db.selectFrom('plans').selectAll().where('account_id', '=', scope.accountId).where('region', '=', scope.region);
  const getRow = (scope: CatalogScope, id: string) => inScope(scope).where('id', '=', id).executeTakeFirst();

  return {
    create: (scope, plan) => createPlan(ctx, scope, plan),
    async get(scope, id) {
      const row = await getRow(scope, id);
      return row === undefined ? undefined : toPlan(row);
    },
    async getVersion(scope, id, versionId) {
      const row = await db
        .selectFrom('plan_versions')
        .selectAll()
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('plan_id', '=', id)
        .where('version_id', '=', versionId)
        .executeTakeFirst();
      return row === undefined ? undefined : toVersion(row);
    },
    async findByCreatorRequestId(scope, creatorRequestId) {
      const row = await inScope(scope).where('creator_request_id', '=', creatorRequestId).where('deleted_at', 'is', null).executeTakeFirst();
      return row === undefined ? undefined : toPlan(row);
    },
    async findLiveByName(scope, name) {
      const rows = await inScope(scope).where('name', '=', name).where('deleted_at', 'is', null).orderBy('created_at').orderBy('id').execute();
      return rows.map(toPlan);
    },
    async list(scope, options = {}, page) {
      const limit = pageLimit(page);
      const after = decodeCursor('plans', page, 2);
      const rows = await inScope(scope)
        .$if(options.includeDeleted !== true, (q) => q.where('deleted_at', 'is', null))
        .$if(after !== undefined, (q) => q.where(afterKey(['created_at', 'id'], after!, 'desc')))
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, 'plans', (r) => [r.created_at, r.id], toPlan);
    },
    async listAllLive(page) {
      const limit = pageLimit(page);
      const after = decodeCursor('all-plans', page, 3);
      const rows = await db
        .selectFrom('plans')
        .selectAll()
        .where('deleted_at', 'is', null)
        .$if(after !== undefined, (q) => q.where(afterKey(['account_id', 'region', 'id'], after!, 'asc')))
        .orderBy('account_id')
        .orderBy('region')
        .orderBy('id')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, 'all-plans', (r) => [r.account_id, r.region, r.id], toPlan);
    },
    async listVersions(scope, id, page) {
      const limit = pageLimit(page);
      const after = decodeCursor('plan-versions', page, 2);
      const rows = await db
        .selectFrom('plan_versions')
        .selectAll()
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('plan_id', '=', id)
        .$if(after !== undefined, (q) => q.where(afterKey(['created_at', 'version_id'], after!, 'desc')))
        .orderBy('created_at', 'desc')
        .orderBy('version_id', 'desc')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, 'plan-versions', (r) => [r.created_at, r.version_id], toVersion);
    },
    update: (scope, id, update) => updatePlan(ctx, scope, id, update),
    restore: (scope, plan, versions) => restorePlan(ctx, scope, plan, versions),
    markDeleted: (scope, id, deletedAt) => markPlanDeleted(ctx, scope, id, deletedAt),
    async setLastExecution(scope, id, at) {
      await db
        .updateTable('plans')
        .set({ last_execution_at: at })
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('id', '=', id)
        .execute();
    },
  };
}

async function createPlan({ db, dialect }: StoreContext, scope: CatalogScope, plan: NewPlan): Promise<PlanRecord> {
  const document = JSON.stringify(plan.document);
  try {
    return await inTransaction(db, async (trx) => {
      const row = await trx
        .insertInto('plans')
        .values({
          account_id: scope.accountId,
          region: scope.region,
          id: plan.id,
          arn: plan.arn,
          name: plan.name,
          version_id: plan.versionId,
          document,
          creator_request_id: plan.creatorRequestId ?? null,
          created_at: plan.createdAt,
          updated_at: plan.createdAt,
          deleted_at: null,
          last_execution_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('plan_versions')
        .values(versionRow(scope, plan.id, plan.versionId, plan.name, document, plan.createdAt))
        .execute();
      return toPlan(row);
    });
  } catch (err) {
    if (dialect.isUniqueViolation(err)) throw new CatalogConflictError('backup plan', plan.id);
    throw err;
  }
}

async function restorePlan({ db, dialect }: StoreContext, scope: CatalogScope, plan: PlanRecord, versions: readonly PlanVersionRecord[]): Promise<void> {
  try {
    await inTransaction(db, async (trx) => {
      await trx
        .insertInto('plans')
        .values({
          account_id: scope.accountId,
          region: scope.region,
          id: plan.id,
          arn: plan.arn,
          name: plan.name,
          version_id: plan.versionId,
          document: JSON.stringify(plan.document),
          creator_request_id: plan.creatorRequestId ?? null,
          created_at: plan.createdAt,
          updated_at: plan.updatedAt,
          deleted_at: plan.deletedAt ?? null,
          last_execution_at: plan.lastExecutionAt ?? null,
        })
        .execute();
      const all = versions.some((v) => v.versionId === plan.versionId)
        ? versions
        : [
            ...versions,
            { planId: plan.id, versionId: plan.versionId, name: plan.name, document: plan.document, createdAt: plan.updatedAt, deletedAt: plan.deletedAt },
          ];
      for (const v of all) {
        await trx
          .insertInto('plan_versions')
          .values({ ...versionRow(scope, plan.id, v.versionId, v.name, JSON.stringify(v.document), v.createdAt), deleted_at: v.deletedAt ?? null })
          .execute();
      }
    });
  } catch (err) {
    if (dialect.isUniqueViolation(err)) throw new CatalogConflictError('backup plan', plan.id);
    throw err;
  }
}

function updatePlan({ db }: StoreContext, scope: CatalogScope, id: string, update: PlanUpdate): Promise<PlanRecord | undefined> {
  const document = JSON.stringify(update.document);
  return inTransaction(db, async (trx) => {
    const row = await trx
      .updateTable('plans')
      .set({ version_id: update.versionId, name: update.name, document, updated_at: update.updatedAt })
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (row === undefined) return undefined;
    await trx
      .insertInto('plan_versions')
      .values(versionRow(scope, id, update.versionId, update.name, document, update.updatedAt))
      .execute();
    return toPlan(row);
  });
}

function markPlanDeleted({ db }: StoreContext, scope: CatalogScope, id: string, deletedAt: EpochMillis): Promise<PlanRecord | undefined> {
  return inTransaction(db, async (trx) => {
    const row = await trx
      .updateTable('plans')
      .set({ deleted_at: deletedAt })
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (row === undefined) return undefined;
    await trx
      .updateTable('plan_versions')
      .set({ deleted_at: deletedAt })
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('plan_id', '=', id)
      .where('deleted_at', 'is', null)
      .execute();
    return toPlan(row);
  });
}

function versionRow(scope: CatalogScope, planId: string, versionId: string, name: string, document: string, at: EpochMillis): VersionRow {
  return { account_id: scope.accountId, region: scope.region, plan_id: planId, version_id: versionId, name, document, created_at: at, deleted_at: null };
}

function toPlan(row: PlanRow): PlanRecord {
  return {
    accountId: row.account_id,
    region: row.region,
    id: row.id,
    arn: row.arn,
    name: row.name,
    versionId: row.version_id,
    document: fromJsonTextRequired<JsonObject>(row.document),
    creatorRequestId: row.creator_request_id ?? undefined,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at ?? undefined,
    lastExecutionAt: row.last_execution_at ?? undefined,
  };
}

function toVersion(row: VersionRow): PlanVersionRecord {
  return {
    planId: row.plan_id,
    versionId: row.version_id,
    name: row.name,
    document: fromJsonTextRequired<JsonObject>(row.document),
    createdAt: row.created_at,
    deletedAt: row.deleted_at ?? undefined,
  };
}
