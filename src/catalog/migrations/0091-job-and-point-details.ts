/**
 * Migration 0091: what AWS shows of jobs and recovery points that the catalog did not keep.
 * - every job table: `encryption_key_arn` (backup: the key protecting the recovery point it makes;
 *   copy: the key protecting the destination's; restore: unused) and the rest of AWS's
 *   CreatedBy: `created_by_plan_name`, `created_by_rule_cron`, `created_by_rule_timezone`;
 * - restore_jobs: `recovery_point_created_at` (RecoveryPointCreationDate);
 * - recovery_points: the same CreatedBy members, with `created_by_rule_name`.
 * Rows from before keep null (their CreatedBy shows what was kept then). Portable DDL only.
 */
import type { Kysely } from 'kysely';

const JOB_TABLES = ['backup_jobs', 'copy_jobs', 'restore_jobs'] as const;
const ORIGIN = ['created_by_plan_name', 'created_by_rule_cron', 'created_by_rule_timezone'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of JOB_TABLES) {
    for (const column of ['encryption_key_arn', ...ORIGIN]) await db.schema.alterTable(table).addColumn(column, 'text').execute();
  }
  await db.schema.alterTable('restore_jobs').addColumn('recovery_point_created_at', 'bigint').execute();
  for (const column of [...ORIGIN, 'created_by_rule_name']) await db.schema.alterTable('recovery_points').addColumn(column, 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of [...ORIGIN, 'created_by_rule_name']) await db.schema.alterTable('recovery_points').dropColumn(column).execute();
  await db.schema.alterTable('restore_jobs').dropColumn('recovery_point_created_at').execute();
  for (const table of JOB_TABLES) {
    for (const column of ['encryption_key_arn', ...ORIGIN]) await db.schema.alterTable(table).dropColumn(column).execute();
  }
}
