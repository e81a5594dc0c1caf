/**
 * AWS Backup Search jobs (migration 0032): the job (scope and item filters as the caller gave
 * them, JSON text), its progress and the lease of the node running it; the recovery points it
 * searches, each with its own status; and the items found, numbered in the order found.
 */
import type { Selectable } from 'kysely';
import type { StoreContext } from './dialect.js';
import { inTransaction } from './dialect.js';
import { afterKey, decodeCursor, pageLimit, toPage } from './pagination.js';
import type { Page, PageRequest } from './pagination.js';
import type { CatalogScope, EpochMillis } from './scope.js';

export interface SearchJobsTable {
  account_id: string;
  region: string;
  job_id: string;
  arn: string;
  name: string | null;
  status: string;
  status_message: string | null;
  encryption_key_arn: string | null;
  search_scope: string;
  item_filters: string;
  client_token: string | null;
  tags: string | null;
  created_at: number;
  completed_at: number | null;
  points_to_scan: number;
  items_to_scan: number;
  points_scanned: number;
  items_scanned: number;
  items_matched: number;
  holder: string | null;
  lease_until: number | null;
}

export interface SearchJobBackupsTable {
  account_id: string;
  region: string;
  job_id: string;
  recovery_point_arn: string;
  vault_name: string;
  resource_type: string;
  source_resource_arn: string;
  status: string;
  status_message: string | null;
  index_created_at: number;
  backup_created_at: number;
}

export interface SearchJobResultsTable {
  account_id: string;
  region: string;
  job_id: string;
  seq: number;
  item: string;
}

declare module './database.js' {
  interface Database {
    readonly search_jobs: SearchJobsTable;
    readonly search_job_backups: SearchJobBackupsTable;
    readonly search_job_results: SearchJobResultsTable;
  }
}

export type SearchJobStatus = 'RUNNING' | 'COMPLETED' | 'STOPPING' | 'STOPPED' | 'FAILED';

export interface SearchJobRecord extends CatalogScope {
  readonly id: string;
  readonly arn: string;
  readonly name: string | undefined;
  readonly status: SearchJobStatus;
  readonly statusMessage: string | undefined;
  readonly encryptionKeyArn: string | undefined;
  /** The caller's SearchScope and ItemFilters, as JSON text. */
  readonly scopeJson: string;
  readonly filtersJson: string;
  readonly clientToken: string | undefined;
  readonly tags: Readonly<Record<string, string>>;
  readonly createdAt: EpochMillis;
  readonly completedAt: EpochMillis | undefined;
  readonly pointsToScan: number;
  readonly itemsToScan: number;
  readonly pointsScanned: number;
  readonly itemsScanned: number;
  readonly itemsMatched: number;
  readonly holder: string | undefined;
  readonly leaseUntil: EpochMillis | undefined;
}

export interface SearchJobBackupRecord {
  readonly recoveryPointArn: string;
  readonly vaultName: string;
  readonly resourceType: string;
  readonly sourceResourceArn: string;
  readonly status: SearchJobStatus;
  readonly statusMessage: string | undefined;
  readonly indexCreatedAt: EpochMillis;
  readonly backupCreatedAt: EpochMillis;
}

export type NewSearchJob = Omit<
  SearchJobRecord,
  keyof CatalogScope | 'status' | 'statusMessage' | 'completedAt' | 'pointsScanned' | 'itemsScanned' | 'itemsMatched'
>;

export interface SearchProgress {
  readonly pointsScanned: number;
  readonly itemsScanned: number;
  readonly itemsMatched: number;
}

