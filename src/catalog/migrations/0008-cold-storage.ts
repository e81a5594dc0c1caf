/**
 * Migration 0008: recovery points in a region's cold storage location. `storage_location` is
 * the vault directory (a storage URL, `file:/mnt/cold/vaults/111111111111/daily/`) whose
 * `<key id>/repo/` holds the point's snapshot, when that is not its vault's own location (null:
 * the vault's). `warm_snapshot_id` is the snapshot a move to cold storage still has to forget in
 * the vault's warm repository (set when the move is recorded, cleared once forgotten), so that a
 * move interrupted after it was recorded is finished by a later tick. Portable DDL only.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('recovery_points').addColumn('storage_location', 'text').execute();
  await db.schema.alterTable('recovery_points').addColumn('warm_snapshot_id', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('recovery_points').dropColumn('warm_snapshot_id').execute();
  await db.schema.alterTable('recovery_points').dropColumn('storage_location').execute();
}
