/**
 * CreateBackupVault, DescribeBackupVault, ListBackupVaults, DeleteBackupVault: wire input to
 * domain calls, domain vaults to wire output. No rules here; those are the domain's.
 */
import type { BackupDomain } from '../../../backup/backup-domain.js';
import type { Vault } from '../../../backup/vault.js';
import type { OperationHandler } from '../../http-handler.js';
import { listRequestOf, optionalBoolean, optionalString, optionalStringMap, requiredString, scopeOf } from './wire-input.js';

/** A BackupVaultListMember; DescribeBackupVault answers the same members. */
export function vaultOutput(vault: Vault): Readonly<Record<string, unknown>> {
  return {
    BackupVaultName: vault.name,
    BackupVaultArn: vault.arn,
    VaultType: vault.vaultType,
    VaultState: vault.state,
    EncryptionKeyArn: vault.encryptionKeyArn,
    CreationDate: vault.creationDate,
    CreatorRequestId: vault.creatorRequestId,
    NumberOfRecoveryPoints: vault.numberOfRecoveryPoints,
    Locked: vault.locked,
    MinRetentionDays: vault.minRetentionDays,
    MaxRetentionDays: vault.maxRetentionDays,
    LockDate: vault.lockDate,
  };
}

export function vaultHandlers(domain: BackupDomain): Readonly<Record<string, OperationHandler>> {
  return {
    async CreateBackupVault(ctx, input) {
      const created = await domain.vaults.create(scopeOf(ctx), {
        name: requiredString(input, 'BackupVaultName'),
        encryptionKeyArn: optionalString(input, 'EncryptionKeyArn'),
        tags: optionalStringMap(input, 'BackupVaultTags'),
        creatorRequestId: optionalString(input, 'CreatorRequestId'),
      });
      return { BackupVaultName: created.name, BackupVaultArn: created.arn, CreationDate: created.creationDate };
    },

    async DescribeBackupVault(ctx, input) {
      const vault = await domain.vaults.describe(scopeOf(ctx), requiredString(input, 'BackupVaultName'), optionalString(input, 'BackupVaultAccountId'));
      return vaultOutput(vault);
    },

    async ListBackupVaults(ctx, input) {
      const page = await domain.vaults.list(scopeOf(ctx), {
        ...listRequestOf(input),
        vaultType: optionalString(input, 'ByVaultType'),
        shared: optionalBoolean(input, 'ByShared'),
      });
      return { BackupVaultList: page.items.map(vaultOutput), NextToken: page.nextToken };
    },

    async DeleteBackupVault(ctx, input) {
      await domain.vaults.delete(scopeOf(ctx), requiredString(input, 'BackupVaultName'));
    },
  };
}
