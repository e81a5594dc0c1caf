/** Backup vault names: 2 to 50 ASCII letters, digits, hyphens and underscores, as AWS allows. */
import { BackupError } from './backup-error.js';

const VAULT_NAME = /^[A-Za-z0-9_-]{2,50}$/;

export function isVaultName(name: string): boolean {
  return VAULT_NAME.test(name);
}

export function checkVaultName(name: string): void {
  if (isVaultName(name)) return;
  throw new BackupError(
    'InvalidVaultName',
    `Backup vault name ${JSON.stringify(name)} is not valid: use 2 to 50 characters, each a letter, digit, hyphen (-) or underscore (_).`,
    { context: name },
  );
}
