/**
 * Idempotency tokens: the first response to (operation, token) in a scope, kept until it
 * expires, so a retried request gets the same answer. The request's fingerprint is stored too,
 * so the domain can refuse a token reused for a different request.
 */
import type { Selectable } from 'kysely';
import type { IdempotencyTokensTable } from './database.js';
import { inTransaction } from './dialect.js';
import type { StoreContext } from './dialect.js';
import { fromJsonTextRequired } from './json-text.js';
import type { JsonValue } from './json-text.js';
import type { CatalogScope, EpochMillis } from './scope.js';

export interface IdempotencyRecord {
  readonly operation: string;
  readonly token: string;
  readonly requestHash: string;
  readonly response: JsonValue;
  readonly createdAt: EpochMillis;
  readonly expiresAt: EpochMillis;
}

export interface IdempotencyStore {
  /** The live entry, or undefined (an expired one counts as absent). */
  find(scope: CatalogScope, operation: string, token: string, now: EpochMillis): Promise<IdempotencyRecord | undefined>;
  /**
   * Stores `entry` unless a live entry for its (operation, token) exists, and returns the one
   * that holds: the first writer wins, later ones get its response back.
   */
  remember(scope: CatalogScope, entry: IdempotencyRecord): Promise<IdempotencyRecord>;
  /** Deletes expired entries of every scope; returns how many. */
  purgeExpired(now: EpochMillis): Promise<number>;
}

export function createIdempotencyStore({ db }: StoreContext): IdempotencyStore {
  const key = (d: typeof db, scope: CatalogScope, operation: string, token: string) =>
    d
      .selectFrom('idempotency_tokens')
      .selectAll()
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('operation', '=', operation)
      .where('token', '=', token);

  return {
    async find(scope, operation, token, now) {
      const row = await key(db, scope, operation, token).where('expires_at', '>', now).executeTakeFirst();
      return row === undefined ? undefined : toRecord(row);
    },
    remember: (scope, entry) =>
      inTransaction(db, async (trx) => {
        await trx
          .deleteFrom('idempotency_tokens')
          .where('account_id', '=', scope.accountId)
          .where('region', '=', scope.region)
          .where('operation', '=', entry.operation)
          .where('token', '=', entry.token)
          .where('expires_at', '<=', entry.createdAt)
          .execute();
        await trx
          .insertInto('idempotency_tokens')
          .values({
            account_id: scope.accountId,
            region: scope.region,
            operation: entry.operation,
            token: entry.token,
            request_hash: entry.requestHash,
            response: JSON.stringify(entry.response),
            created_at: entry.createdAt,
            expires_at: entry.expiresAt,
          })
          .onConflict((oc) => oc.doNothing())
          .execute();
        return toRecord(await key(trx, scope, entry.operation, entry.token).executeTakeFirstOrThrow());
      }),
    async purgeExpired(now) {
      const result = await db.deleteFrom('idempotency_tokens').where('expires_at', '<=', now).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

function toRecord(row: Selectable<IdempotencyTokensTable>): IdempotencyRecord {
  return {
    operation: row.operation,
    token: row.token,
    requestHash: row.request_hash,
    response: fromJsonTextRequired<JsonValue>(row.response),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}
