/**
 * KMS grants by the key's account, region and grant id. Operations and constraints are JSON
 * text; what they allow is the domain's to decide.
 */
import type { Selectable } from 'kysely';
import type { StoreContext } from './dialect.js';
import { fromJsonText, fromJsonTextRequired, toJsonText } from './json-text.js';
import type { JsonObject } from './json-text.js';
import type { KmsGrantsTable } from './kms-tables.js';
import { afterKey, decodeCursor, pageLimit, toPage } from './pagination.js';
import type { Page, PageRequest } from './pagination.js';
import type { CatalogScope, EpochMillis } from './scope.js';

export interface KmsGrantConstraintsRecord {
  readonly EncryptionContextEquals?: Readonly<Record<string, string>>;
  readonly EncryptionContextSubset?: Readonly<Record<string, string>>;
}

export interface KmsGrantRecord {
  readonly grantId: string;
  readonly keyId: string;
  readonly name: string | undefined;
  readonly granteePrincipal: string;
  readonly retiringPrincipal: string | undefined;
  readonly issuingAccount: string;
  readonly operations: readonly string[];
  readonly constraints: KmsGrantConstraintsRecord | undefined;
  readonly createdAt: EpochMillis;
}

export interface KmsGrantFilter {
  readonly grantId?: string | undefined;
  readonly granteePrincipal?: string | undefined;
}

export interface KmsGrantStore {
  create(scope: CatalogScope, grant: KmsGrantRecord): Promise<void>;
  /** The key's grants ordered by grant id, narrowed by the filter. */
  list(scope: CatalogScope, keyId: string, filter: KmsGrantFilter, page?: PageRequest): Promise<Page<KmsGrantRecord>>;
  /** Every grant of the key naming `granteePrincipal` (for authorization; a key has few). */
  forGrantee(scope: CatalogScope, keyId: string, granteePrincipal: string): Promise<readonly KmsGrantRecord[]>;
  /** Every grant of the scope (any key) whose retiring principal is `principal`, ordered by key and grant id. */
  retirableBy(scope: CatalogScope, principal: string, page?: PageRequest): Promise<Page<KmsGrantRecord>>;
  get(scope: CatalogScope, keyId: string, grantId: string): Promise<KmsGrantRecord | undefined>;
  /** Whether a grant was removed. */
  delete(scope: CatalogScope, keyId: string, grantId: string): Promise<boolean>;
}

function toRecord(row: Selectable<KmsGrantsTable>): KmsGrantRecord {
  return {
    grantId: row.grant_id,
    keyId: row.key_id,
    name: row.name ?? undefined,
    granteePrincipal: row.grantee_principal,
    retiringPrincipal: row.retiring_principal ?? undefined,
    issuingAccount: row.issuing_account,
    operations: fromJsonTextRequired<string[]>(row.operations),
    constraints: fromJsonText<Record<string, Record<string, string>>>(row.constraints),
    createdAt: row.created_at,
  };
}

export function createKmsGrantStore({ db }: StoreContext): KmsGrantStore {
  const ofKey = (scope: CatalogScope, keyId: string) =>
    db.selectFrom('kms_grants').selectAll().where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('key_id', '=', keyId);
  return {
    async create(scope, grant) {
      await db
        .insertInto('kms_grants')
        .values({
          account_id: scope.accountId,
          region: scope.region,
          grant_id: grant.grantId,
          key_id: grant.keyId,
          name: grant.name ?? null,
          grantee_principal: grant.granteePrincipal,
          retiring_principal: grant.retiringPrincipal ?? null,
          issuing_account: grant.issuingAccount,
          operations: JSON.stringify(grant.operations),
          constraints: toJsonText(grant.constraints as JsonObject | undefined),
          created_at: grant.createdAt,
        })
        .execute();
    },
    async list(scope, keyId, filter, page) {
      const limit = pageLimit(page);
      const after = decodeCursor('kms_grants', page, 1);
      const rows = await ofKey(scope, keyId)
        .$if(filter.grantId !== undefined, (q) => q.where('grant_id', '=', filter.grantId!))
        .$if(filter.granteePrincipal !== undefined, (q) => q.where('grantee_principal', '=', filter.granteePrincipal!))
        .$if(after !== undefined, (q) => q.where(afterKey(['grant_id'], after!, 'asc')))
        .orderBy('grant_id')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, 'kms_grants', (r) => [r.grant_id], toRecord);
    },
    async retirableBy(scope, principal, page) {
      const limit = pageLimit(page);
      const after = decodeCursor('kms_retirable_grants', page, 2);
      const rows = await db
        .selectFrom('kms_grants')
        .selectAll()
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('retiring_principal', '=', principal)
        .$if(after !== undefined, (q) => q.where(afterKey(['key_id', 'grant_id'], after!, 'asc')))
        .orderBy('key_id')
        .orderBy('grant_id')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, 'kms_retirable_grants', (r) => [r.key_id, r.grant_id], toRecord);
    },
    async get(scope, keyId, grantId) {
      const row = await ofKey(scope, keyId).where('grant_id', '=', grantId).executeTakeFirst();
      return row === undefined ? undefined : toRecord(row);
    },
    async forGrantee(scope, keyId, granteePrincipal) {
      const rows = await ofKey(scope, keyId).where('grantee_principal', '=', granteePrincipal).execute();
      return rows.map(toRecord);
    },
    async delete(scope, keyId, grantId) {
      const result = await db
        .deleteFrom('kms_grants')
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('key_id', '=', keyId)
        .where('grant_id', '=', grantId)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
