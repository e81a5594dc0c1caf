/**
 * Tags on Backup resources (vaults, plans, recovery points), by resource ARN within a scope.
 * Tagging upserts: a key given again takes the new value.
 */
import { inTransaction } from './dialect.js';
import type { StoreContext } from './dialect.js';
import { afterKey, decodeCursor, pageLimit, toPage } from './pagination.js';
import type { Page, PageRequest } from './pagination.js';
import type { CatalogScope } from './scope.js';

export interface Tag {
  readonly key: string;
  readonly value: string;
}

export interface TagStore {
  /** All tags of a resource (AWS allows at most 50). */
  get(scope: CatalogScope, resourceArn: string): Promise<Readonly<Record<string, string>>>;
  /** Ordered by key. */
  list(scope: CatalogScope, resourceArn: string, page?: PageRequest): Promise<Page<Tag>>;
  tag(scope: CatalogScope, resourceArn: string, tags: Readonly<Record<string, string>>): Promise<void>;
  untag(scope: CatalogScope, resourceArn: string, keys: readonly string[]): Promise<void>;
  /** When the resource itself is deleted. */
  deleteAll(scope: CatalogScope, resourceArn: string): Promise<void>;
}

export function createTagStore({ db }: StoreContext): TagStore {
  const ofResource = (scope: CatalogScope, resourceArn: string) =>
    db.selectFrom('tags').where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('resource_arn', '=', resourceArn);
  const remove = (scope: CatalogScope, resourceArn: string) =>
    db.deleteFrom('tags').where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('resource_arn', '=', resourceArn);

  return {
    async get(scope, resourceArn) {
      const rows = await ofResource(scope, resourceArn).select(['key', 'value']).orderBy('key').execute();
      return Object.fromEntries(rows.map((r) => [r.key, r.value]));
    },
    async list(scope, resourceArn, page) {
      const limit = pageLimit(page);
      const after = decodeCursor('tags', page, 1);
      const rows = await ofResource(scope, resourceArn)
        .select(['key', 'value'])
        .$if(after !== undefined, (q) => q.where(afterKey(['key'], after!, 'asc')))
        .orderBy('key')
        .limit(limit + 1)
        .execute();
      return toPage(
        rows,
        limit,
        'tags',
        (r) => [r.key],
        (r) => ({ key: r.key, value: r.value }),
      );
    },
    tag: (scope, resourceArn, tags) =>
      inTransaction(db, async (trx) => {
        for (const [key, value] of Object.entries(tags)) {
          await trx
            .insertInto('tags')
            .values({ account_id: scope.accountId, region: scope.region, resource_arn: resourceArn, key, value })
            .onConflict((oc) => oc.columns(['account_id', 'region', 'resource_arn', 'key']).doUpdateSet({ value }))
            .execute();
        }
      }),
    async untag(scope, resourceArn, keys) {
      if (keys.length > 0) await remove(scope, resourceArn).where('key', 'in', keys).execute();
    },
    async deleteAll(scope, resourceArn) {
      await remove(scope, resourceArn).execute();
    },
  };
}
