/**
 * Where a vault's bytes go: `<region storage root>/<account>/<vault name>/`, as a storage URL
 * (`file:/srv/coffer/vaults/us-east-1/111111111111/daily/`). Recorded when the vault is created;
 * the repository there is made when the first backup needs it.
 */
import { rm } from 'node:fs/promises';

export function vaultStorageLocation(root: string, accountId: string, vaultName: string): string {
  return `${root.replace(/\/+$/, '')}/${accountId}/${vaultName}/`;
}

/**
 * Removes a deleted vault's directory (a `file:` location; others are left alone). Only called
 * once the vault has no recovery points, so what remains is the skeleton of its repositories.
 */
export async function removeVaultStorage(location: string | undefined): Promise<void> {
  if (location === undefined || !location.startsWith('file:')) return;
  await rm(location.slice('file:'.length), { recursive: true, force: true });
}
