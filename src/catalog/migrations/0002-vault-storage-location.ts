/**
 * Migration 0002: where each vault's bytes live (`storage_location`, a storage URL such as
 * `file:/srv/coffer/vaults/us-east-1/111111111111/daily/`), recorded when the vault is created
 * so that a later change of a region's storage root in the config does not move existing vaults.
 * Null for vaults created before this migration. Portable DDL only.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('vaults').addColumn('storage_location', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('vaults').dropColumn('storage_location').execute();
}
