/**
 * Backup selections: which resources a plan backs up. AWS has no update for a selection, so
 * there is none here: create, get, list, delete.
 */
import type { Selectable } from 'kysely';
import { CatalogConflictError } from './catalog-error.js';
import type { SelectionsTable } from './database.js';
import type { StoreContext } from './dialect.js';
import { fromJsonTextRequired } from './json-text.js';
import type { JsonObject } from './json-text.js';
import { afterKey, decodeCursor, pageLimit, toPage } from './pagination.js';
import type { Page, PageRequest } from './pagination.js';
import type { CatalogScope, EpochMillis } from './scope.js';

export interface SelectionRecord {
  readonly accountId: string;
  readonly region: string;
  readonly id: string;
  readonly planId: string;
  readonly name: string;
  readonly iamRoleArn: string;
  /** The BackupSelection document (Resources, NotResources, ListOfTags, Conditions ...). */
  readonly document: JsonObject;
  readonly creatorRequestId: string | undefined;
  readonly createdAt: EpochMillis;
}

export interface NewSelection {
  readonly id: string;
  readonly planId: string;
  readonly name: string;
  readonly iamRoleArn: string;
  readonly document: JsonObject;
  readonly creatorRequestId?: string;
  readonly createdAt: EpochMillis;
}

export interface SelectionStore {
  /** The plan must exist in the scope (the database refuses otherwise). */
  create(scope: CatalogScope, selection: NewSelection): Promise<SelectionRecord>;
  get(scope: CatalogScope, planId: string, id: string): Promise<SelectionRecord | undefined>;
  findByCreatorRequestId(scope: CatalogScope, planId: string, creatorRequestId: string): Promise<SelectionRecord | undefined>;
  /** Oldest first. */
  list(scope: CatalogScope, planId: string, page?: PageRequest): Promise<Page<SelectionRecord>>;
  count(scope: CatalogScope, planId: string): Promise<number>;
  delete(scope: CatalogScope, planId: string, id: string): Promise<boolean>;
}

type Row = Selectable<SelectionsTable>;

export function createSelectionStore({ db, dialect }: StoreContext): SelectionStore {
  const ofPlan = (scope: CatalogScope, planId: string) =>
    db.selectFrom('selections').where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('plan_id', '=', planId);

  return {
    async create(scope, s) {
      try {
        const row = await db
          .insertInto('selections')
          .values({
            account_id: scope.accountId,
            region: scope.region,
            id: s.id,
            plan_id: s.planId,
            name: s.name,
            iam_role_arn: s.iamRoleArn,
            document: JSON.stringify(s.document),
            creator_request_id: s.creatorRequestId ?? null,
            created_at: s.createdAt,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toSelection(row);
      } catch (err) {
        if (dialect.isUniqueViolation(err)) throw new CatalogConflictError('backup selection', s.id);
        throw err;
      }
    },
    async get(scope, planId, id) {
      const row = await ofPlan(scope, planId).selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toSelection(row);
    },
    async findByCreatorRequestId(scope, planId, creatorRequestId) {
      const row = await ofPlan(scope, planId).selectAll().where('creator_request_id', '=', creatorRequestId).executeTakeFirst();
      return row === undefined ? undefined : toSelection(row);
    },
    async list(scope, planId, page) {
      const limit = pageLimit(page);
      const after = decodeCursor('selections', page, 2);
      const rows = await ofPlan(scope, planId)
        .selectAll()
        .$if(after !== undefined, (q) => q.where(afterKey(['created_at', 'id'], after!, 'asc')))
        .orderBy('created_at', 'asc')
        .orderBy('id', 'asc')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, 'selections', (r) => [r.created_at, r.id], toSelection);
    },
    async count(scope, planId) {
      const row = await ofPlan(scope, planId)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async delete(scope, planId, id) {
      const result = await db
        .deleteFrom('selections')
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('plan_id', '=', planId)
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}

function toSelection(row: Row): SelectionRecord {
  return {
    accountId: row.account_id,
    region: row.region,
    id: row.id,
    planId: row.plan_id,
    name: row.name,
    iamRoleArn: row.iam_role_arn,
    document: fromJsonTextRequired<JsonObject>(row.document),
    creatorRequestId: row.creator_request_id ?? undefined,
    createdAt: row.created_at,
  };
}
