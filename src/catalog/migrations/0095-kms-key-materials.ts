/**
 * Migration 0095: what KMS keys other than Coffer-made symmetric ones need. On `kms_keys`: the
 * key's origin (null: AWS_KMS), its rotation period and next automatic rotation, which material is
 * current (null: the original one in `wrapped_material`), the parameters of a pending import
 * (sealed under the root key), when imported material expires, and the key's last cryptographic
 * use (GetKeyLastUsage). `kms_key_materials` holds the materials that rotations made, each sealed
 * under the root key like the original. Portable DDL only; existing keys keep every behaviour.
 */
import type { Kysely } from 'kysely';

const KEY_COLUMNS: readonly [string, 'text' | 'bigint' | 'integer'][] = [
  ['origin', 'text'],
  ['rotation_period_days', 'integer'],
  ['next_rotation_at', 'bigint'],
  ['current_material_id', 'text'],
  ['import_parameters', 'text'],
  ['material_valid_to', 'bigint'],
  ['last_used_at', 'bigint'],
  ['last_used_operation', 'text'],
  ['last_used_request_id', 'text'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [name, type] of KEY_COLUMNS) await db.schema.alterTable('kms_keys').addColumn(name, type).execute();
  await db.schema.createIndex('kms_keys_by_next_rotation').on('kms_keys').columns(['next_rotation_at']).execute();
  await db.schema
    .createTable('kms_key_materials')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('material_id', 'text', (c) => c.notNull())
    .addColumn('wrapped_material', 'text', (c) => c.notNull())
    .addColumn('rotation_type', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('kms_key_materials_pk', ['account_id', 'region', 'key_id', 'material_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('kms_key_materials').execute();
  await db.schema.dropIndex('kms_keys_by_next_rotation').execute();
  for (const [name] of [...KEY_COLUMNS].reverse()) await db.schema.alterTable('kms_keys').dropColumn(name).execute();
}
