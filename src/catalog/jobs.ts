/**
 * Backup, restore and copy jobs: creation, lookup, lists, guarded updates, and the worker lease.
 *
 * Claiming is one statement: UPDATE ... SET lease WHERE id = (SELECT the oldest claimable id
 * LIMIT 1 [FOR UPDATE SKIP LOCKED]) AND <still claimable> RETURNING *. SQLite runs a write
 * statement under the database lock, so two claimers never get the same job; on PostgreSQL the
 * row lock with SKIP LOCKED lets concurrent claimers pass each other, and the repeated condition
 * keeps the UPDATE from taking a job another claimer just leased.
 */
import { sql } from 'kysely';
import type { ExpressionBuilder, Kysely, Selectable, SelectQueryBuilder, Updateable, UpdateQueryBuilder, UpdateResult } from 'kysely';
import { insertRows } from './bulk-insert.js';
import { CatalogConflictError } from './catalog-error.js';
import type { BackupJobsTable, Database, RestoreJobsTable } from './database.js';
import type { StoreContext } from './dialect.js';
import { ACTIVE_JOB_STATES } from './job-records.js';
import type {
  BackupJobRecord,
  CopyJobRecord,
  JobFilter,
  JobGuard,
  JobKind,
  JobOfKind,
  JobPatch,
  NewBackupJob,
  NewCopyJob,
  NewRestoreJob,
  RestoreJobRecord,
} from './job-records.js';
import { backupJobRow, copyJobRow, JOB_TABLES, RESULT_ARN_COLUMN, restoreJobRow, toJob } from './job-rows.js';
import { afterKey, decodeCursor, pageLimit, toPage } from './pagination.js';
import type { Page, PageRequest } from './pagination.js';
import type { CatalogScope, EpochMillis } from './scope.js';

export interface JobStore {
  /** Each create throws CatalogConflictError when the id is taken. */
  createBackupJob(scope: CatalogScope, job: NewBackupJob): Promise<BackupJobRecord>;
  /** Many at once (the scheduler's runs), in few statements; throws CatalogConflictError on a taken id. */
  createBackupJobs(scope: CatalogScope, jobs: readonly NewBackupJob[]): Promise<void>;
  createRestoreJob(scope: CatalogScope, job: NewRestoreJob): Promise<RestoreJobRecord>;
  createCopyJob(scope: CatalogScope, job: NewCopyJob): Promise<CopyJobRecord>;
  get<K extends JobKind>(kind: K, scope: CatalogScope, id: string): Promise<JobOfKind<K> | undefined>;
  /** Newest first. Filters a kind does not have are ignored. */
  list<K extends JobKind>(kind: K, scope: CatalogScope, filter?: JobFilter<K>, page?: PageRequest): Promise<Page<JobOfKind<K>>>;
  /**
   * Leases the job of `kind` that is due longest (active state, notBefore reached by `now`, no
   * lease live at `leaseNow`) to `owner` until leaseNow + leaseMs, counting an attempt. Undefined
   * when none is due. `leaseNow` (default `now`) is the lease clock's time: real time even when
   * the domain runs on a manual clock.
   */
  claimNextJob<K extends JobKind>(kind: K, owner: string, leaseMs: number, now: EpochMillis, leaseNow?: EpochMillis): Promise<JobOfKind<K> | undefined>;
  /**
   * Like claimNextJob, but only a job a worker started and lost (RUNNING or ABORTING, its lease
   * run out at `leaseNow`): a dead node's, which the claimer settles at once, without waiting
   * for a free worker.
   */
  claimNextOrphan<K extends JobKind>(kind: K, owner: string, leaseMs: number, now: EpochMillis, leaseNow: EpochMillis): Promise<JobOfKind<K> | undefined>;
  /** Extends the lease to leaseNow + leaseMs; false when `owner` no longer holds it. */
  renewLease(kind: JobKind, id: string, owner: string, leaseMs: number, leaseNow: EpochMillis): Promise<boolean>;
  /** Every lease `owner` holds ends now (graceful shutdown), so others may claim at once. */
  releaseLeasesOf(owner: string): Promise<number>;
  /** Applies `patch` when `guard` holds; the updated job, or undefined when missing or guarded out. */
  update<K extends JobKind>(kind: K, id: string, patch: JobPatch<K>, guard?: JobGuard<K>): Promise<JobOfKind<K> | undefined>;
  /** Applies one patch to many jobs (in few statements) where `guard` holds; the ids it applied to. */
  updateMany<K extends JobKind>(kind: K, ids: readonly string[], patch: JobPatch<K>, guard?: JobGuard<K>): Promise<string[]>;
}

/** Ids per UPDATE ... WHERE id IN (...): well under SQLite's and PostgreSQL's parameter limits. */
const IDS_PER_UPDATE = 500;

// The three tables share JobColumns; generic code names them all as backup_jobs for Kysely's
// types and touches only shared columns (kind-specific ones go through JOB_TABLES/RESULT_ARN_COLUMN).
type Shared = 'backup_jobs';
const tableOf = (kind: JobKind): Shared => JOB_TABLES[kind] as Shared;

