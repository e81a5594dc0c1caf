/** Put/DeleteBackupVaultLockConfiguration: wire shapes to the domain's vault locks. */
import type { BackupDomain } from '../../../backup/backup-domain.js';
import type { OperationHandler } from '../../http-handler.js';
import { optionalInteger, requiredString, scopeOf } from './wire-input.js';

export function vaultLockHandlers(domain: BackupDomain): Readonly<Record<string, OperationHandler>> {
  return {
    async PutBackupVaultLockConfiguration(ctx, input) {
      await domain.vaultLocks.put(scopeOf(ctx), requiredString(input, 'BackupVaultName'), {
        minRetentionDays: optionalInteger(input, 'MinRetentionDays'),
        maxRetentionDays: optionalInteger(input, 'MaxRetentionDays'),
        changeableForDays: optionalInteger(input, 'ChangeableForDays'),
      });
    },

    async DeleteBackupVaultLockConfiguration(ctx, input) {
      await domain.vaultLocks.delete(scopeOf(ctx), requiredString(input, 'BackupVaultName'));
    },
  };
}
