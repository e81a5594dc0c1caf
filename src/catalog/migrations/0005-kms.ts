/**
 * Migration 0005: KMS keys, aliases and grants. A key's material is stored only enveloped under
 * the root key (`wrapped_material`, opaque text); its policy is the JSON text the caller gave.
 * Times are integer milliseconds; no booleans (rotation is a nullable time). Portable DDL only.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('kms_keys')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('arn', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('key_manager', 'text', (c) => c.notNull())
    .addColumn('key_spec', 'text', (c) => c.notNull())
    .addColumn('key_usage', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('wrapped_material', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('deletion_at', 'bigint')
    .addColumn('pending_window_days', 'integer')
    .addColumn('rotation_enabled_at', 'bigint')
    .addPrimaryKeyConstraint('kms_keys_pk', ['account_id', 'region', 'key_id'])
    .execute();
  await db.schema.createIndex('kms_keys_by_deletion').on('kms_keys').columns(['deletion_at']).execute();
  await db.schema
    .createTable('kms_aliases')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('kms_aliases_pk', ['account_id', 'region', 'name'])
    .execute();
  await db.schema
    .createTable('kms_grants')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('grant_id', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('grantee_principal', 'text', (c) => c.notNull())
    .addColumn('retiring_principal', 'text')
    .addColumn('issuing_account', 'text', (c) => c.notNull())
    .addColumn('operations', 'text', (c) => c.notNull())
    .addColumn('constraints', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('kms_grants_pk', ['account_id', 'region', 'grant_id'])
    .execute();
  await db.schema.createIndex('kms_grants_by_key').on('kms_grants').columns(['account_id', 'region', 'key_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['kms_grants', 'kms_aliases', 'kms_keys']) await db.schema.dropTable(table).execute();
}