export function createJobStore(ctx: StoreContext): JobStore {
  const { db } = ctx;
  const insert = async <T>(id: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      if (ctx.dialect.isUniqueViolation(err)) throw new CatalogConflictError('job', id);
      throw err;
    }
  };

  return {
    createBackupJob: (scope, job) =>
      insert(job.id, async () => toJob('backup', await db.insertInto('backup_jobs').values(backupJobRow(scope, job)).returningAll().executeTakeFirstOrThrow())),
    createBackupJobs: (scope, jobs) =>
      jobs.length === 0
        ? Promise.resolve()
        : insert(jobs[0]!.id, () =>
            insertRows(
              ctx,
              'backup_jobs',
              jobs.map((job) => backupJobRow(scope, job)),
            ),
          ),
    createRestoreJob: (scope, job) =>
      insert(job.id, async () =>
        toJob('restore', await db.insertInto('restore_jobs').values(restoreJobRow(scope, job)).returningAll().executeTakeFirstOrThrow()),
      ),
    createCopyJob: (scope, job) =>
      insert(job.id, async () => toJob('copy', await db.insertInto('copy_jobs').values(copyJobRow(scope, job)).returningAll().executeTakeFirstOrThrow())),
    async get(kind, scope, id) {
      const row = await db
        .selectFrom(tableOf(kind))
        .selectAll()
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('id', '=', id)
        .executeTakeFirst();
      return row === undefined ? undefined : toJob(kind, row);
    },
    list: (kind, scope, filter, page) => listJobs(db, kind, scope, filter ?? {}, page),
    claimNextJob: (kind, owner, leaseMs, now, leaseNow = now) => claimNext(ctx, kind, owner, leaseMs, now, leaseNow),
    claimNextOrphan: (kind, owner, leaseMs, now, leaseNow) => claimNext(ctx, kind, owner, leaseMs, now, leaseNow, ORPHAN_STATES),
    async renewLease(kind, id, owner, leaseMs, leaseNow) {
      const result = await db
        .updateTable(tableOf(kind))
        .set({ lease_expires_at: leaseNow + leaseMs })
        .where('id', '=', id)
        .where('lease_owner', '=', owner)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async releaseLeasesOf(owner) {
      let released = 0;
      for (const kind of Object.keys(JOB_TABLES) as JobKind[]) {
        const result = await db
          .updateTable(tableOf(kind))
          .set({ lease_owner: null, lease_expires_at: null })
          .where('lease_owner', '=', owner)
          .executeTakeFirst();
        released += Number(result.numUpdatedRows);
      }
      return released;
    },
    update: (kind, id, patch, guard) => updateJob(db, kind, id, patch, guard),
    async updateMany(kind, ids, patch, guard = {}) {
      const applied: string[] = [];
      for (let start = 0; start < ids.length; start += IDS_PER_UPDATE) {
        const rows = await guarded(
          db
            .updateTable(tableOf(kind))
            .set(patchColumns(kind, patch))
            .where('id', 'in', ids.slice(start, start + IDS_PER_UPDATE)),
          guard,
        )
          .returning('id')
          .execute();
        for (const row of rows) applied.push(row.id);
      }
      return applied;
    },
  };
}

/** States only a worker puts a job in: found so with no live lease, its worker is gone. */
const ORPHAN_STATES: readonly string[] = ['RUNNING', 'ABORTING'];

