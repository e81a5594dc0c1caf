/**
 * Where a vault's bytes go: `<region storage root>/<account>/<vault name>/`, as a storage URL
 * (`file:/srv/coffer/vaults/us-east-1/111111111111/daily/`, `s3:https://HOST/BUCKET/vaults/111111111111/daily/`).
 * Recorded when the vault is created; the repository there is made when the first backup needs it.
 */

export function vaultStorageLocation(root: string, accountId: string, vaultName: string): string {
  return `${root.replace(/\/+$/, '')}/${accountId}/${vaultName}/`;
}
