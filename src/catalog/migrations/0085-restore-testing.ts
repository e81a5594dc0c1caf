/**
 * Migration 0085: restore testing. Plans (by name, with their scheduling cursor), their
 * selections, and what a restore test made of each restore job it started: the plan, the
 * selection, the validation and the deletion of the scratch resource. A restore job that a
 * caller validated with PutRestoreValidationResult, outside any plan, has a row with no plan.
 * Documents are the caller's members as JSON text. Portable DDL only.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('restore_testing_plans')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('arn', 'text', (c) => c.notNull().unique())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('creator_request_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('last_execution_at', 'bigint')
    .addColumn('dispatched_until', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('restore_testing_plans_pk', ['account_id', 'region', 'name'])
    .execute();
  await db.schema
    .createTable('restore_testing_selections')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('plan_name', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('creator_request_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('restore_testing_selections_pk', ['account_id', 'region', 'plan_name', 'name'])
    .execute();
  await db.schema
    .createTable('restore_job_tests')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('restore_job_id', 'text', (c) => c.notNull())
    .addColumn('plan_arn', 'text')
    .addColumn('plan_name', 'text')
    .addColumn('selection_name', 'text')
    .addColumn('validation_window_hours', 'integer')
    .addColumn('validation_status', 'text')
    .addColumn('validation_status_message', 'text')
    .addColumn('deletion_status', 'text')
    .addColumn('deletion_status_message', 'text')
    .addColumn('delete_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('restore_job_tests_pk', ['account_id', 'region', 'restore_job_id'])
    .execute();
  await db.schema.createIndex('restore_job_tests_by_plan').on('restore_job_tests').columns(['account_id', 'region', 'plan_arn']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['restore_job_tests', 'restore_testing_selections', 'restore_testing_plans']) await db.schema.dropTable(table).execute();
}
