/**
 * Migration 0040: at most one backup job per scheduled run of a rule for a resource. The
 * scheduler's cursor (compare-and-set, 0004) already makes each span of time dispatched by one
 * node; this unique index makes a second dispatch of the same run impossible whatever happens
 * (its transaction fails and rolls back). On-demand jobs (no scheduled_at) are not covered.
 * Portable DDL only (a partial unique index: SQLite and PostgreSQL both have them).
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('backup_jobs_one_per_run')
    .on('backup_jobs')
    .unique()
    .columns(['account_id', 'region', 'created_by_plan_id', 'created_by_rule_id', 'resource_arn', 'scheduled_at'])
    .where(sql.ref('scheduled_at'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('backup_jobs_one_per_run').execute();
}
