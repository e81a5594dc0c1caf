/**
 * IAM users, roles and customer managed policies by account, kind and name (case-insensitive, as
 * IAM's), with their inline policies and their attached managed policies. The kind-specific
 * fields are one JSON document the IAM domain reads and writes whole; this store knows rows only.
 */
import type { Selectable } from 'kysely';
import { CatalogConflictError } from './catalog-error.js';
import type { StoreContext } from './dialect.js';
import type { IamEntitiesTable } from './iam-tables.js';
import type { EpochMillis } from './scope.js';

export type IamEntityKind = 'user' | 'role' | 'policy';

export interface IamEntityRow {
  readonly kind: IamEntityKind;
  readonly name: string;
  readonly arn: string;
  readonly id: string;
  readonly path: string;
  readonly document: Readonly<Record<string, unknown>>;
  readonly createdAt: EpochMillis;
  readonly updatedAt: EpochMillis;
}

export interface IamAttachmentRow {
  readonly kind: IamEntityKind;
  readonly ownerName: string;
  readonly policyArn: string;
}

export interface IamEntityStore {
  /** Throws CatalogConflictError when the kind already has the name (in any case). */
  create(accountId: string, row: IamEntityRow): Promise<void>;
  get(accountId: string, kind: IamEntityKind, name: string): Promise<IamEntityRow | undefined>;
  /** Ordered by name, case-insensitively. */
  list(accountId: string, kind: IamEntityKind): Promise<IamEntityRow[]>;
  update(accountId: string, kind: IamEntityKind, name: string, document: Readonly<Record<string, unknown>>, now: EpochMillis): Promise<void>;
  /** Also its inline policies and attachments. */
  delete(accountId: string, kind: IamEntityKind, name: string): Promise<void>;
  putInline(accountId: string, kind: IamEntityKind, owner: string, policyName: string, document: string): Promise<void>;
  getInline(accountId: string, kind: IamEntityKind, owner: string, policyName: string): Promise<string | undefined>;
  /** Policy names, ordered. */
  listInline(accountId: string, kind: IamEntityKind, owner: string): Promise<string[]>;
  /** Whether there was one to delete. */
  deleteInline(accountId: string, kind: IamEntityKind, owner: string, policyName: string): Promise<boolean>;
  /** Attaching twice is one attachment. */
  attach(accountId: string, kind: IamEntityKind, owner: string, policyArn: string, now: EpochMillis): Promise<void>;
  /** Whether it was attached. */
  detach(accountId: string, kind: IamEntityKind, owner: string, policyArn: string): Promise<boolean>;
  /** The policy ARNs attached to one user or role, in the order they were attached. */
  attached(accountId: string, kind: IamEntityKind, owner: string): Promise<string[]>;
  /** Who has one policy attached. */
  attachmentsOf(accountId: string, policyArn: string): Promise<IamAttachmentRow[]>;
}

const keyOf = (name: string): string => name.toLowerCase();

