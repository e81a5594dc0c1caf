/**
 * Break-glass for tests: unwraps a vault repository's password from the catalog with the
 * server's root key and writes it to a 0600 file, so the real restic can open the repository.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { unwrapPassword } from '../../../src/backup/password-envelope.js';

export async function writeVaultPasswordFile(dataDir: string, scope: { accountId: string; region: string }, vaultName: string, out: string, keyId = 'aws-backup-default'): Promise<string> {
  const rootKey = await readFile(join(dataDir, 'root.key'));
  const db = new Database(join(dataDir, 'catalog.sqlite'), { readonly: true });
  try {
    const row = db.prepare('SELECT wrapped_password FROM repository_keys WHERE account_id = ? AND region = ? AND vault_name = ? AND key_id = ?')
      .get(scope.accountId, scope.region, vaultName, keyId) as { wrapped_password: string } | undefined;
    if (row === undefined) throw new Error(`no repository key for vault ${vaultName}`);
    await writeFile(out, unwrapPassword(rootKey, row.wrapped_password, { ...scope, vaultName, keyId }), { mode: 0o600 });
    return out;
  } finally {
    db.close();
  }
}
