/**
 * The vaults a region's storage holds, found without the catalog: `<storage root>/<account>/
 * <vault name>/` (backup/vault-storage.ts), each with its records (vault-records.ts), its
 * repositories (`<key id>/repo/`) and how to open one from a key record and the root key alone.
 * Only `file:` storage is walked here for now; other kinds are reported as not readable.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { unwrapPassword } from '../backup/password-envelope.js';
import { parseStoredPassword, passwordContext } from '../backup/repository-passwords.js';
import { vaultStorageLocation } from '../backup/vault-storage.js';
import { arns } from '../iam/arn.js';
import { openBlob } from '../kms/ciphertext-blob.js';
import { unwrapMaterial } from '../kms/key-material.js';
import type { BlobStore } from '../storage/blob-store.js';
import { LocalBlobStore } from '../storage/local-blob-store.js';
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
  /** The key ids of its repositories (directories with a `repo/`). */
  readonly keyIds: readonly string[];
  /** The store of its repository under a key. */
  repositoryStore(keyId: string, location?: string): BlobStore;
  /** The restic repository path (file: storage) of that repository. */
  repositoryPath(keyId: string, location?: string): string;
}

const ACCOUNT = /^\d{12}$/;

async function directories(path: string): Promise<string[]> {
  try {
    return (await readdir(path, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

function fileRoot(url: string): string {
  if (!url.startsWith('file:')) throw new Error(`${url.replace(/\/\/[^@/]*@/, '//')} is not file: storage; walking it is not supported yet`);
  return url.slice('file:'.length);
}

/** Every vault under a region's storage root (`file:` URL), for the given accounts (default: every 12-digit directory). */
export async function storedVaults(storageRoot: string, region: string, rootKey: Buffer, accounts?: readonly string[]): Promise<StoredVault[]> {
  const root = fileRoot(storageRoot);
  const out: StoredVault[] = [];
  const accountIds = accounts ?? (await directories(root)).filter((d) => ACCOUNT.test(d));
  for (const accountId of accountIds) {
    for (const name of await directories(join(root, accountId))) {
      const location = vaultStorageLocation(storageRoot, accountId, name);
      const dir = fileRoot(location);
      const arn = arns.backupVault({ accountId, region }, name);
      const owner = { owner: `backup vault ${name}` };
      const keyIds = [];
      for (const keyId of await directories(dir)) if ((await directories(join(dir, keyId))).includes('repo')) keyIds.push(keyId);
      const repoPath = (keyId: string, at = location): string => join(fileRoot(at), keyId, 'repo');
      out.push({
        accountId,
        region,
        name,
        arn,
        location,
        keyIds,
        records: new VaultRecords(new LocalBlobStore(dir, owner), arn, rootKey),
        repositoryStore: (keyId, at) => new LocalBlobStore(repoPath(keyId, at), owner),
        repositoryPath: repoPath,
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
