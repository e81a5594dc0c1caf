/**
 * Migration 0007: legal holds and the recovery points each one covers (fixed when the hold is
 * created). The selection is the caller's RecoveryPointSelection as JSON text. Portable DDL only.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('legal_holds')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('hold_id', 'text', (c) => c.notNull())
    .addColumn('arn', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('selection', 'text')
    .addColumn('idempotency_token', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('cancel_description', 'text')
    .addColumn('cancelled_at', 'bigint')
    .addColumn('retain_record_until', 'bigint')
    .addPrimaryKeyConstraint('legal_holds_pk', ['account_id', 'region', 'hold_id'])
    .execute();
  await db.schema
    .createTable('legal_hold_points')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('hold_id', 'text', (c) => c.notNull())
    .addColumn('recovery_point_arn', 'text', (c) => c.notNull())
    .addColumn('resource_arn', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('vault_name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('legal_hold_points_pk', ['account_id', 'region', 'hold_id', 'recovery_point_arn'])
    .execute();
  await db.schema.createIndex('legal_hold_points_by_point').on('legal_hold_points').columns(['recovery_point_arn']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['legal_hold_points', 'legal_holds']) await db.schema.dropTable(table).execute();
}
