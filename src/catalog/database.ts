/**
 * The catalog's tables as Kysely sees them: one interface per table, columns in snake_case.
 * Conventions that keep SQLite and PostgreSQL interchangeable:
 * - times are integer milliseconds since the epoch (`*_at`, bigint), never dialect date types;
 * - JSON is text, parsed and serialized by the stores (json-text.ts);
 * - no booleans (SQLite has none): flags are nullable times or JSON;
 * - rows that AWS scopes carry `account_id` and `region`.
 */

export interface Database {
  readonly vaults: VaultsTable;
  readonly plans: PlansTable;
  readonly plan_versions: PlanVersionsTable;
  readonly selections: SelectionsTable;
  readonly backup_jobs: BackupJobsTable;
  readonly restore_jobs: RestoreJobsTable;
  readonly copy_jobs: CopyJobsTable;
  readonly recovery_points: RecoveryPointsTable;
  readonly region_settings: RegionSettingsTable;
  readonly global_settings: GlobalSettingsTable;
  readonly tags: TagsTable;
  readonly idempotency_tokens: IdempotencyTokensTable;
  readonly repository_keys: RepositoryKeysTable;
  readonly scheduler_state: SchedulerStateTable;
  readonly maintenance_leases: MaintenanceLeasesTable;
}

interface Scoped {
  account_id: string;
  region: string;
}

export interface VaultsTable extends Scoped {
  name: string;
  arn: string;
  vault_type: string;
  encryption_key_arn: string;
  creator_request_id: string | null;
  created_at: number;
  access_policy: string | null;
  notifications: string | null;
  lock_min_retention_days: number | null;
  lock_max_retention_days: number | null;
  lock_changeable_for_days: number | null;
  lock_date: number | null;
  /** Added by migration 0002; null for older vaults. */
  storage_location: string | null;
}

export interface PlansTable extends Scoped {
  id: string;
  arn: string;
  name: string;
  version_id: string;
  document: string;
  creator_request_id: string | null;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
  last_execution_at: number | null;
}

export interface PlanVersionsTable extends Scoped {
  plan_id: string;
  version_id: string;
  name: string;
  document: string;
  created_at: number;
  deleted_at: number | null;
}

export interface SelectionsTable extends Scoped {
  id: string;
  plan_id: string;
  name: string;
  iam_role_arn: string;
  document: string;
  creator_request_id: string | null;
  created_at: number;
}

/** Columns every job table has: state machine, progress, origin, and the worker lease. */
export interface JobColumns extends Scoped {
  id: string;
  state: string;
  status_message: string | null;
  percent_done: number | null;
  bytes_transferred: number;
  backup_size_bytes: number | null;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
  updated_at: number;
  not_before: number;
  attempts: number;
  idempotency_token: string | null;
  lease_owner: string | null;
  lease_expires_at: number | null;
  created_by_plan_id: string | null;
  created_by_plan_arn: string | null;
  created_by_plan_version: string | null;
  created_by_rule_id: string | null;
  created_by_rule_name: string | null;
  resource_arn: string;
  resource_type: string;
  iam_role_arn: string | null;
  /** Added by migration 0090. */
  message_category: string | null;
  /** Added by migration 0091: backup, the key protecting its recovery point; copy, the destination's. */
  encryption_key_arn: string | null;
  created_by_plan_name: string | null;
  created_by_rule_cron: string | null;
  created_by_rule_timezone: string | null;
}

export interface BackupJobsTable extends JobColumns {
  vault_name: string;
  vault_arn: string;
  resource_name: string | null;
  recovery_point_arn: string | null;
  start_by: number | null;
  complete_by: number | null;
  scheduled_at: number | null;
  lifecycle: string | null;
  recovery_point_tags: string | null;
  backup_options: string | null;
  parent_job_id: string | null;
}

export interface RestoreJobsTable extends JobColumns {
  recovery_point_arn: string;
  vault_name: string;
  metadata: string;
  created_resource_arn: string | null;
  /** Added by migration 0091. */
  recovery_point_created_at: number | null;
}

export interface CopyJobsTable extends JobColumns {
  source_recovery_point_arn: string;
  source_vault_arn: string;
  destination_vault_arn: string;
  destination_recovery_point_arn: string | null;
  lifecycle: string | null;
  parent_job_id: string | null;
}

export interface RecoveryPointsTable extends Scoped {
  arn: string;
  id: string;
  vault_name: string;
  vault_arn: string;
  resource_arn: string;
  resource_type: string;
  resource_name: string | null;
  state: string;
  status_message: string | null;
  storage_class: string;
  created_at: number;
  completed_at: number | null;
  updated_at: number;
  delete_after_days: number | null;
  move_to_cold_after_days: number | null;
  delete_at: number | null;
  move_to_cold_at: number | null;
  encryption_key_arn: string | null;
  backup_size_bytes: number | null;
  snapshot_id: string | null;
  repository_key_id: string | null;
  source_recovery_point_arn: string | null;
  source_vault_arn: string | null;
  job_id: string | null;
  created_by_plan_id: string | null;
  created_by_plan_arn: string | null;
  created_by_plan_version: string | null;
  created_by_rule_id: string | null;
  /** Added by migration 0091. */
  created_by_plan_name: string | null;
  created_by_rule_name: string | null;
  created_by_rule_cron: string | null;
  created_by_rule_timezone: string | null;
  iam_role_arn: string | null;
  restore_metadata: string | null;
  last_restore_at: number | null;
  /** Added by migration 0008: the vault directory holding the snapshot when not the vault's own (cold storage). */
  storage_location: string | null;
  /** Added by migration 0008: the snapshot a move to cold storage has yet to forget in the warm repository. */
  warm_snapshot_id: string | null;
}

export interface RegionSettingsTable extends Scoped {
  resource_type_opt_in: string | null;
  resource_type_management: string | null;
  updated_at: number;
}

export interface GlobalSettingsTable {
  account_id: string;
  name: string;
  value: string;
  updated_at: number;
}

export interface TagsTable extends Scoped {
  resource_arn: string;
  key: string;
  value: string;
}

export interface IdempotencyTokensTable extends Scoped {
  operation: string;
  token: string;
  request_hash: string;
  response: string;
  created_at: number;
  expires_at: number;
}

export interface RepositoryKeysTable extends Scoped {
  vault_name: string;
  key_id: string;
  /** The enveloped password (base64 text); never the password itself. */
  wrapped_password: string;
  created_at: number;
}

export interface SchedulerStateTable {
  name: string;
  dispatched_until: number;
  updated_at: number;
}

export interface MaintenanceLeasesTable {
  name: string;
  holder: string;
  expires_at: number;
  updated_at: number;
}
