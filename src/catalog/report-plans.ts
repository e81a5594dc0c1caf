/**
 * Report plans and report jobs (migration 0080), scoped by account and region. A plan keeps its
 * ReportSetting and ReportDeliveryChannel as the caller gave them (JSON text); a job keeps what
 * it wrote (bucket and keys) and how it ended. Jobs outlive their plan, as AWS's do.
 */
import type { Selectable } from 'kysely';
import { CatalogConflictError } from './catalog-error.js';
import type { StoreContext } from './dialect.js';
import { fromJsonText, fromJsonTextRequired, toJsonText } from './json-text.js';
import type { JsonObject } from './json-text.js';
import { afterKey, decodeCursor, pageLimit, toPage } from './pagination.js';
import type { Page, PageRequest } from './pagination.js';
import type { CatalogScope, EpochMillis } from './scope.js';

interface Scoped {
  account_id: string;
  region: string;
}

export interface ReportPlansTable extends Scoped {
  name: string;
  arn: string;
  description: string | null;
  setting: string;
  delivery: string;
  idempotency_token: string | null;
  created_at: number;
  updated_at: number;
  last_attempted_at: number | null;
  last_succeeded_at: number | null;
}

export interface ReportJobsTable extends Scoped {
  id: string;
  plan_name: string;
  plan_arn: string;
  template: string;
  status: string;
  status_message: string | null;
  bucket: string;
  keys: string | null;
  idempotency_token: string | null;
  created_at: number;
  completed_at: number | null;
}

declare module './database.js' {
  interface Database {
    readonly report_plans: ReportPlansTable;
    readonly report_jobs: ReportJobsTable;
  }
}

export interface ReportPlanRecord extends CatalogScope {
  readonly name: string;
  readonly arn: string;
  readonly description: string | undefined;
  readonly setting: JsonObject;
  readonly delivery: JsonObject;
  readonly idempotencyToken: string | undefined;
  readonly createdAt: EpochMillis;
  readonly updatedAt: EpochMillis;
  readonly lastAttemptedAt: EpochMillis | undefined;
  readonly lastSucceededAt: EpochMillis | undefined;
}

export type NewReportPlan = Omit<ReportPlanRecord, keyof CatalogScope | 'lastAttemptedAt' | 'lastSucceededAt'>;

export interface ReportPlanUpdate {
  readonly description?: string | undefined;
  readonly setting?: JsonObject | undefined;
  readonly delivery?: JsonObject | undefined;
  readonly updatedAt?: EpochMillis | undefined;
  readonly lastAttemptedAt?: EpochMillis | undefined;
  readonly lastSucceededAt?: EpochMillis | undefined;
}

export type ReportJobStatus = 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED';

export interface ReportJobRecord extends CatalogScope {
  readonly id: string;
  readonly planName: string;
  readonly planArn: string;
  readonly template: string;
  readonly status: ReportJobStatus;
  readonly statusMessage: string | undefined;
  readonly bucket: string;
  readonly keys: readonly string[] | undefined;
  readonly idempotencyToken: string | undefined;
  readonly createdAt: EpochMillis;
  readonly completedAt: EpochMillis | undefined;
}

export type NewReportJob = Omit<ReportJobRecord, keyof CatalogScope | 'keys' | 'completedAt' | 'statusMessage'>;

export interface ReportJobEnd {
  readonly status: 'COMPLETED' | 'FAILED';
  readonly statusMessage: string | undefined;
  readonly keys: readonly string[];
  readonly completedAt: EpochMillis;
}

export interface ReportJobFilter {
  readonly planName?: string | undefined;
  readonly status?: string | undefined;
  readonly createdAfter?: EpochMillis | undefined;
  readonly createdBefore?: EpochMillis | undefined;
}

export interface ReportPlanStore {
  /** Throws CatalogConflictError when the name is taken. */
  create(scope: CatalogScope, plan: NewReportPlan): Promise<ReportPlanRecord>;
  get(scope: CatalogScope, name: string): Promise<ReportPlanRecord | undefined>;
  /** By name. */
  list(scope: CatalogScope, page?: PageRequest): Promise<Page<ReportPlanRecord>>;
  /** Every plan of every account and region (the daily reports). */
  listAll(page?: PageRequest): Promise<Page<ReportPlanRecord>>;
  update(scope: CatalogScope, name: string, update: ReportPlanUpdate): Promise<ReportPlanRecord | undefined>;
  delete(scope: CatalogScope, name: string): Promise<boolean>;
  createJob(scope: CatalogScope, job: NewReportJob): Promise<ReportJobRecord>;
  getJob(scope: CatalogScope, id: string): Promise<ReportJobRecord | undefined>;
  findJobByIdempotencyToken(scope: CatalogScope, planName: string, token: string): Promise<ReportJobRecord | undefined>;
  /** Newest first. */
  listJobs(scope: CatalogScope, filter: ReportJobFilter, page?: PageRequest): Promise<Page<ReportJobRecord>>;
  endJob(scope: CatalogScope, id: string, end: ReportJobEnd): Promise<ReportJobRecord | undefined>;
}

