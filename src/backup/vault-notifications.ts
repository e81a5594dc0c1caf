/**
 * A vault's notification settings: an SNS topic and the events to send to it. Stored and
 * returned now; sending comes with the job runner.
 */
import type { Catalog } from '../catalog/catalog.js';
import { parseArn } from '../iam/arn.js';
import { BackupError } from './backup-error.js';
import type { CallScope } from './call-scope.js';
import { requireVault, vaultNotFound } from './vaults.js';

export interface VaultNotificationSettings {
  readonly vaultName: string;
  readonly vaultArn: string;
  readonly snsTopicArn: string;
  readonly events: readonly string[];
}

export interface VaultNotificationService {
  put(scope: CallScope, vaultName: string, snsTopicArn: string, events: readonly string[]): Promise<void>;
  get(scope: CallScope, vaultName: string): Promise<VaultNotificationSettings>;
  /** Succeeds when the vault has no notification settings. */
  delete(scope: CallScope, vaultName: string): Promise<void>;
}

function checkTopic(scope: CallScope, topic: string): void {
  const arn = parseArn(topic);
  if (arn !== undefined && arn.service === 'sns' && arn.region !== '' && arn.accountId !== '' && !arn.resource.includes(':')) return;
  throw new BackupError(
    'InvalidNotificationTopic',
    `SNSTopicArn ${JSON.stringify(topic)} is not an SNS topic ARN; give arn:aws:sns:${scope.region}:<account>:<topic-name>.`,
    { context: 'SNSTopicArn' },
  );
}

export function createVaultNotificationService({ catalog }: { readonly catalog: Pick<Catalog, 'vaults'> }): VaultNotificationService {
  return {
    async put(scope, vaultName, snsTopicArn, events) {
      checkTopic(scope, snsTopicArn);
      if (events.length === 0) {
        throw new BackupError(
          'InvalidNotificationEvents',
          `BackupVaultEvents is empty: name at least one event (such as BACKUP_JOB_COMPLETED) for backup vault ${vaultName}.`,
          { context: 'BackupVaultEvents' },
        );
      }
      const updated = await catalog.vaults.setNotifications(scope, vaultName, { snsTopicArn, events: [...new Set(events)] });
      if (updated === undefined) throw vaultNotFound(scope, vaultName);
    },

    async get(scope, vaultName) {
      const vault = await requireVault(catalog, scope, vaultName);
      if (vault.notifications === undefined) {
        throw new BackupError('NotificationsNotFound', `Backup vault ${vaultName} has no notification settings; set them with PutBackupVaultNotifications.`, {
          context: vaultName,
        });
      }
      return { vaultName: vault.name, vaultArn: vault.arn, snsTopicArn: vault.notifications.snsTopicArn, events: vault.notifications.events };
    },

    async delete(scope, vaultName) {
      const updated = await catalog.vaults.setNotifications(scope, vaultName, undefined);
      if (updated === undefined) throw vaultNotFound(scope, vaultName);
    },
  };
}
