/**
 * A vault's access policy: an IAM resource policy document, checked for shape when it is put and
 * then stored and returned exactly as given. It is enforced by vault-authorization.ts on every
 * operation it governs, these three included (a Deny can shut out the vault's own account).
 */
import type { Catalog } from '../catalog/catalog.js';
import { parsePolicyDocument } from '../iam/policy-document.js';
import { BackupError } from './backup-error.js';
import type { CallScope } from './call-scope.js';
import { arns } from '../iam/arn.js';
import { authorizeVaultAction } from './vault-authorization.js';
import { vaultNotFound } from './vaults.js';

export interface VaultAccessPolicy {
  readonly vaultName: string;
  readonly vaultArn: string;
  readonly policy: string;
}

export interface VaultAccessPolicyService {
  put(scope: CallScope, vaultName: string, policy: string | undefined): Promise<void>;
  get(scope: CallScope, vaultName: string): Promise<VaultAccessPolicy>;
  /** Succeeds when the vault has no policy. */
  delete(scope: CallScope, vaultName: string): Promise<void>;
}

export function createVaultAccessPolicyService({ catalog }: { readonly catalog: Pick<Catalog, 'vaults'> }): VaultAccessPolicyService {
  return {
    async put(scope, vaultName, policy) {
      if (policy === undefined || policy.trim() === '') {
        throw new BackupError(
          'MissingAccessPolicy',
          `Policy is missing: give the access policy for backup vault ${vaultName} as a JSON policy document with Version and Statement.`,
          { context: 'Policy' },
        );
      }
      const parsed = parsePolicyDocument(policy, { requirePrincipal: true });
      if (typeof parsed === 'string') {
        throw new BackupError('InvalidAccessPolicy', `The access policy for backup vault ${vaultName} is not a valid policy document: ${parsed}.`, {
          context: 'Policy',
        });
      }
      await authorizeVaultAction(catalog, scope, { ...scope, name: vaultName }, 'backup:PutBackupVaultAccessPolicy', arns.backupVault(scope, vaultName));
      const updated = await catalog.vaults.setAccessPolicy(scope, vaultName, policy);
      if (updated === undefined) throw vaultNotFound(scope, vaultName);
    },

    async get(scope, vaultName) {
      const vault = await authorizeVaultAction(
        catalog,
        scope,
        { ...scope, name: vaultName },
        'backup:GetBackupVaultAccessPolicy',
        arns.backupVault(scope, vaultName),
      );
      if (vault.accessPolicy === undefined) {
        throw new BackupError('AccessPolicyNotFound', `Backup vault ${vaultName} has no access policy; put one with PutBackupVaultAccessPolicy.`, {
          context: vaultName,
        });
      }
      return { vaultName: vault.name, vaultArn: vault.arn, policy: vault.accessPolicy };
    },

    async delete(scope, vaultName) {
      await authorizeVaultAction(catalog, scope, { ...scope, name: vaultName }, 'backup:DeleteBackupVaultAccessPolicy', arns.backupVault(scope, vaultName));
      const updated = await catalog.vaults.setAccessPolicy(scope, vaultName, undefined);
      if (updated === undefined) throw vaultNotFound(scope, vaultName);
    },
  };
}
