/**
 * Break-glass for tests: opens a vault repository's password from the catalog (through the KMS
 * domain with the server's root key, as AWS Backup would for the account; pre-KMS rows with the
 * root key directly) and writes it to a 0600 file, so the real restic can open the repository.
 * Without a key id, the vault's only repository is meant (the first one made, when several).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { unwrapPassword } from '../../../src/backup/password-envelope.js';
import { parseStoredPassword, passwordContext } from '../../../src/backup/repository-passwords.js';
import { openCatalog } from '../../../src/catalog/open-catalog.js';
import type { CatalogOptions } from '../../../src/catalog/open-catalog.js';
import { arns } from '../../../src/iam/arn.js';
import { createKmsDomain } from '../../../src/kms/kms-domain.js';

type Scope = { accountId: string; region: string };

function repositoryRow(dataDir: string, scope: Scope, vaultName: string, keyId: string | undefined): { key_id: string; wrapped_password: string } {
  const db = new Database(join(dataDir, 'catalog.sqlite'), { readonly: true });
  try {
    const row = db
      .prepare(
        `SELECT key_id, wrapped_password FROM repository_keys WHERE account_id = ? AND region = ? AND vault_name = ?${keyId === undefined ? '' : ' AND key_id = ?'} ORDER BY created_at LIMIT 1`,
      )
      .get(scope.accountId, scope.region, vaultName, ...(keyId === undefined ? [] : [keyId])) as { key_id: string; wrapped_password: string } | undefined;
    if (row === undefined) throw new Error(`no repository key for vault ${vaultName}${keyId === undefined ? '' : ` under key ${keyId}`}`);
    return row;
  } finally {
    db.close();
  }
}

/** The key id (directory name) of the vault's repository. */
export function vaultKeyId(dataDir: string, scope: Scope, vaultName: string): string {
  return repositoryRow(dataDir, scope, vaultName, undefined).key_id;
}

/** Where the vault's repository lives under the default storage layout `<dataDir>/vaults/<region>/<account>/<vault>/<key id>/repo`. */
export function vaultRepoPath(dataDir: string, scope: Scope, vaultName: string, keyId?: string): string {
  return join(dataDir, 'vaults', scope.region, scope.accountId, vaultName, keyId ?? vaultKeyId(dataDir, scope, vaultName), 'repo');
}

export async function vaultPassword(dataDir: string, scope: Scope, vaultName: string, keyId?: string): Promise<Buffer> {
  const rootKey = await readFile(join(dataDir, 'root.key'));
  const row = repositoryRow(dataDir, scope, vaultName, keyId);
  return openPassword({ kind: 'sqlite', file: join(dataDir, 'catalog.sqlite') }, rootKey, scope, vaultName, row);
}

/**
 * The same on any catalog (a PostgreSQL one shared by many nodes): `row` is the repository_keys
 * row (key id and wrapped password) as read from it.
 */
export async function openPassword(
  location: CatalogOptions,
  rootKey: Buffer,
  scope: Scope,
  vaultName: string,
  row: { key_id: string; wrapped_password: string },
): Promise<Buffer> {
  const stored = parseStoredPassword(row.wrapped_password);
  if (stored.legacy !== undefined) return unwrapPassword(rootKey, stored.legacy, { ...scope, vaultName, keyId: row.key_id });
  const catalog = await openCatalog(location);
  try {
    const kms = createKmsDomain({ catalog, clock: { now: () => new Date() }, rootKey });
    const { plaintext } = await kms
      .forService(stored.service!)
      .decrypt({ ...scope, requestId: 'test-break-glass' }, stored.ciphertext!, passwordContext(arns.backupVault(scope, vaultName), row.key_id));
    return Buffer.from(plaintext.toString('hex'));
  } finally {
    await catalog.close();
  }
}

export async function writeVaultPasswordFile(dataDir: string, scope: Scope, vaultName: string, out: string, keyId?: string): Promise<string> {
  await writeFile(out, await vaultPassword(dataDir, scope, vaultName, keyId), { mode: 0o600 });
  return out;
}
