/**
 * Migration 0001: the first catalog schema. Portable DDL only (Kysely's schema builder, types
 * text / integer / bigint / double precision), so the same migration runs on PostgreSQL.
 * Migrations never import the current table types: they describe the schema as it was.
 */
import type { CreateTableBuilder, Kysely } from 'kysely';

type Db = Kysely<unknown>;
type Table = CreateTableBuilder<string, string>;

export async function up(db: Db): Promise<void> {
  await createVaults(db);
  await createPlans(db);
  for (const kind of ['backup', 'restore', 'copy'] as const) await createJobs(db, kind);
  await createRecoveryPoints(db);
  await createSettings(db);
  await createTagsAndTokens(db);
}

export async function down(db: Db): Promise<void> {
  const tables = [
    'idempotency_tokens',
    'tags',
    'global_settings',
    'region_settings',
    'recovery_points',
    'copy_jobs',
    'restore_jobs',
    'backup_jobs',
    'selections',
    'plan_versions',
    'plans',
    'vaults',
  ];
  for (const table of tables) await db.schema.dropTable(table).execute();
}

function scoped(table: Table): Table {
  return table.addColumn('account_id', 'text', (c) => c.notNull()).addColumn('region', 'text', (c) => c.notNull());
}

async function createVaults(db: Db): Promise<void> {
  await scoped(db.schema.createTable('vaults'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('arn', 'text', (c) => c.notNull().unique())
    .addColumn('vault_type', 'text', (c) => c.notNull())
    .addColumn('encryption_key_arn', 'text', (c) => c.notNull())
    .addColumn('creator_request_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('access_policy', 'text')
    .addColumn('notifications', 'text')
    .addColumn('lock_min_retention_days', 'integer')
    .addColumn('lock_max_retention_days', 'integer')
    .addColumn('lock_changeable_for_days', 'integer')
    .addColumn('lock_date', 'bigint')
    .addPrimaryKeyConstraint('vaults_pk', ['account_id', 'region', 'name'])
    .execute();
}

async function createPlans(db: Db): Promise<void> {
  await scoped(db.schema.createTable('plans'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('arn', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version_id', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('creator_request_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .addColumn('last_execution_at', 'bigint')
    .addPrimaryKeyConstraint('plans_pk', ['account_id', 'region', 'id'])
    .execute();
  // Not unique: AWS accepts two plans of one name with different documents.
  await db.schema.createIndex('plans_by_name').on('plans').columns(['account_id', 'region', 'name']).execute();
  await scoped(db.schema.createTable('plan_versions'))
    .addColumn('plan_id', 'text', (c) => c.notNull())
    .addColumn('version_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .addPrimaryKeyConstraint('plan_versions_pk', ['account_id', 'region', 'plan_id', 'version_id'])
    .addForeignKeyConstraint('plan_versions_plan', ['account_id', 'region', 'plan_id'], 'plans', ['account_id', 'region', 'id'])
    .execute();
  await createSelections(db);
}

async function createSelections(db: Db): Promise<void> {
  await scoped(db.schema.createTable('selections'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('plan_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('iam_role_arn', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('creator_request_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('selections_pk', ['account_id', 'region', 'id'])
    .addForeignKeyConstraint('selections_plan', ['account_id', 'region', 'plan_id'], 'plans', ['account_id', 'region', 'id'])
    .execute();
  await db.schema.createIndex('selections_by_plan').on('selections').columns(['account_id', 'region', 'plan_id', 'created_at']).execute();
}

function jobColumns(table: Table): Table {
  return scoped(table)
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('status_message', 'text')
    .addColumn('percent_done', 'double precision')
    .addColumn('bytes_transferred', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('backup_size_bytes', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('completed_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('not_before', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('idempotency_token', 'text')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', 'bigint')
    .addColumn('created_by_plan_id', 'text')
    .addColumn('created_by_plan_arn', 'text')
    .addColumn('created_by_plan_version', 'text')
    .addColumn('created_by_rule_id', 'text')
    .addColumn('created_by_rule_name', 'text')
    .addColumn('resource_arn', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('iam_role_arn', 'text');
}

function backupJobColumns(table: Table): Table {
  return table
    .addColumn('vault_name', 'text', (c) => c.notNull())
    .addColumn('vault_arn', 'text', (c) => c.notNull())
    .addColumn('resource_name', 'text')
    .addColumn('recovery_point_arn', 'text')
    .addColumn('start_by', 'bigint')
    .addColumn('complete_by', 'bigint')
    .addColumn('scheduled_at', 'bigint')
    .addColumn('lifecycle', 'text')
    .addColumn('recovery_point_tags', 'text')
    .addColumn('backup_options', 'text')
    .addColumn('parent_job_id', 'text');
}

function restoreJobColumns(table: Table): Table {
  return table
    .addColumn('recovery_point_arn', 'text', (c) => c.notNull())
    .addColumn('vault_name', 'text', (c) => c.notNull())
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('created_resource_arn', 'text');
}

function copyJobColumns(table: Table): Table {
  return table
    .addColumn('source_recovery_point_arn', 'text', (c) => c.notNull())
    .addColumn('source_vault_arn', 'text', (c) => c.notNull())
    .addColumn('destination_vault_arn', 'text', (c) => c.notNull())
    .addColumn('destination_recovery_point_arn', 'text')
    .addColumn('lifecycle', 'text')
    .addColumn('parent_job_id', 'text');
}

const KIND_COLUMNS = { backup: backupJobColumns, restore: restoreJobColumns, copy: copyJobColumns } as const;

async function createJobs(db: Db, kind: keyof typeof KIND_COLUMNS): Promise<void> {
  const table = `${kind}_jobs`;
  await KIND_COLUMNS[kind](jobColumns(db.schema.createTable(table))).execute();
  await db.schema.createIndex(`${table}_by_scope`).on(table).columns(['account_id', 'region', 'created_at', 'id']).execute();
  await db.schema.createIndex(`${table}_claimable`).on(table).columns(['state', 'not_before']).execute();
  await db.schema.createIndex(`${table}_by_resource`).on(table).columns(['account_id', 'region', 'resource_arn']).execute();
}

async function createRecoveryPoints(db: Db): Promise<void> {
  await scoped(db.schema.createTable('recovery_points'))
    .addColumn('arn', 'text', (c) => c.primaryKey())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('vault_name', 'text', (c) => c.notNull())
    .addColumn('vault_arn', 'text', (c) => c.notNull())
    .addColumn('resource_arn', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('resource_name', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('status_message', 'text')
    .addColumn('storage_class', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('delete_after_days', 'integer')
    .addColumn('move_to_cold_after_days', 'integer')
    .addColumn('delete_at', 'bigint')
    .addColumn('move_to_cold_at', 'bigint')
    .addColumn('encryption_key_arn', 'text')
    .addColumn('backup_size_bytes', 'bigint')
    .addColumn('snapshot_id', 'text')
    .addColumn('repository_key_id', 'text')
    .addColumn('source_recovery_point_arn', 'text')
    .addColumn('source_vault_arn', 'text')
    .addColumn('job_id', 'text')
    .addColumn('created_by_plan_id', 'text')
    .addColumn('created_by_plan_arn', 'text')
    .addColumn('created_by_plan_version', 'text')
    .addColumn('created_by_rule_id', 'text')
    .addColumn('iam_role_arn', 'text')
    .addColumn('restore_metadata', 'text')
    .addColumn('last_restore_at', 'bigint')
    .addForeignKeyConstraint('recovery_points_vault', ['account_id', 'region', 'vault_name'], 'vaults', ['account_id', 'region', 'name'])
    .execute();
  const rp = db.schema;
  await rp.createIndex('recovery_points_by_vault').on('recovery_points').columns(['account_id', 'region', 'vault_name', 'created_at', 'arn']).execute();
  await rp.createIndex('recovery_points_by_resource').on('recovery_points').columns(['account_id', 'region', 'resource_arn', 'created_at']).execute();
  await rp.createIndex('recovery_points_delete_due').on('recovery_points').columns(['delete_at']).execute();
  await rp.createIndex('recovery_points_cold_due').on('recovery_points').columns(['move_to_cold_at']).execute();
  await rp.createIndex('recovery_points_by_source').on('recovery_points').columns(['source_recovery_point_arn']).execute();
}

async function createSettings(db: Db): Promise<void> {
  await scoped(db.schema.createTable('region_settings'))
    .addColumn('resource_type_opt_in', 'text')
    .addColumn('resource_type_management', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('region_settings_pk', ['account_id', 'region'])
    .execute();
  await db.schema
    .createTable('global_settings')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('global_settings_pk', ['account_id', 'name'])
    .execute();
}

async function createTagsAndTokens(db: Db): Promise<void> {
  await scoped(db.schema.createTable('tags'))
    .addColumn('resource_arn', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('tags_pk', ['account_id', 'region', 'resource_arn', 'key'])
    .execute();
  await scoped(db.schema.createTable('idempotency_tokens'))
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_tokens_pk', ['account_id', 'region', 'operation', 'token'])
    .execute();
  await db.schema.createIndex('idempotency_tokens_expiry').on('idempotency_tokens').columns(['expires_at']).execute();
}