export interface SearchJobStore {
  create(scope: CatalogScope, job: NewSearchJob, backups: readonly Omit<SearchJobBackupRecord, 'status' | 'statusMessage'>[]): Promise<SearchJobRecord>;
  get(scope: CatalogScope, id: string): Promise<SearchJobRecord | undefined>;
  getByArn(scope: CatalogScope, arn: string): Promise<SearchJobRecord | undefined>;
  findByClientToken(scope: CatalogScope, token: string): Promise<SearchJobRecord | undefined>;
  /** Newest first. */
  list(scope: CatalogScope, status: SearchJobStatus | undefined, page?: PageRequest): Promise<Page<SearchJobRecord>>;
  listBackups(scope: CatalogScope, id: string, page?: PageRequest): Promise<Page<SearchJobBackupRecord>>;
  /** Items in the order found, as the JSON text they were stored as. */
  listResults(scope: CatalogScope, id: string, page?: PageRequest): Promise<Page<string>>;
  /** The holder's progress and found items (numbered from `firstSeq`), and its lease renewed; false when the job is no longer the holder's to run. */
  record(
    scope: CatalogScope,
    id: string,
    holder: string,
    progress: SearchProgress,
    items: readonly string[],
    firstSeq: number,
    leaseUntil: EpochMillis,
  ): Promise<boolean>;
  setBackupStatus(scope: CatalogScope, id: string, recoveryPointArn: string, status: SearchJobStatus, statusMessage: string | undefined): Promise<void>;
  /** Moves the job from one of `from` to `to`; the job after, undefined when it was not in `from`. */
  transition(
    scope: CatalogScope,
    id: string,
    from: readonly SearchJobStatus[],
    to: SearchJobStatus,
    change?: { readonly statusMessage?: string; readonly completedAt?: EpochMillis },
  ): Promise<SearchJobRecord | undefined>;
  setTags(scope: CatalogScope, id: string, tags: Readonly<Record<string, string>>): Promise<void>;
}

type Row = Selectable<SearchJobsTable>;

function toRecord(row: Row): SearchJobRecord {
  return {
    accountId: row.account_id,
    region: row.region,
    id: row.job_id,
    arn: row.arn,
    name: row.name ?? undefined,
    status: row.status as SearchJobStatus,
    statusMessage: row.status_message ?? undefined,
    encryptionKeyArn: row.encryption_key_arn ?? undefined,
    scopeJson: row.search_scope,
    filtersJson: row.item_filters,
    clientToken: row.client_token ?? undefined,
    tags: row.tags === null ? {} : (JSON.parse(row.tags) as Record<string, string>),
    createdAt: Number(row.created_at),
    completedAt: row.completed_at === null ? undefined : Number(row.completed_at),
    pointsToScan: Number(row.points_to_scan),
    itemsToScan: Number(row.items_to_scan),
    pointsScanned: Number(row.points_scanned),
    itemsScanned: Number(row.items_scanned),
    itemsMatched: Number(row.items_matched),
    holder: row.holder ?? undefined,
    leaseUntil: row.lease_until === null ? undefined : Number(row.lease_until),
  };
}