export function createReportPlanStore({ db, dialect }: StoreContext): ReportPlanStore {
  const plansOf = (scope: CatalogScope) =>
    db.selectFrom('report_plans').selectAll().where('account_id', '=', scope.accountId).where('region', '=', scope.region);
  const jobsOf = (scope: CatalogScope) => db.selectFrom('report_jobs').selectAll().where('account_id', '=', scope.accountId).where('region', '=', scope.region);
  return {
    async create(scope, plan) {
      try {
        const row = await db
          .insertInto('report_plans')
          .values({
            account_id: scope.accountId,
            region: scope.region,
            name: plan.name,
            arn: plan.arn,
            description: plan.description ?? null,
            setting: toJsonText(plan.setting) ?? '{}',
            delivery: toJsonText(plan.delivery) ?? '{}',
            idempotency_token: plan.idempotencyToken ?? null,
            created_at: plan.createdAt,
            updated_at: plan.updatedAt,
            last_attempted_at: null,
            last_succeeded_at: null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toPlan(row);
      } catch (err) {
        if (dialect.isUniqueViolation(err)) throw new CatalogConflictError('report plan', plan.name);
        throw err;
      }
    },
    async get(scope, name) {
      const row = await plansOf(scope).where('name', '=', name).executeTakeFirst();
      return row === undefined ? undefined : toPlan(row);
    },
    async list(scope, page) {
      const limit = pageLimit(page);
      const after = decodeCursor('report-plans', page, 1);
      const rows = await plansOf(scope)
        .$if(after !== undefined, (q) => q.where(afterKey(['name'], after!, 'asc')))
        .orderBy('name')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, 'report-plans', (r) => [r.name], toPlan);
    },
    async listAll(page) {
      const limit = pageLimit(page);
      const after = decodeCursor('all-report-plans', page, 1);
      const rows = await db
        .selectFrom('report_plans')
        .selectAll()
        .$if(after !== undefined, (q) => q.where(afterKey(['arn'], after!, 'asc')))
        .orderBy('arn')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, 'all-report-plans', (r) => [r.arn], toPlan);
    },
    async update(scope, name, update) {
      const set: { [column: string]: unknown } = {};
      if (update.description !== undefined) set['description'] = update.description;
      if (update.setting !== undefined) set['setting'] = toJsonText(update.setting);
      if (update.delivery !== undefined) set['delivery'] = toJsonText(update.delivery);
      if (update.updatedAt !== undefined) set['updated_at'] = update.updatedAt;
      if (update.lastAttemptedAt !== undefined) set['last_attempted_at'] = update.lastAttemptedAt;
      if (update.lastSucceededAt !== undefined) set['last_succeeded_at'] = update.lastSucceededAt;
      if (Object.keys(set).length === 0) return this.get(scope, name);
      const row = await db
        .updateTable('report_plans')
        .set(set)
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('name', '=', name)
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? undefined : toPlan(row);
    },
    async delete(scope, name) {
      const result = await db
        .deleteFrom('report_plans')
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('name', '=', name)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
    async createJob(scope, job) {
      const row = await db
        .insertInto('report_jobs')
        .values({
          account_id: scope.accountId,
          region: scope.region,
          id: job.id,
          plan_name: job.planName,
          plan_arn: job.planArn,
          template: job.template,
          status: job.status,
          status_message: null,
          bucket: job.bucket,
          keys: null,
          idempotency_token: job.idempotencyToken ?? null,
          created_at: job.createdAt,
          completed_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toJob(row);
    },
    async getJob(scope, id) {
      const row = await jobsOf(scope).where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toJob(row);
    },
    async findJobByIdempotencyToken(scope, planName, token) {
      const row = await jobsOf(scope).where('plan_name', '=', planName).where('idempotency_token', '=', token).executeTakeFirst();
      return row === undefined ? undefined : toJob(row);
    },
    async listJobs(scope, filter, page) {
      const limit = pageLimit(page);
      const after = decodeCursor('report-jobs', page, 2);
      const rows = await jobsOf(scope)
        .$if(filter.planName !== undefined, (q) => q.where('plan_name', '=', filter.planName!))
        .$if(filter.status !== undefined, (q) => q.where('status', '=', filter.status!))
        .$if(filter.createdAfter !== undefined, (q) => q.where('created_at', '>', filter.createdAfter!))
        .$if(filter.createdBefore !== undefined, (q) => q.where('created_at', '<', filter.createdBefore!))
        .$if(after !== undefined, (q) => q.where(afterKey(['created_at', 'id'], after!, 'desc')))
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, 'report-jobs', (r) => [r.created_at, r.id], toJob);
    },
    async endJob(scope, id, end) {
      const row = await db
        .updateTable('report_jobs')
        .set({ status: end.status, status_message: end.statusMessage ?? null, keys: toJsonText(end.keys), completed_at: end.completedAt })
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? undefined : toJob(row);
    },
  };
}

function toPlan(row: Selectable<ReportPlansTable>): ReportPlanRecord {
  return {
    accountId: row.account_id,
    region: row.region,
    name: row.name,
    arn: row.arn,
    description: row.description ?? undefined,
    setting: fromJsonTextRequired<JsonObject>(row.setting),
    delivery: fromJsonTextRequired<JsonObject>(row.delivery),
    idempotencyToken: row.idempotency_token ?? undefined,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastAttemptedAt: row.last_attempted_at ?? undefined,
    lastSucceededAt: row.last_succeeded_at ?? undefined,
  };
}

function toJob(row: Selectable<ReportJobsTable>): ReportJobRecord {
  return {
    accountId: row.account_id,
    region: row.region,
    id: row.id,
    planName: row.plan_name,
    planArn: row.plan_arn,
    template: row.template,
    status: row.status as ReportJobStatus,
    statusMessage: row.status_message ?? undefined,
    bucket: row.bucket,
    keys: fromJsonText<string[]>(row.keys),
    idempotencyToken: row.idempotency_token ?? undefined,
    createdAt: row.created_at,
    completedAt: row.completed_at ?? undefined,
  };
}
