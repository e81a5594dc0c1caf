/** Put/Get/DeleteBackupVaultNotifications: wire shapes to the domain's vault notification settings. */
import type { BackupDomain } from '../../../backup/backup-domain.js';
import type { OperationHandler } from '../../http-handler.js';
import { requiredString, scopeOf, stringList } from './wire-input.js';

export function vaultNotificationHandlers(domain: BackupDomain): Readonly<Record<string, OperationHandler>> {
  const notifications = domain.vaultNotifications;
  return {
    async PutBackupVaultNotifications(ctx, input) {
      await notifications.put(
        scopeOf(ctx),
        requiredString(input, 'BackupVaultName'),
        requiredString(input, 'SNSTopicArn'),
        stringList(input, 'BackupVaultEvents'),
      );
    },

    async GetBackupVaultNotifications(ctx, input) {
      const found = await notifications.get(scopeOf(ctx), requiredString(input, 'BackupVaultName'));
      return { BackupVaultName: found.vaultName, BackupVaultArn: found.vaultArn, SNSTopicArn: found.snsTopicArn, BackupVaultEvents: found.events };
    },

    async DeleteBackupVaultNotifications(ctx, input) {
      await notifications.delete(scopeOf(ctx), requiredString(input, 'BackupVaultName'));
    },
  };
}
