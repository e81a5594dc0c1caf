/**
 * Migration 0032: AWS Backup Search jobs (StartSearchJob): the job with its scope and item
 * filters (JSON text), its progress and the lease of the node running it; the recovery points it
 * searches; and the items it found, in the order found. Portable DDL only.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('search_jobs')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('job_id', 'text', (c) => c.notNull())
    .addColumn('arn', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_message', 'text')
    .addColumn('encryption_key_arn', 'text')
    .addColumn('search_scope', 'text', (c) => c.notNull())
    .addColumn('item_filters', 'text', (c) => c.notNull())
    .addColumn('client_token', 'text')
    .addColumn('tags', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .addColumn('points_to_scan', 'integer', (c) => c.notNull())
    .addColumn('items_to_scan', 'bigint', (c) => c.notNull())
    .addColumn('points_scanned', 'integer', (c) => c.notNull())
    .addColumn('items_scanned', 'bigint', (c) => c.notNull())
    .addColumn('items_matched', 'bigint', (c) => c.notNull())
    .addColumn('holder', 'text')
    .addColumn('lease_until', 'bigint')
    .addPrimaryKeyConstraint('search_jobs_pk', ['account_id', 'region', 'job_id'])
    .execute();
  await db.schema
    .createTable('search_job_backups')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('job_id', 'text', (c) => c.notNull())
    .addColumn('recovery_point_arn', 'text', (c) => c.notNull())
    .addColumn('vault_name', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('source_resource_arn', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_message', 'text')
    .addColumn('index_created_at', 'bigint', (c) => c.notNull())
    .addColumn('backup_created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('search_job_backups_pk', ['account_id', 'region', 'job_id', 'recovery_point_arn'])
    .execute();
  await db.schema
    .createTable('search_job_results')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('job_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('item', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('search_job_results_pk', ['account_id', 'region', 'job_id', 'seq'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['search_job_results', 'search_job_backups', 'search_jobs']) await db.schema.dropTable(table).execute();
}
