/**
 * Wiping the catalog: every row of every table goes, the schema and the migration history stay.
 * Only sandbox mode's reset uses it. Children are emptied before their parents so that foreign
 * keys hold at every step, in one transaction, with plain DELETEs that every dialect runs.
 */
import type { Kysely } from 'kysely';
import type { Database } from './database.js';
import { inTransaction } from './dialect.js';

/** Every table, children first; test/catalog/wipe.test.ts checks that none is missing. */
export const WIPE_ORDER = [
  'report_jobs',
  'report_plans',
  'audit_frameworks',
  'notification_outbox',
  'restore_job_tests',
  'restore_testing_selections',
  'restore_testing_plans',
  'recovery_point_indexes',
  'search_job_results',
  'search_job_backups',
  'search_jobs',
  'iam_attachments',
  'iam_inline_policies',
  'iam_entities',
  'scheduler_state',
  'maintenance_leases',
  'legal_hold_points',
  'legal_holds',
  'kms_grants',
  'kms_key_materials',
  'kms_aliases',
  'kms_keys',
  'idempotency_tokens',
  'repository_keys',
  'tags',
  'global_settings',
  'region_settings',
  'recovery_points',
  'copy_jobs',
  'restore_jobs',
  'backup_jobs',
  'selections',
  'plan_versions',
  'plans',
  'vaults',
] as const satisfies readonly (keyof Database)[];

export function wipeTables(db: Kysely<Database>): Promise<void> {
  return inTransaction(db, async (trx) => {
    for (const table of WIPE_ORDER) await trx.deleteFrom(table).execute();
  });
}
