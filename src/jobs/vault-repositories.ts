/**
 * Opening a vault's restic repository: `<vault storage location>/<key id>/repo/` on a
 * LocalBlobStore, with the vault's enveloped password; made on first use. Opens of one
 * repository are serialized in this process so that two first backups never both init it.
 */
import { join } from 'node:path';
import type { RepositoryPasswords } from '../backup/repository-passwords.js';
import { DEFAULT_REPOSITORY_KEY_ID } from '../backup/repository-passwords.js';
import type { CatalogScope } from '../catalog/scope.js';
import type { VaultRecord } from '../catalog/vaults.js';
import { LocalBlobStore } from '../storage/local-blob-store.js';
import type { MasterKey } from '../vault/crypto.js';
import { Repository } from '../vault/repository.js';

export interface VaultRepositories {
  /** The repository of `vault` under `keyId`; `create` makes it when it does not exist yet. */
  open(scope: CatalogScope, vault: Pick<VaultRecord, 'name' | 'storageLocation'>, options?: { readonly create?: boolean; readonly keyId?: string }): Promise<Repository>;
  /** Where that repository lives on disk. */
  pathOf(vault: Pick<VaultRecord, 'name' | 'storageLocation'>, keyId?: string): string;
}

export function createVaultRepositories(passwords: RepositoryPasswords): VaultRepositories {
  const opening = new Map<string, Promise<unknown>>();
  const keyCache = new Map<string, MasterKey>();
  const pathOf = (vault: Pick<VaultRecord, 'name' | 'storageLocation'>, keyId = DEFAULT_REPOSITORY_KEY_ID): string => {
    const location = vault.storageLocation;
    if (location === undefined || !location.startsWith('file:')) throw new Error(`vault ${vault.name} has no file: storage location`);
    return join(location.slice('file:'.length), keyId, 'repo');
  };
  return {
    pathOf,
    async open(scope, vault, options = {}) {
      const keyId = options.keyId ?? DEFAULT_REPOSITORY_KEY_ID;
      const path = pathOf(vault, keyId);
      const previous = opening.get(path) ?? Promise.resolve();
      const next = previous.catch(() => undefined).then(async () => {
        const password = await passwords.passwordFor(scope, vault.name, keyId);
        const store = new LocalBlobStore(path);
        if (options.create === true && !(await store.stat('config'))) return Repository.init(store, password);
        return Repository.open(store, password, keyCache);
      });
      opening.set(path, next);
      try {
        return await next;
      } finally {
        if (opening.get(path) === next) opening.delete(path);
      }
    },
  };
}
