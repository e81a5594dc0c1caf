/**
 * The time limits of backup jobs, as the scheduler enforces them: the jobs still waiting when
 * their start window closed, and the running ones past their completion window (the domain's
 * ledger decides what becomes of them and writes it). Also the next instant at which any such
 * limit, or a waiting job's retry time, falls due, so that a manual clock can step to it.
 */
import type { Selectable } from 'kysely';
import type { BackupJobsTable } from './database.js';
import type { StoreContext } from './dialect.js';
import type { BackupJobHead, BackupJobState } from './job-records.js';
import type { EpochMillis } from './scope.js';

export interface JobWindowStore {
  /** Waiting backup jobs whose start window closed by `now` and that no worker holds. */
  unstartedPastStart(now: EpochMillis): Promise<BackupJobHead[]>;
  /** Running backup jobs past their completion window at `now`. */
  runningPastCompletion(now: EpochMillis): Promise<BackupJobHead[]>;
  /** The earliest start-window end, completion-window end or retry time of an active backup job after `now`. */
  nextDeadline(now: EpochMillis): Promise<EpochMillis | undefined>;
  /** What the running jobs have done so far (ids and bytes): unchanged over time means none advances. */
  runningProgress(): Promise<string>;
  /** Whether any job of any kind is still active (not in a final state). */
  anyActive(): Promise<boolean>;
}

const HEAD = ['account_id', 'region', 'id', 'state', 'status_message', 'attempts', 'start_by', 'resource_arn'] as const;
type HeadRow = Pick<Selectable<BackupJobsTable>, (typeof HEAD)[number]>;

function toHead(row: HeadRow): BackupJobHead {
  return {
    accountId: row.account_id,
    region: row.region,
    id: row.id,
    state: row.state as BackupJobState,
    statusMessage: row.status_message ?? undefined,
    attempts: row.attempts,
    startBy: row.start_by ?? undefined,
    resourceArn: row.resource_arn,
  };
}

export function createJobWindowStore({ db }: StoreContext): JobWindowStore {
  return {
    async unstartedPastStart(now) {
      const rows = await db
        .selectFrom('backup_jobs')
        .select(HEAD)
        .where('state', 'in', ['CREATED', 'PENDING'])
        .where('start_by', '<=', now)
        .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', now)]))
        .execute();
      return rows.map(toHead);
    },
    async runningPastCompletion(now) {
      const rows = await db.selectFrom('backup_jobs').select(HEAD).where('state', '=', 'RUNNING').where('complete_by', '<=', now).execute();
      return rows.map(toHead);
    },
    async nextDeadline(now) {
      const waiting = await db
        .selectFrom('backup_jobs')
        .select((eb) => eb.fn.min('start_by').as('t'))
        .where('state', 'in', ['CREATED', 'PENDING'])
        .where('start_by', '>', now)
        .executeTakeFirst();
      const retry = await db
        .selectFrom('backup_jobs')
        .select((eb) => eb.fn.min('not_before').as('t'))
        .where('state', 'in', ['CREATED', 'PENDING'])
        .where('not_before', '>', now)
        .executeTakeFirst();
      const running = await db
        .selectFrom('backup_jobs')
        .select((eb) => eb.fn.min('complete_by').as('t'))
        .where('state', '=', 'RUNNING')
        .where('complete_by', '>', now)
        .executeTakeFirst();
      const times = [waiting?.t, retry?.t, running?.t].filter((t): t is number => t !== null && t !== undefined).map(Number);
      return times.length === 0 ? undefined : Math.min(...times);
    },
    async runningProgress() {
      const parts: string[] = [];
      for (const table of ['backup_jobs', 'restore_jobs', 'copy_jobs'] as const) {
        const rows = await db
          .selectFrom(table as 'backup_jobs')
          .select(['id', 'bytes_transferred', 'state'])
          .where('state', 'in', ['RUNNING', 'ABORTING'])
          .orderBy('id')
          .execute();
        for (const r of rows) parts.push(`${r.id}:${r.state}:${r.bytes_transferred}`);
      }
      return parts.join(',');
    },
    async anyActive() {
      for (const [table, states] of [
        ['backup_jobs', ['CREATED', 'PENDING', 'RUNNING', 'ABORTING']],
        ['restore_jobs', ['PENDING', 'RUNNING']],
        ['copy_jobs', ['CREATED', 'RUNNING']],
      ] as const) {
        const row = await db
          .selectFrom(table as 'backup_jobs')
          .select('id')
          .where('state', 'in', states as unknown as string[])
          .limit(1)
          .executeTakeFirst();
        if (row !== undefined) return true;
      }
      return false;
    },
  };
}
