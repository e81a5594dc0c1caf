/**
 * UpdateRecoveryPointIndexSettings, GetRecoveryPointIndexDetails, ListIndexedRecoveryPoints: wire
 * shapes to the domain's recovery point indexes (backup/recovery-point-indexes.ts).
 */
import { BackupError } from '../../../backup/backup-error.js';
import type { BackupDomain } from '../../../backup/backup-domain.js';
import type { IndexStatus, RecoveryPointIndex } from '../../../backup/recovery-point-indexes.js';
import type { OperationHandler } from '../../http-handler.js';
import { optionalDate } from './job-wire.js';
import { listRequestOf, optionalString, requiredString, scopeOf } from './wire-input.js';

const date = (ms: number | undefined): Date | undefined => (ms === undefined ? undefined : new Date(ms));

function indexSummary(index: RecoveryPointIndex): Record<string, unknown> {
  return {
    RecoveryPointArn: index.recoveryPointArn,
    SourceResourceArn: index.sourceResourceArn,
    IamRoleArn: index.iamRoleArn,
    BackupCreationDate: date(index.backupCreatedAt),
    ResourceType: index.resourceType,
    IndexCreationDate: date(index.createdAt),
    IndexStatus: index.status,
    IndexStatusMessage: index.statusMessage,
    BackupVaultArn: index.vaultArn,
  };
}

function indexSetting(input: Record<string, unknown>): 'ENABLED' | 'DISABLED' {
  const value = requiredString(input, 'Index');
  if (value !== 'ENABLED' && value !== 'DISABLED')
    throw new BackupError('InvalidParameter', `Index must be ENABLED or DISABLED, not ${value}.`, { context: 'Index' });
  return value;
}

export function recoveryPointIndexHandlers(domain: BackupDomain): Readonly<Record<string, OperationHandler>> {
  const indexes = domain.recoveryPointIndexes;
  return {
    async UpdateRecoveryPointIndexSettings(ctx, input) {
      const vaultName = requiredString(input, 'BackupVaultName');
      const arn = requiredString(input, 'RecoveryPointArn');
      const index = indexSetting(input);
      const status = await indexes.update(scopeOf(ctx), vaultName, arn, index, optionalString(input, 'IamRoleArn'));
      return { BackupVaultName: vaultName, RecoveryPointArn: arn, IndexStatus: status ?? 'DELETING', Index: index };
    },

    async GetRecoveryPointIndexDetails(ctx, input) {
      const index = await indexes.get(scopeOf(ctx), requiredString(input, 'BackupVaultName'), requiredString(input, 'RecoveryPointArn'));
      return {
        RecoveryPointArn: index.recoveryPointArn,
        BackupVaultArn: index.vaultArn,
        SourceResourceArn: index.sourceResourceArn,
        IndexCreationDate: date(index.createdAt),
        IndexCompletionDate: index.status === 'ACTIVE' ? date(index.completedAt) : undefined,
        IndexStatus: index.status,
        IndexStatusMessage: index.statusMessage,
        TotalItemsIndexed: index.totalItems,
      };
    },

    async ListIndexedRecoveryPoints(ctx, input) {
      const page = await indexes.list(
        scopeOf(ctx),
        {
          sourceResourceArn: optionalString(input, 'SourceResourceArn'),
          resourceType: optionalString(input, 'ResourceType'),
          status: optionalString(input, 'IndexStatus') as IndexStatus | undefined,
          createdAfter: optionalDate(input, 'CreatedAfter')?.getTime(),
          createdBefore: optionalDate(input, 'CreatedBefore')?.getTime(),
        },
        listRequestOf(input),
      );
      return { IndexedRecoveryPoints: page.items.map(indexSummary), NextToken: page.nextToken };
    },
  };
}
