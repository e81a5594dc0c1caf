/**
 * Migration 0090: each job's MessageCategory (AWS's one word for why it ended: SUCCESS,
 * ACCESS_DENIED, ...), decided by the domain when the job ends and kept so that ListBackupJobs
 * and ListCopyJobs can filter by it (ByMessageCategory) and summaries can count by it. Jobs that
 * ended before this migration keep null; the domain derives theirs when it reads them. An index
 * per table serves the filter with the account and region every list is scoped by.
 * Portable DDL only.
 */
import type { Kysely } from 'kysely';

const TABLES = ['backup_jobs', 'copy_jobs', 'restore_jobs'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of TABLES) {
    await db.schema.alterTable(table).addColumn('message_category', 'text').execute();
    await db.schema.createIndex(`${table}_message_category`).on(table).columns(['account_id', 'region', 'message_category']).execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of TABLES) {
    await db.schema.dropIndex(`${table}_message_category`).execute();
    await db.schema.alterTable(table).dropColumn('message_category').execute();
  }
}
