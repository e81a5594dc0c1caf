/**
 * The vaults a region's storage holds, found without the catalog: `<storage root>/<account>/
 * <vault name>/` (backup/vault-storage.ts), each with its records (vault-records.ts), its
 * repositories (`<key id>/repo/`) and how to open one from a key record and the root key alone.
 * Everything goes through the storage factory (storage/storage-factory.ts): `file:` directories
 * and `s3:` prefixes are walked alike.
 */
import { unwrapPassword } from '../backup/password-envelope.js';
import { parseStoredPassword, passwordContext } from '../backup/repository-passwords.js';
import { vaultStorageLocation } from '../backup/vault-storage.js';
import { arns } from '../iam/arn.js';
import { openBlob } from '../kms/ciphertext-blob.js';
import { unwrapMaterial } from '../kms/key-material.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { StorageFactory } from '../storage/storage-factory.js';
import { storageChildUrl, storageTarget } from '../storage/storage-url.js';
import type { KeyFile } from './vault-records.js';
import { VaultRecords } from './vault-records.js';

export interface StoredVault {
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
  readonly arn: string;
  /** The storage URL of the vault directory, as the catalog records it. */
  readonly location: string;
  readonly records: VaultRecords;
  /** The key ids of its repositories (folders with a `repo/`). */
  readonly keyIds: readonly string[];
  /** The store of its repository under a key (`location`: another vault directory, such as a cold one). */
  repositoryStore(keyId: string, location?: string): BlobStore;
  /** That repository as restic names it: a path on `file:` storage, restic's `s3:...` URL on object storage. */
  repositoryPath(keyId: string, location?: string): string;
  /** Whether that repository is on object storage (restic then needs the storage's credentials too). */
  onObjectStorage(keyId: string, location?: string): boolean;
}

const ACCOUNT = /^\d{12}$/;

/** restic's name of a repository at a storage URL. */
function resticRepository(url: string): string {
  const target = storageTarget(url);
  return target.kind === 'file' ? target.path : url;
}

/** Every vault under a region's storage root (a storage URL), for the given accounts (default: every 12-digit folder). */
export async function storedVaults(
  storage: StorageFactory,
  storageRoot: string,
  region: string,
  rootKey: Buffer,
  accounts?: readonly string[],
): Promise<StoredVault[]> {
  const out: StoredVault[] = [];
  const folders = async (url: string): Promise<string[]> => [...(await storage.folders(url))].sort();
  const accountIds = accounts ?? (await folders(storageRoot)).filter((d) => ACCOUNT.test(d));
  for (const accountId of accountIds) {
    for (const name of await folders(storageChildUrl(storageRoot, accountId))) {
      const location = vaultStorageLocation(storageRoot, accountId, name);
      const arn = arns.backupVault({ accountId, region }, name);
      const owner = { owner: `backup vault ${name}` };
      const keyIds = [];
      for (const keyId of await folders(location)) if ((await folders(storageChildUrl(location, keyId))).includes('repo')) keyIds.push(keyId);
      const repoUrl = (keyId: string, at = location): string => storageChildUrl(at, keyId, 'repo');
      out.push({
        accountId,
        region,
        name,
        arn,
        location,
        keyIds,
        records: new VaultRecords(storage.open(location, owner), arn, rootKey),
        repositoryStore: (keyId, at) => storage.open(repoUrl(keyId, at), owner),
        repositoryPath: (keyId, at) => resticRepository(repoUrl(keyId, at)),
        onObjectStorage: (keyId, at) => storageTarget(repoUrl(keyId, at)).kind === 's3',
      });
    }
  }
  return out;
}

/**
 * A repository's restic password from its key record: the KMS-enveloped data key opened with the
 * key's material (itself opened by the root key), or a pre-KMS root-key envelope. No catalog, no
 * key policy: this is the operator's break-glass path (coffer vault restic-env, coffer recover).
 */
export function passwordFromKeyFile(rootKey: Buffer, vault: Pick<StoredVault, 'accountId' | 'region' | 'name' | 'arn'>, key: KeyFile): Buffer {
  const stored = parseStoredPassword(key.storedPassword);
  if (stored.legacy !== undefined)
    return unwrapPassword(rootKey, stored.legacy, { accountId: vault.accountId, region: vault.region, vaultName: vault.name, keyId: key.keyId });
  if (key.kmsKey === undefined || stored.ciphertext === undefined)
    throw new Error(`the key record ${key.keyId} of backup vault ${vault.name} names no KMS key`);
  const material = unwrapMaterial(rootKey, key.kmsKey.wrappedMaterial, key.kmsKey.arn);
  return Buffer.from(openBlob(material, stored.ciphertext, passwordContext(vault.arn, key.keyId)).toString('hex'));
}
