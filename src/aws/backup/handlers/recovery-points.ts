/**
 * Recovery point operations (lists, describe, delete, lifecycle, restore metadata) and the
 * protected resources derived from them: wire to domain and back.
 */
import type { BackupDomain } from '../../../backup/backup-domain.js';
import type { ProtectedResource } from '../../../backup/jobs/recovery-point.js';
import type { OperationHandler } from '../../http-handler.js';
import { calculatedLifecycleOut, lifecycleIn, lifecycleOut, optionalDate, recoveryPointOut } from './job-wire.js';
import { listRequestOf, optionalString, requiredString, scopeOf } from './wire-input.js';

function protectedResourceOut(resource: ProtectedResource): Record<string, unknown> {
  return {
    ResourceArn: resource.resourceArn,
    ResourceType: resource.resourceType,
    ResourceName: resource.resourceName,
    LastBackupTime: resource.lastBackupAt,
    LastBackupVaultArn: resource.lastVaultArn,
    LastRecoveryPointArn: resource.lastRecoveryPointArn,
  };
}

export function recoveryPointHandlers(domain: BackupDomain): Readonly<Record<string, OperationHandler>> {
  const target = (input: Readonly<Record<string, unknown>>): [string, string] => [
    requiredString(input, 'BackupVaultName'),
    requiredString(input, 'RecoveryPointArn'),
  ];
  return {
    async ListRecoveryPointsByBackupVault(ctx, input) {
      const page = await domain.recoveryPoints.listByVault(scopeOf(ctx), requiredString(input, 'BackupVaultName'), {
        ...listRequestOf(input),
        resourceArn: optionalString(input, 'ByResourceArn'),
        resourceType: optionalString(input, 'ByResourceType'),
        createdBefore: optionalDate(input, 'ByCreatedBefore'),
        createdAfter: optionalDate(input, 'ByCreatedAfter'),
        planId: optionalString(input, 'ByBackupPlanId'),
        parentRecoveryPointArn: optionalString(input, 'ByParentRecoveryPointArn'),
        ownerAccountId: optionalString(input, 'BackupVaultAccountId'),
      });
      return { RecoveryPoints: page.items.map(recoveryPointOut), NextToken: page.nextToken };
    },

    async ListRecoveryPointsByResource(ctx, input) {
      const page = await domain.recoveryPoints.listByResource(scopeOf(ctx), requiredString(input, 'ResourceArn'), listRequestOf(input));
      return {
        RecoveryPoints: page.items.map((p) => ({
          RecoveryPointArn: p.arn,
          CreationDate: p.createdAt,
          Status: p.state,
          StatusMessage: p.statusMessage,
          EncryptionKeyArn: p.encryptionKeyArn,
          BackupSizeBytes: p.backupSizeBytes,
          BackupVaultName: p.vaultName,
          ResourceName: p.resourceName,
          IsParent: false,
          VaultType: 'BACKUP_VAULT',
        })),
        NextToken: page.nextToken,
      };
    },

    async DescribeRecoveryPoint(ctx, input) {
      const point = await domain.recoveryPoints.describe(scopeOf(ctx), ...target(input));
      const index = await domain.recoveryPointIndexes.statusOf(scopeOf(ctx), point.arn);
      return { ...recoveryPointOut(point), IndexStatus: index?.status, IndexStatusMessage: index?.statusMessage };
    },

    async DeleteRecoveryPoint(ctx, input) {
      await domain.recoveryPoints.delete(scopeOf(ctx), ...target(input));
    },

    async UpdateRecoveryPointLifecycle(ctx, input) {
      const point = await domain.recoveryPoints.updateLifecycle(scopeOf(ctx), ...target(input), lifecycleIn(input));
      return {
        BackupVaultArn: point.vaultArn,
        RecoveryPointArn: point.arn,
        Lifecycle: lifecycleOut(point.lifecycle),
        CalculatedLifecycle: calculatedLifecycleOut(point.calculatedLifecycle),
      };
    },

    async GetRecoveryPointRestoreMetadata(ctx, input) {
      const point = await domain.recoveryPoints.restoreMetadata(scopeOf(ctx), ...target(input));
      return { BackupVaultArn: point.vaultArn, RecoveryPointArn: point.arn, ResourceType: point.resourceType, RestoreMetadata: point.restoreMetadata ?? {} };
    },

    async ListProtectedResources(ctx, input) {
      const page = await domain.recoveryPoints.listProtectedResources(scopeOf(ctx), listRequestOf(input));
      return { Results: page.items.map(protectedResourceOut), NextToken: page.nextToken };
    },

    async ListProtectedResourcesByBackupVault(ctx, input) {
      const page = await domain.recoveryPoints.listProtectedResourcesByVault(scopeOf(ctx), requiredString(input, 'BackupVaultName'), {
        ...listRequestOf(input),
        ownerAccountId: optionalString(input, 'BackupVaultAccountId'),
      });
      return { Results: page.items.map(protectedResourceOut), NextToken: page.nextToken };
    },

    async DisassociateRecoveryPoint(ctx, input) {
      await domain.recoveryPoints.disassociate(scopeOf(ctx), ...target(input), 'source');
    },

    async DisassociateRecoveryPointFromParent(ctx, input) {
      await domain.recoveryPoints.disassociate(scopeOf(ctx), ...target(input), 'parent');
    },

    async DescribeProtectedResource(ctx, input) {
      return protectedResourceOut(await domain.recoveryPoints.describeProtectedResource(scopeOf(ctx), requiredString(input, 'ResourceArn')));
    },
  };
}