function claimable(kind: JobKind, now: EpochMillis, leaseNow: EpochMillis, states: readonly string[] = ACTIVE_JOB_STATES[kind]) {
  return (eb: ExpressionBuilder<Database, Shared>) =>
    eb.and([eb('state', 'in', states), eb('not_before', '<=', now), eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', leaseNow)])]);
}

async function claimNext<K extends JobKind>(
  { db, dialect }: StoreContext,
  kind: K,
  owner: string,
  leaseMs: number,
  now: EpochMillis,
  leaseNow: EpochMillis,
  states?: readonly string[],
): Promise<JobOfKind<K> | undefined> {
  const table = tableOf(kind);
  const next = db
    .selectFrom(table)
    .select('id')
    .where(claimable(kind, now, leaseNow, states))
    .orderBy('not_before')
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .$if(dialect.supportsSkipLocked, (q) => q.forUpdate().skipLocked());
  const row = await db
    .updateTable(table)
    .set((eb) => ({ lease_owner: owner, lease_expires_at: leaseNow + leaseMs, attempts: eb('attempts', '+', 1), updated_at: now }))
    .where('id', '=', next)
    .where(claimable(kind, now, leaseNow, states))
    .returningAll()
    .executeTakeFirst();
  return row === undefined ? undefined : toJob(kind, row);
}

type JobUpdate = UpdateQueryBuilder<Database, Shared, Shared, UpdateResult>;

function guarded(query: JobUpdate, guard: JobGuard<JobKind>): JobUpdate {
  return query
    .$if(guard.states !== undefined, (q) => q.where('state', 'in', guard.states as readonly string[]))
    .$if(guard.leaseOwner !== undefined, (q) => q.where('lease_owner', '=', guard.leaseOwner!))
    .$if(guard.unleasedAt !== undefined, (q) => q.where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', guard.unleasedAt!)])));
}

async function updateJob<K extends JobKind>(
  db: Kysely<Database>,
  kind: K,
  id: string,
  patch: JobPatch<K>,
  guard: JobGuard<K> = {},
): Promise<JobOfKind<K> | undefined> {
  const row = await guarded(db.updateTable(tableOf(kind)).set(patchColumns(kind, patch)).where('id', '=', id), guard)
    .returningAll()
    .executeTakeFirst();
  return row === undefined ? undefined : toJob(kind, row);
}

function patchColumns(kind: JobKind, patch: JobPatch<JobKind>): Updateable<BackupJobsTable> {
  const set: { [column: string]: unknown } = { updated_at: patch.updatedAt };
  const columns = {
    state: 'state',
    statusMessage: 'status_message',
    percentDone: 'percent_done',
    bytesTransferred: 'bytes_transferred',
    backupSizeBytes: 'backup_size_bytes',
    startedAt: 'started_at',
    completedAt: 'completed_at',
    notBefore: 'not_before',
    resultArn: RESULT_ARN_COLUMN[kind],
    messageCategory: 'message_category',
    encryptionKeyArn: 'encryption_key_arn',
  } as const;
  for (const [member, column] of Object.entries(columns)) {
    const value = patch[member as keyof typeof columns];
    if (value !== undefined) set[column] = value;
  }
  if (patch.releaseLease === true) Object.assign(set, { lease_owner: null, lease_expires_at: null });
  return set as Updateable<BackupJobsTable>;
}

const FILTER_COLUMNS = {
  vaultName: { kinds: ['backup'], column: 'vault_name' },
  parentJobId: { kinds: ['backup', 'copy'], column: 'parent_job_id' },
  destinationVaultArn: { kinds: ['copy'], column: 'destination_vault_arn' },
  sourceRecoveryPointArn: { kinds: ['copy'], column: 'source_recovery_point_arn' },
} as const;

async function listJobs<K extends JobKind>(
  db: Kysely<Database>,
  kind: K,
  scope: CatalogScope,
  filter: JobFilter<K>,
  page?: PageRequest,
): Promise<Page<JobOfKind<K>>> {
  const limit = pageLimit(page);
  const list = `${kind}-jobs`;
  const after = decodeCursor(list, page, 2);
  let query = db
    .selectFrom(tableOf(kind))
    .selectAll()
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .$if(filter.state !== undefined, (q) => q.where('state', '=', filter.state!))
    // An empty list matches no job; SQL has no empty IN (), so it becomes a state no job has.
    .$if(filter.states !== undefined, (q) => q.where('state', 'in', filter.states!.length === 0 ? [''] : (filter.states! as readonly string[])))
    .$if(filter.resourceArn !== undefined, (q) => q.where('resource_arn', '=', filter.resourceArn!))
    .$if(filter.resourceType !== undefined, (q) => q.where('resource_type', '=', filter.resourceType!))
    .$if(filter.messageCategory !== undefined, (q) => q.where('message_category', '=', filter.messageCategory!))
    .$if(filter.createdAfter !== undefined, (q) => q.where('created_at', '>', filter.createdAfter!))
    .$if(filter.createdBefore !== undefined, (q) => q.where('created_at', '<', filter.createdBefore!))
    .$if(filter.completedAfter !== undefined, (q) => q.where('completed_at', '>', filter.completedAfter!))
    .$if(filter.completedBefore !== undefined, (q) => q.where('completed_at', '<', filter.completedBefore!))
    .$if(kind === 'restore' && filter.restoreTestingPlanArn !== undefined, (q) =>
      q.where(
        'id',
        'in',
        db
          .selectFrom('restore_job_tests')
          .select('restore_job_id')
          .where('account_id', '=', scope.accountId)
          .where('region', '=', scope.region)
          .where('plan_arn', '=', filter.restoreTestingPlanArn!),
      ),
    );
  if (kind === 'restore') {
    const restores = query as unknown as SelectQueryBuilder<Database, 'restore_jobs', Selectable<RestoreJobsTable>>;
    query = restores
      .$if(filter.recoveryPointCreatedAfter !== undefined, (q) => q.where('recovery_point_created_at', '>', filter.recoveryPointCreatedAfter!))
      .$if(filter.recoveryPointCreatedBefore !== undefined, (q) =>
        q.where('recovery_point_created_at', '<', filter.recoveryPointCreatedBefore!),
      ) as unknown as typeof query;
  }
  for (const [member, { kinds, column }] of Object.entries(FILTER_COLUMNS)) {
    const value = filter[member as keyof typeof FILTER_COLUMNS];
    if (value !== undefined && (kinds as readonly string[]).includes(kind)) query = query.where(sql.ref(column), '=', value);
  }
  const rows = await query
    .$if(after !== undefined, (q) => q.where(afterKey(['created_at', 'id'], after!, 'desc')))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  return toPage(
    rows,
    limit,
    list,
    (r) => [r.created_at, r.id],
    (r) => toJob(kind, r),
  );
}
