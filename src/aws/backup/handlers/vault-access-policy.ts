/** Put/Get/DeleteBackupVaultAccessPolicy: wire shapes to the domain's vault access policies. */
import type { BackupDomain } from '../../../backup/backup-domain.js';
import type { OperationHandler } from '../../http-handler.js';
import { optionalString, requiredString, scopeOf } from './wire-input.js';

export function vaultAccessPolicyHandlers(domain: BackupDomain): Readonly<Record<string, OperationHandler>> {
  const policies = domain.vaultAccessPolicies;
  return {
    async PutBackupVaultAccessPolicy(ctx, input) {
      await policies.put(scopeOf(ctx), requiredString(input, 'BackupVaultName'), optionalString(input, 'Policy'));
    },

    async GetBackupVaultAccessPolicy(ctx, input) {
      const found = await policies.get(scopeOf(ctx), requiredString(input, 'BackupVaultName'));
      return { BackupVaultName: found.vaultName, BackupVaultArn: found.vaultArn, Policy: found.policy };
    },

    async DeleteBackupVaultAccessPolicy(ctx, input) {
      await policies.delete(scopeOf(ctx), requiredString(input, 'BackupVaultName'));
    },
  };
}
