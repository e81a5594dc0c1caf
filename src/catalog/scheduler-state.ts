/**
 * The scheduler's cursors: up to which instant due rule runs have been dispatched. Advancing is
 * compare-and-set on the old value, inside the transaction that also creates the run's jobs, so
 * with many nodes on one catalog each window of time is dispatched once: the node whose update
 * finds the cursor moved by another rolls back.
 */
import type { StoreContext } from './dialect.js';
import type { EpochMillis } from './scope.js';

export interface SchedulerStateStore {
  /** The cursor's instant, or undefined before the scheduler first ran. */
  get(name: string): Promise<EpochMillis | undefined>;
  /**
   * Moves the cursor from `expected` (undefined: not yet set) to `to`; false when another node
   * moved it first.
   */
  advance(name: string, expected: EpochMillis | undefined, to: EpochMillis, now: EpochMillis): Promise<boolean>;
}

export function createSchedulerStateStore({ db, dialect }: StoreContext): SchedulerStateStore {
  return {
    async get(name) {
      const row = await db.selectFrom('scheduler_state').select('dispatched_until').where('name', '=', name).executeTakeFirst();
      return row === undefined ? undefined : Number(row.dispatched_until);
    },
    async advance(name, expected, to, now) {
      if (expected === undefined) {
        try {
          await db.insertInto('scheduler_state').values({ name, dispatched_until: to, updated_at: now }).execute();
          return true;
        } catch (err) {
          if (dialect.isUniqueViolation(err)) return false;
          throw err;
        }
      }
      const result = await db
        .updateTable('scheduler_state')
        .set({ dispatched_until: to, updated_at: now })
        .where('name', '=', name)
        .where('dispatched_until', '=', expected)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
  };
}
