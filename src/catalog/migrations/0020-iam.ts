/**
 * Migration 0020: IAM users, roles and customer managed policies (one table of entities, their
 * kind-specific fields as JSON text), their inline policies, and which managed policies are
 * attached to which user or role. IAM is global: rows are keyed by account, not region. Names are
 * unique regardless of case, as IAM's are (`name_key` is the lower-cased name). Portable DDL only.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('iam_entities')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('arn', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('iam_entities_pk', ['account_id', 'kind', 'name_key'])
    .execute();
  await db.schema
    .createTable('iam_inline_policies')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('owner_key', 'text', (c) => c.notNull())
    .addColumn('policy_name', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('iam_inline_policies_pk', ['account_id', 'kind', 'owner_key', 'policy_name'])
    .execute();
  await db.schema
    .createTable('iam_attachments')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('owner_key', 'text', (c) => c.notNull())
    .addColumn('owner_name', 'text', (c) => c.notNull())
    .addColumn('policy_arn', 'text', (c) => c.notNull())
    .addColumn('attached_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('iam_attachments_pk', ['account_id', 'kind', 'owner_key', 'policy_arn'])
    .execute();
  await db.schema.createIndex('iam_attachments_by_policy').on('iam_attachments').columns(['account_id', 'policy_arn']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['iam_attachments', 'iam_inline_policies', 'iam_entities']) await db.schema.dropTable(table).execute();
}
