/**
 * Migration 0004: the scheduler's cursor. One row per named cursor holding the instant up to
 * which due rule runs have been dispatched; nodes advance it with compare-and-set, so a window
 * of time is dispatched by exactly one of them. Portable DDL only.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('scheduler_state')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('dispatched_until', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('scheduler_state').execute();
}