function toRow(row: Selectable<IamEntitiesTable>): IamEntityRow {
  return {
    kind: row.kind as IamEntityKind,
    name: row.name,
    arn: row.arn,
    id: row.entity_id,
    path: row.path,
    document: JSON.parse(row.document) as Record<string, unknown>,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function createIamEntityStore({ db, dialect }: StoreContext): IamEntityStore {
  const entity = (accountId: string, kind: IamEntityKind, name: string) => ({ accountId, kind, key: keyOf(name) });
  return {
    async create(accountId, row) {
      try {
        await db
          .insertInto('iam_entities')
          .values({
            account_id: accountId,
            kind: row.kind,
            name_key: keyOf(row.name),
            name: row.name,
            arn: row.arn,
            entity_id: row.id,
            path: row.path,
            document: JSON.stringify(row.document),
            created_at: row.createdAt,
            updated_at: row.updatedAt,
          })
          .execute();
      } catch (err) {
        if (dialect.isUniqueViolation(err)) throw new CatalogConflictError(row.kind, row.name);
        throw err;
      }
    },
    async get(accountId, kind, name) {
      const row = await db
        .selectFrom('iam_entities')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('kind', '=', kind)
        .where('name_key', '=', keyOf(name))
        .executeTakeFirst();
      return row === undefined ? undefined : toRow(row);
    },
    async list(accountId, kind) {
      const rows = await db.selectFrom('iam_entities').selectAll().where('account_id', '=', accountId).where('kind', '=', kind).orderBy('name_key').execute();
      return rows.map(toRow);
    },
    async update(accountId, kind, name, document, now) {
      await db
        .updateTable('iam_entities')
        .set({ document: JSON.stringify(document), updated_at: now })
        .where('account_id', '=', accountId)
        .where('kind', '=', kind)
        .where('name_key', '=', keyOf(name))
        .execute();
    },
    async delete(accountId, kind, name) {
      const e = entity(accountId, kind, name);
      await db.deleteFrom('iam_attachments').where('account_id', '=', e.accountId).where('kind', '=', e.kind).where('owner_key', '=', e.key).execute();
      await db.deleteFrom('iam_inline_policies').where('account_id', '=', e.accountId).where('kind', '=', e.kind).where('owner_key', '=', e.key).execute();
      await db.deleteFrom('iam_entities').where('account_id', '=', e.accountId).where('kind', '=', e.kind).where('name_key', '=', e.key).execute();
    },
    async putInline(accountId, kind, owner, policyName, document) {
      const e = entity(accountId, kind, owner);
      const updated = await db
        .updateTable('iam_inline_policies')
        .set({ document })
        .where('account_id', '=', e.accountId)
        .where('kind', '=', e.kind)
        .where('owner_key', '=', e.key)
        .where('policy_name', '=', policyName)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) > 0) return;
      await db.insertInto('iam_inline_policies').values({ account_id: accountId, kind, owner_key: e.key, policy_name: policyName, document }).execute();
    },
    async getInline(accountId, kind, owner, policyName) {
      const row = await db
        .selectFrom('iam_inline_policies')
        .select('document')
        .where('account_id', '=', accountId)
        .where('kind', '=', kind)
        .where('owner_key', '=', keyOf(owner))
        .where('policy_name', '=', policyName)
        .executeTakeFirst();
      return row?.document;
    },
    async listInline(accountId, kind, owner) {
      const rows = await db
        .selectFrom('iam_inline_policies')
        .select('policy_name')
        .where('account_id', '=', accountId)
        .where('kind', '=', kind)
        .where('owner_key', '=', keyOf(owner))
        .orderBy('policy_name')
        .execute();
      return rows.map((r) => r.policy_name);
    },
    async deleteInline(accountId, kind, owner, policyName) {
      const result = await db
        .deleteFrom('iam_inline_policies')
        .where('account_id', '=', accountId)
        .where('kind', '=', kind)
        .where('owner_key', '=', keyOf(owner))
        .where('policy_name', '=', policyName)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async attach(accountId, kind, owner, policyArn, now) {
      try {
        await db
          .insertInto('iam_attachments')
          .values({ account_id: accountId, kind, owner_key: keyOf(owner), owner_name: owner, policy_arn: policyArn, attached_at: now })
          .execute();
      } catch (err) {
        if (!dialect.isUniqueViolation(err)) throw err;
      }
    },
    async detach(accountId, kind, owner, policyArn) {
      const result = await db
        .deleteFrom('iam_attachments')
        .where('account_id', '=', accountId)
        .where('kind', '=', kind)
        .where('owner_key', '=', keyOf(owner))
        .where('policy_arn', '=', policyArn)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async attached(accountId, kind, owner) {
      const rows = await db
        .selectFrom('iam_attachments')
        .select('policy_arn')
        .where('account_id', '=', accountId)
        .where('kind', '=', kind)
        .where('owner_key', '=', keyOf(owner))
        .orderBy('attached_at')
        .orderBy('policy_arn')
        .execute();
      return rows.map((r) => r.policy_arn);
    },
    async attachmentsOf(accountId, policyArn) {
      const rows = await db
        .selectFrom('iam_attachments')
        .select(['kind', 'owner_name', 'policy_arn'])
        .where('account_id', '=', accountId)
        .where('policy_arn', '=', policyArn)
        .orderBy('owner_key')
        .execute();
      return rows.map((r) => ({ kind: r.kind as IamEntityKind, ownerName: r.owner_name, policyArn: r.policy_arn }));
    },
  };
}
