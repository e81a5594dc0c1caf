/**
 * Whether a vault's KMS key can protect a new recovery point, asked of the KMS domain before a
 * backup job is accepted: a key that is disabled or pending deletion would only make the job
 * fail later, so StartBackupJob says so at once (DependencyFailureException: KMS is the
 * dependency that refuses). A key Coffer does not hold (another account's, or `aws/backup`
 * before its first use) is left to the job, whose KMS calls decide.
 */
import type { HeldKeys } from '../kms/held-keys.js';
import { BackupError } from './backup-error.js';

/** The key a vault's key ARN names, as the KMS domain holds it (kms/held-keys.ts). */
export type VaultKeyStates = HeldKeys;

const REMEDY: Readonly<Record<string, string>> = {
  Disabled: 'is disabled. Enable it (aws kms enable-key --key-id KEY)',
  PendingDeletion: 'is pending deletion. Cancel the deletion and enable it (aws kms cancel-key-deletion --key-id KEY, then aws kms enable-key --key-id KEY)',
};

/** Throws VaultKeyUnusable when the vault's key is known to Coffer and cannot encrypt. */
export async function requireUsableVaultKey(keys: VaultKeyStates, vault: { readonly name: string; readonly encryptionKeyArn: string }): Promise<void> {
  const key = await keys(vault.encryptionKeyArn);
  const remedy = key === undefined ? undefined : REMEDY[key.state];
  if (key === undefined || remedy === undefined) return;
  throw new BackupError(
    'VaultKeyUnusable',
    `KMS key ${key.arn} of backup vault ${vault.name} ${remedy.replaceAll('KEY', key.keyId)}, or back up into a vault whose key is enabled; KMS refuses to encrypt under it.`,
    { context: key.arn },
  );
}
