/**
 * Enveloped repository passwords, one per vault and key id. The store keeps opaque text; what
 * it means (and how to open it) is the domain's. Nothing here ever sees a password in the clear.
 */
import type { StoreContext } from './dialect.js';
import type { CatalogScope, EpochMillis } from './scope.js';

export interface RepositoryKeyStore {
  get(scope: CatalogScope, vaultName: string, keyId: string): Promise<string | undefined>;
  /** Keeps the first one written: a concurrent second writer gets the first writer's value. */
  putIfAbsent(scope: CatalogScope, vaultName: string, keyId: string, wrapped: string, now: EpochMillis): Promise<string>;
  deleteForVault(scope: CatalogScope, vaultName: string): Promise<void>;
}

export function createRepositoryKeyStore({ db }: StoreContext): RepositoryKeyStore {
  const get = async (scope: CatalogScope, vaultName: string, keyId: string): Promise<string | undefined> => {
    const row = await db
      .selectFrom('repository_keys')
      .select('wrapped_password')
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('vault_name', '=', vaultName)
      .where('key_id', '=', keyId)
      .executeTakeFirst();
    return row?.wrapped_password;
  };
  return {
    get,
    async putIfAbsent(scope, vaultName, keyId, wrapped, now) {
      await db
        .insertInto('repository_keys')
        .values({ account_id: scope.accountId, region: scope.region, vault_name: vaultName, key_id: keyId, wrapped_password: wrapped, created_at: now })
        .onConflict((oc) => oc.columns(['account_id', 'region', 'vault_name', 'key_id']).doNothing())
        .execute();
      const stored = await get(scope, vaultName, keyId);
      if (stored === undefined) throw new Error(`repository key of vault ${vaultName} vanished right after it was written`);
      return stored;
    },
    async deleteForVault(scope, vaultName) {
      await db
        .deleteFrom('repository_keys')
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('vault_name', '=', vaultName)
        .execute();
    },
  };
}
