/**
 * The time limits of backup jobs, as the scheduler enforces them: a job still waiting when its
 * start window closes becomes EXPIRED; a running job past its completion window is asked to stop
 * (ABORTING, which its worker turns into ABORTED and discards the partial data). Also the next
 * instant at which any such limit, or a waiting job's retry time, falls due, so that a manual
 * clock can step to it.
 */
import { sql } from 'kysely';
import type { StoreContext } from './dialect.js';
import type { EpochMillis } from './scope.js';

export interface JobWindowStore {
  /** Waiting backup jobs whose start window closed by `now`, no worker holding them, become EXPIRED; how many. */
  expireUnstarted(now: EpochMillis, message: string): Promise<number>;
  /** Running backup jobs past their completion window become ABORTING with `message`; how many. */
  abortOverdue(now: EpochMillis, message: string): Promise<number>;
  /** The earliest start-window end, completion-window end or retry time of an active backup job after `now`. */
  nextDeadline(now: EpochMillis): Promise<EpochMillis | undefined>;
  /** What the running jobs have done so far (ids and bytes): unchanged over time means none advances. */
  runningProgress(): Promise<string>;
  /** Whether any job of any kind is still active (not in a final state). */
  anyActive(): Promise<boolean>;
}

export function createJobWindowStore({ db }: StoreContext): JobWindowStore {
  return {
    async expireUnstarted(now, message) {
      const result = await db.updateTable('backup_jobs')
        // The last attempt's failure (if any) stays after the window's message: it says why.
        .set({ state: 'EXPIRED', status_message: sql<string>`${message} || coalesce(' ' || status_message, '')`, completed_at: now, updated_at: now })
        .where('state', 'in', ['CREATED', 'PENDING']).where('start_by', '<=', now)
        .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', now)]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async abortOverdue(now, message) {
      const result = await db.updateTable('backup_jobs')
        .set({ state: 'ABORTING', status_message: message, updated_at: now })
        .where('state', '=', 'RUNNING').where('complete_by', '<=', now)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async nextDeadline(now) {
      const waiting = await db.selectFrom('backup_jobs')
        .select((eb) => eb.fn.min('start_by').as('t'))
        .where('state', 'in', ['CREATED', 'PENDING']).where('start_by', '>', now).executeTakeFirst();
      const retry = await db.selectFrom('backup_jobs').select((eb) => eb.fn.min('not_before').as('t'))
        .where('state', 'in', ['CREATED', 'PENDING']).where('not_before', '>', now).executeTakeFirst();
      const running = await db.selectFrom('backup_jobs').select((eb) => eb.fn.min('complete_by').as('t'))
        .where('state', '=', 'RUNNING').where('complete_by', '>', now).executeTakeFirst();
      const times = [waiting?.t, retry?.t, running?.t].filter((t): t is number => t !== null && t !== undefined).map(Number);
      return times.length === 0 ? undefined : Math.min(...times);
    },
    async runningProgress() {
      const parts: string[] = [];
      for (const table of ['backup_jobs', 'restore_jobs', 'copy_jobs'] as const) {
        const rows = await db.selectFrom(table as 'backup_jobs').select(['id', 'bytes_transferred', 'state']).where('state', 'in', ['RUNNING', 'ABORTING']).orderBy('id').execute();
        for (const r of rows) parts.push(`${r.id}:${r.state}:${r.bytes_transferred}`);
      }
      return parts.join(',');
    },
    async anyActive() {
      for (const [table, states] of [['backup_jobs', ['CREATED', 'PENDING', 'RUNNING', 'ABORTING']], ['restore_jobs', ['PENDING', 'RUNNING']], ['copy_jobs', ['CREATED', 'RUNNING']]] as const) {
        const row = await db.selectFrom(table as 'backup_jobs').select('id').where('state', 'in', states as unknown as string[]).limit(1).executeTakeFirst();
        if (row !== undefined) return true;
      }
      return false;
    },
  };
}
