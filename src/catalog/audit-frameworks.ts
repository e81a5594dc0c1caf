/**
 * Audit frameworks (migration 0080): one row per framework, scoped by account and region, its
 * controls kept as the caller gave them (JSON text). The domain checks and evaluates them.
 */
import type { Selectable } from 'kysely';
import { CatalogConflictError } from './catalog-error.js';
import type { StoreContext } from './dialect.js';
import { fromJsonTextRequired, toJsonText } from './json-text.js';
import type { JsonValue } from './json-text.js';
import { afterKey, decodeCursor, pageLimit, toPage } from './pagination.js';
import type { Page, PageRequest } from './pagination.js';
import type { CatalogScope, EpochMillis } from './scope.js';

export interface AuditFrameworksTable {
  account_id: string;
  region: string;
  name: string;
  arn: string;
  description: string | null;
  controls: string;
  idempotency_token: string | null;
  created_at: number;
  updated_at: number;
}

declare module './database.js' {
  interface Database {
    readonly audit_frameworks: AuditFrameworksTable;
  }
}

export interface FrameworkRecord extends CatalogScope {
  readonly name: string;
  readonly arn: string;
  readonly description: string | undefined;
  /** The FrameworkControls list (JSON). */
  readonly controls: JsonValue;
  readonly idempotencyToken: string | undefined;
  readonly createdAt: EpochMillis;
  readonly updatedAt: EpochMillis;
}

export type NewFramework = Omit<FrameworkRecord, keyof CatalogScope>;

export interface FrameworkUpdate {
  readonly description?: string | undefined;
  readonly controls?: JsonValue | undefined;
  readonly updatedAt: EpochMillis;
}

export interface FrameworkStore {
  /** Throws CatalogConflictError when the name is taken. */
  create(scope: CatalogScope, framework: NewFramework): Promise<FrameworkRecord>;
  get(scope: CatalogScope, name: string): Promise<FrameworkRecord | undefined>;
  /** By name. */
  list(scope: CatalogScope, page?: PageRequest): Promise<Page<FrameworkRecord>>;
  update(scope: CatalogScope, name: string, update: FrameworkUpdate): Promise<FrameworkRecord | undefined>;
  delete(scope: CatalogScope, name: string): Promise<boolean>;
}

type Row = Selectable<AuditFrameworksTable>;

export function createFrameworkStore({ db, dialect }: StoreContext): FrameworkStore {
  const inScope = (scope: CatalogScope) =>
    db.selectFrom('audit_frameworks').selectAll().where('account_id', '=', scope.accountId).where('region', '=', scope.region);
  return {
    async create(scope, framework) {
      try {
        const row = await db
          .insertInto('audit_frameworks')
          .values({
            account_id: scope.accountId,
            region: scope.region,
            name: framework.name,
            arn: framework.arn,
            description: framework.description ?? null,
            controls: toJsonText(framework.controls) ?? '[]',
            idempotency_token: framework.idempotencyToken ?? null,
            created_at: framework.createdAt,
            updated_at: framework.updatedAt,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toFramework(row);
      } catch (err) {
        if (dialect.isUniqueViolation(err)) throw new CatalogConflictError('framework', framework.name);
        throw err;
      }
    },
    async get(scope, name) {
      const row = await inScope(scope).where('name', '=', name).executeTakeFirst();
      return row === undefined ? undefined : toFramework(row);
    },
    async list(scope, page) {
      const limit = pageLimit(page);
      const after = decodeCursor('frameworks', page, 1);
      const rows = await inScope(scope)
        .$if(after !== undefined, (q) => q.where(afterKey(['name'], after!, 'asc')))
        .orderBy('name')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, 'frameworks', (r) => [r.name], toFramework);
    },
    async update(scope, name, update) {
      const row = await db
        .updateTable('audit_frameworks')
        .set({
          updated_at: update.updatedAt,
          ...(update.description === undefined ? {} : { description: update.description }),
          ...(update.controls === undefined ? {} : { controls: toJsonText(update.controls) ?? '[]' }),
        })
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('name', '=', name)
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? undefined : toFramework(row);
    },
    async delete(scope, name) {
      const result = await db
        .deleteFrom('audit_frameworks')
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('name', '=', name)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}

function toFramework(row: Row): FrameworkRecord {
  return {
    accountId: row.account_id,
    region: row.region,
    name: row.name,
    arn: row.arn,
    description: row.description ?? undefined,
    controls: fromJsonTextRequired<JsonValue>(row.controls),
    idempotencyToken: row.idempotency_token ?? undefined,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