export function createSearchJobStore({ db }: StoreContext): SearchJobStore {
  const inScope = (scope: CatalogScope) =>
    db.selectFrom('search_jobs').selectAll().where('account_id', '=', scope.accountId).where('region', '=', scope.region);
  const first = async (q: ReturnType<typeof inScope>) => {
    const row = await q.executeTakeFirst();
    return row === undefined ? undefined : toRecord(row);
  };

  return {
    create: (scope, job, backups) =>
      inTransaction(db, async (trx) => {
        const scoped = { account_id: scope.accountId, region: scope.region };
        const row = await trx
          .insertInto('search_jobs')
          .values({
            ...scoped,
            job_id: job.id,
            arn: job.arn,
            name: job.name ?? null,
            status: 'RUNNING',
            status_message: null,
            encryption_key_arn: job.encryptionKeyArn ?? null,
            search_scope: job.scopeJson,
            item_filters: job.filtersJson,
            client_token: job.clientToken ?? null,
            tags: Object.keys(job.tags).length === 0 ? null : JSON.stringify(job.tags),
            created_at: job.createdAt,
            completed_at: null,
            points_to_scan: job.pointsToScan,
            items_to_scan: job.itemsToScan,
            points_scanned: 0,
            items_scanned: 0,
            items_matched: 0,
            holder: job.holder ?? null,
            lease_until: job.leaseUntil ?? null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        for (const b of backups)
          await trx
            .insertInto('search_job_backups')
            .values({
              ...scoped,
              job_id: job.id,
              recovery_point_arn: b.recoveryPointArn,
              vault_name: b.vaultName,
              resource_type: b.resourceType,
              source_resource_arn: b.sourceResourceArn,
              status: 'RUNNING',
              status_message: null,
              index_created_at: b.indexCreatedAt,
              backup_created_at: b.backupCreatedAt,
            })
            .execute();
        return toRecord(row);
      }),
    get: (scope, id) => first(inScope(scope).where('job_id', '=', id)),
    getByArn: (scope, arn) => first(inScope(scope).where('arn', '=', arn)),
    findByClientToken: (scope, token) => first(inScope(scope).where('client_token', '=', token)),
    async list(scope, status, page) {
      const limit = pageLimit(page);
      const after = decodeCursor('search-jobs', page, 2);
      const rows = await inScope(scope)
        .$if(status !== undefined, (q) => q.where('status', '=', status!))
        .$if(after !== undefined, (q) => q.where(afterKey(['created_at', 'job_id'], after!, 'desc')))
        .orderBy('created_at', 'desc')
        .orderBy('job_id', 'desc')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, 'search-jobs', (r) => [Number(r.created_at), r.job_id], toRecord);
    },
    async listBackups(scope, id, page) {
      const limit = pageLimit(page);
      const after = decodeCursor('search-job-backups', page, 1);
      const rows = await db
        .selectFrom('search_job_backups')
        .selectAll()
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('job_id', '=', id)
        .$if(after !== undefined, (q) => q.where(afterKey(['recovery_point_arn'], after!, 'asc')))
        .orderBy('recovery_point_arn')
        .limit(limit + 1)
        .execute();
      return toPage(
        rows,
        limit,
        'search-job-backups',
        (r) => [r.recovery_point_arn],
        (r) => ({
          recoveryPointArn: r.recovery_point_arn,
          vaultName: r.vault_name,
          resourceType: r.resource_type,
          sourceResourceArn: r.source_resource_arn,
          status: r.status as SearchJobStatus,
          statusMessage: r.status_message ?? undefined,
          indexCreatedAt: Number(r.index_created_at),
          backupCreatedAt: Number(r.backup_created_at),
        }),
      );
    },
    async listResults(scope, id, page) {
      const limit = pageLimit(page);
      const after = decodeCursor('search-job-results', page, 1);
      const rows = await db
        .selectFrom('search_job_results')
        .selectAll()
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('job_id', '=', id)
        .$if(after !== undefined, (q) => q.where(afterKey(['seq'], after!, 'asc')))
        .orderBy('seq')
        .limit(limit + 1)
        .execute();
      return toPage(
        rows,
        limit,
        'search-job-results',
        (r) => [Number(r.seq)],
        (r) => r.item,
      );
    },
    record: (scope, id, holder, progress, items, firstSeq, leaseUntil) =>
      inTransaction(db, async (trx) => {
        const held = await trx
          .updateTable('search_jobs')
          .set({ points_scanned: progress.pointsScanned, items_scanned: progress.itemsScanned, items_matched: progress.itemsMatched, lease_until: leaseUntil })
          .where('account_id', '=', scope.accountId)
          .where('region', '=', scope.region)
          .where('job_id', '=', id)
          .where('holder', '=', holder)
          .where('status', 'in', ['RUNNING', 'STOPPING'])
          .returning('job_id')
          .executeTakeFirst();
        if (held === undefined) return false;
        for (const [i, item] of items.entries())
          await trx
            .insertInto('search_job_results')
            .values({ account_id: scope.accountId, region: scope.region, job_id: id, seq: firstSeq + i, item })
            .execute();
        return true;
      }),
    async setBackupStatus(scope, id, arn, status, statusMessage) {
      await db
        .updateTable('search_job_backups')
        .set({ status, status_message: statusMessage ?? null })
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('job_id', '=', id)
        .where('recovery_point_arn', '=', arn)
        .execute();
    },
    async transition(scope, id, from, to, change = {}) {
      const row = await db
        .updateTable('search_jobs')
        .set({
          status: to,
          ...(change.statusMessage === undefined ? {} : { status_message: change.statusMessage }),
          ...(change.completedAt === undefined ? {} : { completed_at: change.completedAt, holder: null, lease_until: null }),
        })
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('job_id', '=', id)
        .where('status', 'in', [...from])
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? undefined : toRecord(row);
    },
    async setTags(scope, id, tags) {
      await db
        .updateTable('search_jobs')
        .set({ tags: Object.keys(tags).length === 0 ? null : JSON.stringify(tags) })
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('job_id', '=', id)
        .execute();
    },
  };
}
