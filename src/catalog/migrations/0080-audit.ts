/**
 * Migration 0080: AWS Backup Audit Manager's records: frameworks (their controls as the caller
 * gave them, JSON text), report plans (setting and delivery channel, JSON text) and report jobs
 * (what they wrote where). Portable DDL only.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_frameworks')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('arn', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text')
    .addColumn('controls', 'text', (c) => c.notNull())
    .addColumn('idempotency_token', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_frameworks_pk', ['account_id', 'region', 'name'])
    .execute();
  await db.schema
    .createTable('report_plans')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('arn', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text')
    .addColumn('setting', 'text', (c) => c.notNull())
    .addColumn('delivery', 'text', (c) => c.notNull())
    .addColumn('idempotency_token', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('last_attempted_at', 'bigint')
    .addColumn('last_succeeded_at', 'bigint')
    .addPrimaryKeyConstraint('report_plans_pk', ['account_id', 'region', 'name'])
    .execute();
  await db.schema
    .createTable('report_jobs')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('plan_name', 'text', (c) => c.notNull())
    .addColumn('plan_arn', 'text', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_message', 'text')
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('keys', 'text')
    .addColumn('idempotency_token', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .addPrimaryKeyConstraint('report_jobs_pk', ['account_id', 'region', 'id'])
    .execute();
  await db.schema.createIndex('report_jobs_by_plan').on('report_jobs').columns(['account_id', 'region', 'plan_name', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['report_jobs', 'report_plans', 'audit_frameworks']) await db.schema.dropTable(table).execute();
}
