/**
 * IncludeVaults / ExcludeVaults of a restore testing plan: `*` (every vault), or backup vault
 * ARNs in which `*` stands for any run of characters (`arn:aws:backup:*:*:backup-vault:prod-*`).
 * A vault is eligible when an include selector matches its ARN and no exclude selector does.
 */
import { BackupError } from '../backup-error.js';

const VAULT_ARN = /^arn:aws:backup:[a-z0-9-*]*:(\d{12}|\*):backup-vault:[A-Za-z0-9_*.-]+$/;

export function checkVaultSelectors(selectors: readonly string[], member: string): void {
  for (const s of selectors) {
    if (s !== '*' && !VAULT_ARN.test(s)) {
      throw new BackupError(
        'InvalidParameter',
        `${member} holds ${JSON.stringify(s)}, which is neither "*" nor a backup vault ARN (arn:aws:backup:<region>:<account>:backup-vault:<name>, * allowed).`,
        { context: member },
      );
    }
  }
}

function matches(selector: string, vaultArn: string): boolean {
  if (selector === '*') return true;
  const pattern = selector
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`).test(vaultArn);
}

export function vaultEligible(vaultArn: string, include: readonly string[], exclude: readonly string[]): boolean {
  return include.some((s) => matches(s, vaultArn)) && !exclude.some((s) => matches(s, vaultArn));
}
