/**
 * Whether a vault's KMS key can protect a new recovery point, read from the catalog's KMS
 * tables before a backup job is accepted: a key that is disabled or pending deletion would only
 * make the job fail later, so StartBackupJob says so at once (DependencyFailureException: KMS is
 * the dependency that refuses). A key Coffer does not hold (another account's, or `aws/backup`
 * before its first use) is left to the job, whose KMS calls decide.
 */
import type { Catalog } from '../catalog/catalog.js';
import { parseArn } from '../iam/arn.js';
import { BackupError } from './backup-error.js';

const REMEDY: Readonly<Record<string, string>> = {
  Disabled: 'is disabled. Enable it (aws kms enable-key --key-id KEY)',
  PendingDeletion: 'is pending deletion. Cancel the deletion and enable it (aws kms cancel-key-deletion --key-id KEY, then aws kms enable-key --key-id KEY)',
};

/** Throws VaultKeyUnusable when the vault's key is known to Coffer and cannot encrypt. */
export async function requireUsableVaultKey(catalog: Pick<Catalog, 'kmsKeys' | 'kmsAliases'>, vault: { readonly name: string; readonly encryptionKeyArn: string }): Promise<void> {
  const arn = parseArn(vault.encryptionKeyArn);
  if (arn === undefined || arn.service !== 'kms') return;
  const owner = { accountId: arn.accountId, region: arn.region };
  const keyId = arn.resource.startsWith('alias/') ? (await catalog.kmsAliases.get(owner, arn.resource))?.keyId : arn.resource.replace(/^key\//, '');
  if (keyId === undefined) return;
  const key = await catalog.kmsKeys.get(owner, keyId);
  const remedy = key === undefined ? undefined : REMEDY[key.state];
  if (key === undefined || remedy === undefined) return;
  throw new BackupError('VaultKeyUnusable',
    `KMS key ${key.arn} of backup vault ${vault.name} ${remedy.replaceAll('KEY', key.keyId)}, or back up into a vault whose key is enabled; KMS refuses to encrypt under it.`,
    { context: key.arn });
}
