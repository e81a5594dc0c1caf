/**
 * Wire helpers shared by the job and recovery point handlers: timestamps and lifecycles in,
 * job records and recovery points out (AWS member names; absent values left out).
 */
import type { BackupJobRecord, RestoreJobRecord } from '../../../catalog/job-records.js';
import type { Lifecycle } from '../../../catalog/lifecycle.js';
import type { CalculatedLifecycle, RecoveryPointRecord } from '../../../catalog/recovery-points.js';
import type { WireInput } from './wire-input.js';

export function optionalDate(input: WireInput, member: string): Date | undefined {
  const value = input[member];
  if (value === undefined || value instanceof Date) return value;
  throw new Error(`input member ${member} is not a timestamp: the handler does not match the model`);
}

export function lifecycleIn(input: WireInput, member = 'Lifecycle'): Lifecycle | undefined {
  const value = input[member] as { DeleteAfterDays?: number; MoveToColdStorageAfterDays?: number } | undefined;
  if (value === undefined) return undefined;
  return {
    ...(value.DeleteAfterDays === undefined ? {} : { deleteAfterDays: value.DeleteAfterDays }),
    ...(value.MoveToColdStorageAfterDays === undefined ? {} : { moveToColdStorageAfterDays: value.MoveToColdStorageAfterDays }),
  };
}

const date = (ms: number | undefined): Date | undefined => (ms === undefined ? undefined : new Date(ms));

export function lifecycleOut(lifecycle: Lifecycle | undefined): Record<string, number | undefined> | undefined {
  if (lifecycle === undefined) return undefined;
  return { DeleteAfterDays: lifecycle.deleteAfterDays, MoveToColdStorageAfterDays: lifecycle.moveToColdStorageAfterDays };
}

export function calculatedLifecycleOut(calculated: CalculatedLifecycle): Record<string, Date | undefined> | undefined {
  if (calculated.deleteAt === undefined && calculated.moveToColdStorageAt === undefined) return undefined;
  return { DeleteAt: date(calculated.deleteAt), MoveToColdStorageAt: date(calculated.moveToColdStorageAt) };
}

/** A BackupJob list member; DescribeBackupJob answers the same members. */
export function backupJobOut(job: BackupJobRecord): Record<string, unknown> {
  return {
    AccountId: job.accountId, BackupJobId: job.id, BackupVaultName: job.vaultName, BackupVaultArn: job.vaultArn,
    RecoveryPointArn: job.recoveryPointArn, ResourceArn: job.resourceArn, ResourceType: job.resourceType, ResourceName: job.resourceName,
    CreationDate: new Date(job.createdAt), CompletionDate: date(job.completedAt), StartBy: date(job.startBy),
    State: job.state, StatusMessage: job.statusMessage, PercentDone: job.percentDone === undefined ? undefined : String(job.percentDone),
    BackupSizeInBytes: job.backupSizeBytes, BytesTransferred: job.bytesTransferred, IamRoleArn: job.iamRoleArn,
    IsParent: false, RecoveryPointLifecycle: lifecycleOut(job.lifecycle),
    CreatedBy: job.createdBy === undefined ? undefined : {
      BackupPlanId: job.createdBy.planId, BackupPlanArn: job.createdBy.planArn, BackupPlanVersion: job.createdBy.planVersion, BackupRuleId: job.createdBy.ruleId,
    },
  };
}

export function restoreJobOut(job: RestoreJobRecord): Record<string, unknown> {
  return {
    AccountId: job.accountId, RestoreJobId: job.id, RecoveryPointArn: job.recoveryPointArn, SourceResourceArn: job.resourceArn,
    CreationDate: new Date(job.createdAt), CompletionDate: date(job.completedAt), Status: job.state, StatusMessage: job.statusMessage,
    PercentDone: job.percentDone === undefined ? undefined : String(job.percentDone), BackupSizeInBytes: job.backupSizeBytes,
    IamRoleArn: job.iamRoleArn, CreatedResourceArn: job.createdResourceArn, ResourceType: job.resourceType, IsParent: false,
  };
}

export function recoveryPointOut(point: RecoveryPointRecord): Record<string, unknown> {
  return {
    RecoveryPointArn: point.arn, BackupVaultName: point.vaultName, BackupVaultArn: point.vaultArn, SourceBackupVaultArn: point.sourceVaultArn,
    ResourceArn: point.resourceArn, ResourceType: point.resourceType, ResourceName: point.resourceName, IamRoleArn: point.iamRoleArn,
    Status: point.state, StatusMessage: point.statusMessage, CreationDate: new Date(point.createdAt), CompletionDate: date(point.completedAt),
    BackupSizeInBytes: point.backupSizeBytes, Lifecycle: lifecycleOut(point.lifecycle), CalculatedLifecycle: calculatedLifecycleOut(point.calculatedLifecycle),
    EncryptionKeyArn: point.encryptionKeyArn, IsEncrypted: true, StorageClass: point.storageClass, LastRestoreTime: date(point.lastRestoreAt),
    IsParent: false, VaultType: 'BACKUP_VAULT',
    CreatedBy: point.createdBy === undefined ? undefined : {
      BackupPlanId: point.createdBy.planId, BackupPlanArn: point.createdBy.planArn, BackupPlanVersion: point.createdBy.planVersion, BackupRuleId: point.createdBy.ruleId,
    },
  };
}
