/**
 * Opening a vault's restic repositories: one per KMS key the vault has seen, at
 * `<vault storage location>/<key id>/repo/` (a storage URL, opened by the storage factory: a
 * directory or an S3 prefix, this room does not know which), each with its own password
 * enveloped by that key (backup/repository-passwords.ts); made on first use. Opens of one
 * repository are serialized in this process so that two first backups never both init it.
 * A recovery point moved to its region's cold storage lives in the same layout under the cold
 * location (`location`, recorded on the point), with the same password as the warm repository of
 * its key: the catalog keeps one password per vault and key, wherever the repository lies.
 *
 * Storage faults name the vault (storage/storage-fault.ts). A repository's directory is made
 * before its password is stored, so a vault whose password is stored but whose repository
 * directory is missing lost its storage (an unmounted disk): the job fails saying so rather than
 * starting a new empty repository there. (Object storage has no directories: there a missing
 * bucket fails every request, naming it.)
 */
import type { PasswordVault, RepositoryKey, RepositoryPasswords } from '../backup/repository-passwords.js';
import { DEFAULT_REPOSITORY_KEY_ID } from '../backup/repository-passwords.js';
import type { CatalogScope } from '../catalog/scope.js';
import type { VaultRecord } from '../catalog/vaults.js';
import type { BlobStore } from '../storage/blob-store.js';
import { createStorageFactory } from '../storage/storage-factory.js';
import { StorageFaultError } from '../storage/storage-fault.js';
import type { StorageFactory } from '../storage/storage-factory.js';
import { storageChildUrl } from '../storage/storage-url.js';
import type { MasterKey } from '../vault/crypto.js';
import { Repository } from '../vault/repository.js';

export type RepositoryVault = Pick<VaultRecord, 'name' | 'arn' | 'encryptionKeyArn' | 'storageLocation'>;

export interface OpenOptions {
  /** The repository's key id (a recovery point's repositoryKeyId); default `key.keyId`, else the pre-KMS one. */
  readonly keyId?: string | undefined;
  /** With `create`: the key a new repository (and its password) is made under. */
  readonly key?: RepositoryKey | undefined;
  readonly create?: boolean | undefined;
  /** The vault directory (storage URL) holding the repository; default the vault's own (a cold point's is recorded on it). */
  readonly location?: string | undefined;
  /** Stops the repository's storage requests (the job's stop signal). */
  readonly signal?: AbortSignal | undefined;
}

/** Where a recovery point's snapshot lives: its repository's key id and, when in cold storage, its location. */
export function pointRepository(point: { readonly repositoryKeyId?: string | undefined; readonly storageLocation?: string | undefined }): OpenOptions {
  return { keyId: point.repositoryKeyId, location: point.storageLocation };
}

export interface VaultRepositories {
  /** The key protecting a resource's recovery points in `vault` (see repository-passwords.ts). */
  keyFor(scope: CatalogScope, vault: PasswordVault, resource: { readonly type: string; readonly kmsKeyId?: string | undefined }): Promise<RepositoryKey>;
  /** The repository of `vault` under a key; `create` makes it when it does not exist yet. */
  open(scope: CatalogScope, vault: RepositoryVault, options?: OpenOptions): Promise<Repository>;
  /** The storage URL of that repository (`location`: another vault directory, such as a cold one). */
  urlOf(vault: Pick<VaultRecord, 'name' | 'storageLocation'>, keyId?: string, location?: string): string;
  /** The key ids of the repositories the vault has in storage (`location`: another vault directory, such as a cold one). */
  keyIdsOf(vault: Pick<VaultRecord, 'name' | 'storageLocation'>, location?: string): Promise<readonly string[]>;
  /** The store under a repository, without opening it (no password): for removing what dead writers left. */
  storeOf(vault: Pick<VaultRecord, 'name' | 'storageLocation'>, keyId?: string, location?: string): BlobStore;
  /** The store rooted at the vault directory itself (its records beside the repositories: recovery/vault-records.ts). */
  vaultStoreOf(vault: Pick<VaultRecord, 'name' | 'storageLocation'>): BlobStore;
  readonly passwords: RepositoryPasswords;
}

export interface VaultRepositoryHooks {
  /** After a repository of the vault's own storage was opened or made (its key record is kept with the vault). */
  readonly opened?: (scope: CatalogScope, vault: RepositoryVault, keyId: string) => void;
}

export function createVaultRepositories(
  passwords: RepositoryPasswords,
  storage: StorageFactory = createStorageFactory(),
  hooks: VaultRepositoryHooks = {},
): VaultRepositories {
  const opening = new Map<string, Promise<unknown>>();
  const keyCache = new Map<string, MasterKey>();
  const rootOf = (vault: Pick<VaultRecord, 'name' | 'storageLocation'>, location = vault.storageLocation): string => {
    if (location === undefined) throw new Error(`vault ${vault.name} has no storage location`);
    return location;
  };
  const urlOf = (vault: Pick<VaultRecord, 'name' | 'storageLocation'>, keyId = DEFAULT_REPOSITORY_KEY_ID, location?: string): string =>
    storageChildUrl(rootOf(vault, location), keyId, 'repo');
  return {
    passwords,
    urlOf,
    keyFor: (scope, vault, resource) => passwords.keyFor(scope, vault, resource),
    storeOf: (vault, keyId, location) => storage.open(urlOf(vault, keyId, location), { owner: ownerOf(vault) }),
    keyIdsOf: (vault, location) => storage.folders(rootOf(vault, location)),
    vaultStoreOf: (vault) => storage.open(rootOf(vault), { owner: ownerOf(vault) }),
    async open(scope, vault, options = {}) {
      const keyId = options.keyId ?? options.key?.keyId ?? DEFAULT_REPOSITORY_KEY_ID;
      const url = urlOf(vault, keyId, options.location);
      const previous = opening.get(url) ?? Promise.resolve();
      const next = previous
        .catch(() => undefined)
        .then(async () => {
          const store = storage.open(url, { signal: options.signal, owner: ownerOf(vault) });
          if (await storage.isMissing(url)) {
            const made = options.location === undefined && (await passwords.stored(scope, vault.name, keyId)) !== undefined;
            if (options.create !== true || made)
              throw new StorageFaultError('StorageGone', { location: store.location, owner: ownerOf(vault), action: 'opening its repository' });
            await storage.create(url).catch((err: unknown) => {
              throw storage.faultOf(url, err, 'creating its repository', ownerOf(vault));
            });
          }
          const password = await passwords.passwordFor(scope, vault, keyId, options.create === true ? options.key : undefined);
          if (options.create === true && !(await store.stat('config'))) return Repository.init(store, password);
          return Repository.open(store, password, keyCache);
        });
      opening.set(url, next);
      try {
        const repo = await next;
        if (options.location === undefined) hooks.opened?.(scope, vault, keyId);
        return repo;
      } finally {
        if (opening.get(url) === next) opening.delete(url);
      }
    },
  };
}

function ownerOf(vault: Pick<VaultRecord, 'name'>): string {
  return `backup vault ${vault.name}`;
}
