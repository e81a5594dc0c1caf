/**
 * Leases for work that one node at a time does (the scheduler's maintenance ticks). Taking a
 * lease is one guarded UPDATE (free, run out, or already mine) or, the first time, an INSERT
 * whose unique violation means another node took it first; so of several nodes asking at once
 * exactly one gets it, on SQLite and PostgreSQL alike. Times are real time (the lease clock),
 * whatever the domain's clock says.
 */
import type { StoreContext } from './dialect.js';
import type { EpochMillis } from './scope.js';

export interface MaintenanceLeaseStore {
  /** Takes or extends `name` for `holder` until now + ttlMs; false when another holder's lease is live. */
  acquire(name: string, holder: string, ttlMs: number, now: EpochMillis): Promise<boolean>;
  /** Ends `holder`'s lease at once (its work is done), so any node may take it next. */
  release(name: string, holder: string, now: EpochMillis): Promise<void>;
  /** The live holder of `name`, if any. */
  holder(name: string, now: EpochMillis): Promise<string | undefined>;
}

export function createMaintenanceLeaseStore({ db, dialect }: StoreContext): MaintenanceLeaseStore {
  return {
    async acquire(name, holder, ttlMs, now) {
      const taken = await db
        .updateTable('maintenance_leases')
        .set({ holder, expires_at: now + ttlMs, updated_at: now })
        .where('name', '=', name)
        .where((eb) => eb.or([eb('holder', '=', holder), eb('expires_at', '<=', now)]))
        .executeTakeFirst();
      if (taken.numUpdatedRows > 0n) return true;
      try {
        await db
          .insertInto('maintenance_leases')
          .values({ name, holder, expires_at: now + ttlMs, updated_at: now })
          .execute();
        return true;
      } catch (err) {
        if (dialect.isUniqueViolation(err)) return false;
        throw err;
      }
    },
    async release(name, holder, now) {
      await db.updateTable('maintenance_leases').set({ expires_at: now, updated_at: now }).where('name', '=', name).where('holder', '=', holder).execute();
    },
    async holder(name, now) {
      const row = await db
        .selectFrom('maintenance_leases')
        .select(['holder', 'expires_at'])
        .where('name', '=', name)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return row?.holder;
    },
  };
}
