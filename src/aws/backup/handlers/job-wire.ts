/**
 * Wire helpers shared by the job and recovery point handlers: timestamps and lifecycles in,
 * the domain's jobs and recovery points out (AWS member names; absent values left out).
 */
import type { BackupJob, CopyJob, JobOrigin, RestoreJob } from '../../../backup/jobs/job.js';
import type { CalculatedLifecycle, Lifecycle } from '../../../backup/jobs/lifecycle.js';
import type { RecoveryPoint, RecoveryPointOrigin } from '../../../backup/jobs/recovery-point.js';
import { arns } from '../../../iam/arn.js';
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

export function lifecycleOut(lifecycle: Lifecycle | undefined): Record<string, number | undefined> | undefined {
  if (lifecycle === undefined) return undefined;
  return { DeleteAfterDays: lifecycle.deleteAfterDays, MoveToColdStorageAfterDays: lifecycle.moveToColdStorageAfterDays };
}

export function calculatedLifecycleOut(calculated: CalculatedLifecycle): Record<string, Date | undefined> | undefined {
  if (calculated.deleteAt === undefined && calculated.moveToColdStorageAt === undefined) return undefined;
  return { DeleteAt: calculated.deleteAt, MoveToColdStorageAt: calculated.moveToColdStorageAt };
}

/** AWS's CreatedBy: the plan version and rule that made a job or recovery point. */
export function createdByOut(origin: JobOrigin | RecoveryPointOrigin | undefined): Record<string, string | undefined> | undefined {
  return origin === undefined
    ? undefined
    : {
        BackupPlanId: origin.planId,
        BackupPlanArn: origin.planArn,
        BackupPlanName: origin.planName,
        BackupPlanVersion: origin.planVersion,
        BackupRuleId: origin.ruleId,
        BackupRuleName: origin.ruleName,
        BackupRuleCron: origin.ruleCron,
        BackupRuleTimezone: origin.ruleTimezone,
      };
}

const percent = (value: number | undefined): string | undefined => (value === undefined ? undefined : String(value));

/** A BackupJob list member; DescribeBackupJob answers the same members. */
export function backupJobOut(job: BackupJob): Record<string, unknown> {
  return {
    AccountId: job.accountId,
    BackupJobId: job.id,
    BackupVaultName: job.vaultName,
    BackupVaultArn: job.vaultArn,
    RecoveryPointArn: job.recoveryPointArn,
    ResourceArn: job.resourceArn,
    ResourceType: job.resourceType,
    ResourceName: job.resourceName,
    CreationDate: job.createdAt,
    CompletionDate: job.completedAt,
    StartBy: job.startBy,
    ExpectedCompletionDate: job.expectedCompletionAt,
    State: job.state,
    StatusMessage: job.statusMessage,
    PercentDone: percent(job.percentDone),
    BackupSizeInBytes: job.backupSizeBytes,
    BytesTransferred: job.bytesTransferred,
    IamRoleArn: job.iamRoleArn,
    EncryptionKeyArn: job.encryptionKeyArn,
    // Every vault encrypts what it holds.
    IsEncrypted: true,
    VaultType: 'BACKUP_VAULT',
    IsParent: false,
    RecoveryPointLifecycle: lifecycleOut(job.lifecycle),
    CreatedBy: createdByOut(job.createdBy),
    MessageCategory: job.messageCategory,
  };
}

export function restoreJobOut(job: RestoreJob): Record<string, unknown> {
  return {
    AccountId: job.accountId,
    RestoreJobId: job.id,
    RecoveryPointArn: job.recoveryPointArn,
    SourceResourceArn: job.resourceArn,
    CreationDate: job.createdAt,
    CompletionDate: job.completedAt,
    Status: job.state,
    StatusMessage: job.statusMessage,
    PercentDone: percent(job.percentDone),
    BackupSizeInBytes: job.backupSizeBytes,
    IamRoleArn: job.iamRoleArn,
    CreatedResourceArn: job.createdResourceArn,
    ResourceType: job.resourceType,
    RecoveryPointCreationDate: job.recoveryPointCreatedAt,
    BackupVaultArn: arns.backupVault(job, job.vaultName),
    IsParent: false,
  };
}

/** A CopyJob list member; DescribeCopyJob answers the same members. */
export function copyJobOut(job: CopyJob): Record<string, unknown> {
  return {
    AccountId: job.accountId,
    CopyJobId: job.id,
    SourceBackupVaultArn: job.sourceVaultArn,
    SourceRecoveryPointArn: job.sourceRecoveryPointArn,
    DestinationBackupVaultArn: job.destinationVaultArn,
    DestinationRecoveryPointArn: job.destinationRecoveryPointArn,
    DestinationEncryptionKeyArn: job.encryptionKeyArn,
    DestinationVaultType: 'BACKUP_VAULT',
    DestinationRecoveryPointLifecycle: lifecycleOut(job.lifecycle),
    ResourceArn: job.resourceArn,
    ResourceType: job.resourceType,
    CreationDate: job.createdAt,
    CompletionDate: job.completedAt,
    State: job.state,
    StatusMessage: job.statusMessage,
    BackupSizeInBytes: job.backupSizeBytes,
    IamRoleArn: job.iamRoleArn,
    ParentJobId: job.parentJobId,
    IsParent: false,
    MessageCategory: job.messageCategory,
    ...(job.createdBy === undefined ? {} : { CreatedBy: createdByOut(job.createdBy), CreatedByBackupJobId: job.parentJobId }),
  };
}

export function recoveryPointOut(point: RecoveryPoint): Record<string, unknown> {
  return {
    RecoveryPointArn: point.arn,
    BackupVaultName: point.vaultName,
    BackupVaultArn: point.vaultArn,
    SourceBackupVaultArn: point.sourceVaultArn,
    ResourceArn: point.resourceArn,
    ResourceType: point.resourceType,
    ResourceName: point.resourceName,
    IamRoleArn: point.iamRoleArn,
    Status: point.state,
    StatusMessage: point.statusMessage,
    CreationDate: point.createdAt,
    CompletionDate: point.completedAt,
    BackupSizeInBytes: point.backupSizeBytes,
    Lifecycle: lifecycleOut(point.lifecycle),
    CalculatedLifecycle: calculatedLifecycleOut(point.calculatedLifecycle),
    EncryptionKeyArn: point.encryptionKeyArn,
    IsEncrypted: true,
    StorageClass: point.storageClass,
    LastRestoreTime: point.lastRestoreAt,
    IsParent: false,
    VaultType: 'BACKUP_VAULT',
    CreatedBy: createdByOut(point.createdBy),
  };
}
