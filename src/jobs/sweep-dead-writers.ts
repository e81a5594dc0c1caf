/**
 * At server start: the temp files that writers which are gone (a killed job, a crashed Coffer)
 * left in every vault repository, warm and cold, are removed, and each vault where some were is
 * named in one line. Live writers' files are never touched (storage/local-blob-store.ts), so
 * this may run while other processes use the same storage. Needs no password: it opens no
 * repository, only its store.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { CatalogScope } from '../catalog/scope.js';
import type { VaultRecord } from '../catalog/vaults.js';
import { vaultStorageLocation } from '../backup/vault-storage.js';
import type { TempSweep } from '../storage/blob-store.js';
import type { VaultRepositories } from './vault-repositories.js';

export interface SweepDeps {
  readonly catalog: Catalog;
  readonly repositories: VaultRepositories;
  /** Every account and region whose vaults to sweep. */
  readonly scopes: readonly CatalogScope[];
  /** The region's cold storage root as a storage URL, if it has one. */
  readonly coldRoot: (region: string) => string | undefined;
  readonly log: (line: string) => void;
  readonly warn: (line: string) => void;
}

/** Every vault of `scope`, all pages. */
export async function vaultsOf(catalog: Catalog, scope: CatalogScope): Promise<VaultRecord[]> {
  const out: VaultRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await catalog.vaults.list(scope, {}, { limit: 1000, ...(cursor === undefined ? {} : { cursor }) });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return out;
}

export async function sweepDeadWriters(deps: SweepDeps): Promise<TempSweep> {
  let files = 0;
  let bytes = 0;
  for (const scope of deps.scopes) {
    const cold = deps.coldRoot(scope.region);
    for (const vault of await vaultsOf(deps.catalog, scope)) {
      const locations = [undefined, ...(cold === undefined ? [] : [vaultStorageLocation(cold, scope.accountId, vault.name)])];
      for (const location of locations) {
        for (const keyId of await deps.repositories.keyIdsOf(vault, location)) {
          const store = deps.repositories.storeOf(vault, keyId, location);
          try {
            const swept = (await store.removeDeadTemp?.()) ?? { files: 0, bytes: 0 };
            if (swept.files === 0) continue;
            files += swept.files;
            bytes += swept.bytes;
            deps.log(
              `coffer: removed ${swept.files} temp files (${(swept.bytes / 1048576).toFixed(1)} MiB) left by interrupted writers in backup vault ${vault.name} (account ${scope.accountId}, ${scope.region}) at ${store.location}`,
            );
          } catch (err) {
            deps.warn(
              `coffer: could not clean up temp files in backup vault ${vault.name} at ${store.location}: ${err instanceof Error ? err.message : String(err)}`,
            );
          }
        }
      }
    }
  }
  return { files, bytes };
}
