/**
 * Migration 0041: named leases for work that one node at a time must do (the scheduler's
 * maintenance: lifecycles, cold storage, KMS key purges). A row per lease: who holds it and
 * until when (real time, epoch milliseconds); a holder that dies keeps it until it runs out,
 * then another node takes it. Portable DDL only.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('maintenance_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('maintenance_leases').execute();
}
