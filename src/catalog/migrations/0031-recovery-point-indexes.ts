/**
 * Migration 0031: recovery point indexes (UpdateRecoveryPointIndexSettings), one row per indexed
 * recovery point: its status, when it was asked for and finished, how many items it holds, and
 * the lease of the node that builds it (so a node that dies leaves it to another). Portable DDL.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('recovery_point_indexes')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('recovery_point_arn', 'text', (c) => c.notNull())
    .addColumn('vault_name', 'text', (c) => c.notNull())
    .addColumn('source_resource_arn', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('backup_created_at', 'bigint', (c) => c.notNull())
    .addColumn('iam_role_arn', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_message', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .addColumn('total_items', 'bigint')
    .addColumn('holder', 'text')
    .addColumn('lease_until', 'bigint')
    .addPrimaryKeyConstraint('recovery_point_indexes_pk', ['account_id', 'region', 'recovery_point_arn'])
    .execute();
  await db.schema.createIndex('recovery_point_indexes_by_status').on('recovery_point_indexes').columns(['status', 'lease_until']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('recovery_point_indexes').execute();
}
