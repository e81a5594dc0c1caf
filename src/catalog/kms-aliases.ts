/** KMS aliases by account, region and name (`alias/...`); each names one key of its scope. */
import type { Selectable } from 'kysely';
import { CatalogConflictError } from './catalog-error.js';
import type { StoreContext } from './dialect.js';
import type { KmsAliasesTable } from './kms-tables.js';
import { afterKey, decodeCursor, pageLimit, toPage } from './pagination.js';
import type { Page, PageRequest } from './pagination.js';
import type { CatalogScope, EpochMillis } from './scope.js';

export interface KmsAliasRecord {
  readonly name: string;
  readonly keyId: string;
  readonly createdAt: EpochMillis;
  readonly updatedAt: EpochMillis;
}

export interface KmsAliasStore {
  /** Throws CatalogConflictError when the name is taken. */
  create(scope: CatalogScope, name: string, keyId: string, now: EpochMillis): Promise<void>;
  get(scope: CatalogScope, name: string): Promise<KmsAliasRecord | undefined>;
  /** Ordered by name; only the aliases of `keyId` when given. */
  list(scope: CatalogScope, keyId: string | undefined, page?: PageRequest): Promise<Page<KmsAliasRecord>>;
  /** Points an existing alias at another key. */
  retarget(scope: CatalogScope, name: string, keyId: string, now: EpochMillis): Promise<void>;
  delete(scope: CatalogScope, name: string): Promise<void>;
}

function toRecord(row: Selectable<KmsAliasesTable>): KmsAliasRecord {
  return { name: row.name, keyId: row.key_id, createdAt: row.created_at, updatedAt: row.updated_at };
}

export function createKmsAliasStore({ db, dialect }: StoreContext): KmsAliasStore {
  const inScope = (scope: CatalogScope) =>
    db.selectFrom('kms_aliases').selectAll().where('account_id', '=', scope.accountId).where('region', '=', scope.region);
  return {
    async create(scope, name, keyId, now) {
      try {
        await db
          .insertInto('kms_aliases')
          .values({ account_id: scope.accountId, region: scope.region, name, key_id: keyId, created_at: now, updated_at: now })
          .execute();
      } catch (err) {
        if (dialect.isUniqueViolation(err)) throw new CatalogConflictError('alias', name);
        throw err;
      }
    },
    async get(scope, name) {
      const row = await inScope(scope).where('name', '=', name).executeTakeFirst();
      return row === undefined ? undefined : toRecord(row);
    },
    async list(scope, keyId, page) {
      const limit = pageLimit(page);
      const after = decodeCursor('kms_aliases', page, 1);
      const rows = await inScope(scope)
        .$if(keyId !== undefined, (q) => q.where('key_id', '=', keyId!))
        .$if(after !== undefined, (q) => q.where(afterKey(['name'], after!, 'asc')))
        .orderBy('name')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, 'kms_aliases', (r) => [r.name], toRecord);
    },
    async retarget(scope, name, keyId, now) {
      await db
        .updateTable('kms_aliases')
        .set({ key_id: keyId, updated_at: now })
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('name', '=', name)
        .execute();
    },
    async delete(scope, name) {
      await db.deleteFrom('kms_aliases').where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('name', '=', name).execute();
    },
  };
}
