/**
 * What audit reads across accounts and regions (job summaries, reports, framework controls):
 * the jobs created since a time and the recovery points of a set of accounts. Read-only; the
 * callers decide which accounts a caller may see (its own, or its organization's).
 */
import type { StoreContext } from './dialect.js';
import type { JobKind, JobOfKind } from './job-records.js';
import { JOB_TABLES, toJob } from './job-rows.js';
import type { RecoveryPointRecord } from './recovery-points.js';
import { toRecoveryPoint } from './recovery-point-rows.js';
import type { EpochMillis } from './scope.js';

export interface AuditEvidenceStore {
  /** The jobs of `kind` of these accounts (in these regions, when given) created at or after `since`, oldest first. */
  jobsSince<K extends JobKind>(kind: K, accountIds: readonly string[], since: EpochMillis, regions?: readonly string[]): Promise<JobOfKind<K>[]>;
  /** Every recovery point of these accounts, in every region. */
  recoveryPointsOf(accountIds: readonly string[]): Promise<RecoveryPointRecord[]>;
}

// The three job tables share their leading columns; Kysely is told they are backup_jobs.
type Shared = 'backup_jobs';

export function createAuditEvidenceStore({ db }: StoreContext): AuditEvidenceStore {
  return {
    async jobsSince(kind, accountIds, since, regions) {
      if (accountIds.length === 0 || (regions !== undefined && regions.length === 0)) return [];
      const rows = await db
        .selectFrom(JOB_TABLES[kind] as Shared)
        .selectAll()
        .where('account_id', 'in', [...accountIds])
        .where('created_at', '>=', since)
        .$if(regions !== undefined, (q) => q.where('region', 'in', [...regions!]))
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map((row) => toJob(kind, row));
    },
    async recoveryPointsOf(accountIds) {
      if (accountIds.length === 0) return [];
      const rows = await db
        .selectFrom('recovery_points')
        .selectAll()
        .where('account_id', 'in', [...accountIds])
        .orderBy('created_at')
        .execute();
      return rows.map(toRecoveryPoint);
    },
  };
}
