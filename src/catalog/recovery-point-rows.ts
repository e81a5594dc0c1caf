/** Recovery point records to rows and back, and a patch to the columns it changes. */
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { RecoveryPointsTable } from './database.js';
import { fromJsonText, toJsonText } from './json-text.js';
import type { NewRecoveryPoint, RecoveryPointPatch, RecoveryPointRecord, RecoveryPointState, StorageClass } from './recovery-points.js';
import type { CatalogScope } from './scope.js';

type Row = Selectable<RecoveryPointsTable>;

export function recoveryPointRow(scope: CatalogScope, p: NewRecoveryPoint): Insertable<RecoveryPointsTable> {
  return {
    account_id: scope.accountId,
    region: scope.region,
    arn: p.arn,
    id: p.id,
    vault_name: p.vaultName,
    vault_arn: p.vaultArn,
    resource_arn: p.resourceArn,
    resource_type: p.resourceType,
    resource_name: p.resourceName ?? null,
    state: p.state,
    status_message: null,
    storage_class: p.storageClass ?? 'WARM',
    created_at: p.createdAt,
    completed_at: null,
    updated_at: p.createdAt,
    delete_after_days: p.lifecycle?.deleteAfterDays ?? null,
    move_to_cold_after_days: p.lifecycle?.moveToColdStorageAfterDays ?? null,
    delete_at: p.calculatedLifecycle?.deleteAt ?? null,
    move_to_cold_at: p.calculatedLifecycle?.moveToColdStorageAt ?? null,
    encryption_key_arn: p.encryptionKeyArn ?? null,
    backup_size_bytes: null,
    snapshot_id: null,
    repository_key_id: null,
    source_recovery_point_arn: p.sourceRecoveryPointArn ?? null,
    source_vault_arn: p.sourceVaultArn ?? null,
    job_id: p.jobId ?? null,
    created_by_plan_id: p.createdBy?.planId ?? null,
    created_by_plan_arn: p.createdBy?.planArn ?? null,
    created_by_plan_version: p.createdBy?.planVersion ?? null,
    created_by_rule_id: p.createdBy?.ruleId ?? null,
    created_by_plan_name: p.createdBy?.planName ?? null,
    created_by_rule_name: p.createdBy?.ruleName ?? null,
    created_by_rule_cron: p.createdBy?.ruleCron ?? null,
    created_by_rule_timezone: p.createdBy?.ruleTimezone ?? null,
    iam_role_arn: p.iamRoleArn ?? null,
    restore_metadata: null,
    last_restore_at: null,
    storage_location: null,
    warm_snapshot_id: null,
  };
}

export function toRecoveryPoint(row: Row): RecoveryPointRecord {
  const hasLifecycle = row.delete_after_days !== null || row.move_to_cold_after_days !== null;
  return {
    accountId: row.account_id,
    region: row.region,
    arn: row.arn,
    id: row.id,
    vaultName: row.vault_name,
    vaultArn: row.vault_arn,
    resourceArn: row.resource_arn,
    resourceType: row.resource_type,
    resourceName: row.resource_name ?? undefined,
    state: row.state as RecoveryPointState,
    statusMessage: row.status_message ?? undefined,
    storageClass: row.storage_class as StorageClass,
    createdAt: row.created_at,
    completedAt: row.completed_at ?? undefined,
    updatedAt: row.updated_at,
    lifecycle: hasLifecycle
      ? {
          deleteAfterDays: row.delete_after_days ?? undefined,
          moveToColdStorageAfterDays: row.move_to_cold_after_days ?? undefined,
        }
      : undefined,
    calculatedLifecycle: { deleteAt: row.delete_at ?? undefined, moveToColdStorageAt: row.move_to_cold_at ?? undefined },
    encryptionKeyArn: row.encryption_key_arn ?? undefined,
    backupSizeBytes: row.backup_size_bytes ?? undefined,
    snapshotId: row.snapshot_id ?? undefined,
    repositoryKeyId: row.repository_key_id ?? undefined,
    sourceRecoveryPointArn: row.source_recovery_point_arn ?? undefined,
    sourceVaultArn: row.source_vault_arn ?? undefined,
    jobId: row.job_id ?? undefined,
    createdBy:
      row.created_by_plan_id === null
        ? undefined
        : {
            planId: row.created_by_plan_id,
            planArn: row.created_by_plan_arn ?? '',
            planVersion: row.created_by_plan_version ?? '',
            ruleId: row.created_by_rule_id ?? '',
            planName: row.created_by_plan_name ?? undefined,
            ruleName: row.created_by_rule_name ?? undefined,
            ruleCron: row.created_by_rule_cron ?? undefined,
            ruleTimezone: row.created_by_rule_timezone ?? undefined,
          },
    iamRoleArn: row.iam_role_arn ?? undefined,
    restoreMetadata: fromJsonText<{ [key: string]: string }>(row.restore_metadata),
    lastRestoreAt: row.last_restore_at ?? undefined,
    storageLocation: row.storage_location ?? undefined,
    warmSnapshotId: row.warm_snapshot_id ?? undefined,
  };
}

export function updateColumns(patch: RecoveryPointPatch): Updateable<RecoveryPointsTable> {
  const set: { [column: string]: unknown } = { updated_at: patch.updatedAt };
  const simple = {
    state: 'state',
    statusMessage: 'status_message',
    storageClass: 'storage_class',
    completedAt: 'completed_at',
    backupSizeBytes: 'backup_size_bytes',
    snapshotId: 'snapshot_id',
    repositoryKeyId: 'repository_key_id',
    lastRestoreAt: 'last_restore_at',
    storageLocation: 'storage_location',
    warmSnapshotId: 'warm_snapshot_id',
  } as const;
  for (const [member, column] of Object.entries(simple)) {
    const value = patch[member as keyof typeof simple];
    if (value !== undefined) set[column] = value;
  }
  if (patch.lifecycle !== undefined) {
    set['delete_after_days'] = patch.lifecycle?.deleteAfterDays ?? null;
    set['move_to_cold_after_days'] = patch.lifecycle?.moveToColdStorageAfterDays ?? null;
  }
  if (patch.calculatedLifecycle !== undefined) {
    set['delete_at'] = patch.calculatedLifecycle.deleteAt ?? null;
    set['move_to_cold_at'] = patch.calculatedLifecycle.moveToColdStorageAt ?? null;
  }
  if (patch.restoreMetadata !== undefined) set['restore_metadata'] = toJsonText(patch.restoreMetadata ?? undefined);
  return set as Updateable<RecoveryPointsTable>;
}
