/**
 * catalog/: Coffer's persistence, behind typed stores grouped by concept. Callers never see
 * SQL, and nothing here knows HTTP, AWS wire shapes or the vault format. The queries are
 * dialect-neutral Kysely; what differs between SQLite and PostgreSQL is in dialect.ts.
 */
import type { Kysely } from 'kysely';
import type { Database } from './database.js';
import type { CatalogDialect } from './dialect.js';
import { createAuditEvidenceStore } from './audit-evidence.js';
import type { AuditEvidenceStore } from './audit-evidence.js';
import { createFrameworkStore } from './audit-frameworks.js';
import type { FrameworkStore } from './audit-frameworks.js';
import { createIamEntityStore } from './iam-entities.js';
import type { IamEntityStore } from './iam-entities.js';
import { createIdempotencyStore } from './idempotency.js';
import type { IdempotencyStore } from './idempotency.js';
import { createJobStore } from './jobs.js';
import { createLegalHoldStore } from './legal-holds.js';
import { createRecoveryPointIndexStore } from './recovery-point-indexes.js';
import { createSearchJobStore } from './search-jobs.js';
import type { SearchJobStore } from './search-jobs.js';
import type { RecoveryPointIndexStore } from './recovery-point-indexes.js';
import type { LegalHoldStore } from './legal-holds.js';
import { createKmsAliasStore } from './kms-aliases.js';
import type { KmsAliasStore } from './kms-aliases.js';
import { createKmsGrantStore } from './kms-grants.js';
import type { KmsGrantStore } from './kms-grants.js';
import { createKmsKeyMaterialStore } from './kms-key-materials.js';
import type { KmsKeyMaterialStore } from './kms-key-materials.js';
import { createKmsKeyStore } from './kms-keys.js';
import type { KmsKeyStore } from './kms-keys.js';
import { createJobWindowStore } from './job-windows.js';
import type { JobWindowStore } from './job-windows.js';
import type { JobStore } from './jobs.js';
import { createNotificationOutboxStore } from './notification-outbox.js';
import type { NotificationOutboxStore } from './notification-outbox.js';
import { createSignalStatsStore } from './signal-stats.js';
import type { SignalStatsStore } from './signal-stats.js';
import { createPlanStore } from './plans.js';
import type { PlanStore } from './plans.js';
import { createRecoveryPointStore } from './recovery-points.js';
import type { RecoveryPointStore } from './recovery-points.js';
import { createReportPlanStore } from './report-plans.js';
import type { ReportPlanStore } from './report-plans.js';
import { createRepositoryKeyStore } from './repository-keys.js';
import { createRestoreJobTestStore } from './restore-job-tests.js';
import type { RestoreJobTestStore } from './restore-job-tests.js';
import { createRestoreTestingStore } from './restore-testing.js';
import type { RestoreTestingStore } from './restore-testing.js';
import type { RepositoryKeyStore } from './repository-keys.js';
import { createSchedulerStateStore } from './scheduler-state.js';
import { createMaintenanceLeaseStore } from './maintenance-leases.js';
import type { MaintenanceLeaseStore } from './maintenance-leases.js';
import type { SchedulerStateStore } from './scheduler-state.js';
import { createSelectionStore } from './selections.js';
import type { SelectionStore } from './selections.js';
import { createSettingsStore } from './settings.js';
import type { SettingsStore } from './settings.js';
import { createTagStore } from './tags.js';
import type { TagStore } from './tags.js';
import { createVaultStore } from './vaults.js';
import type { VaultStore } from './vaults.js';
import { wipeTables } from './wipe.js';

export interface CatalogStores {
  readonly vaults: VaultStore;
  readonly plans: PlanStore;
  readonly selections: SelectionStore;
  readonly jobs: JobStore;
  readonly recoveryPoints: RecoveryPointStore;
  readonly settings: SettingsStore;
  readonly tags: TagStore;
  readonly idempotency: IdempotencyStore;
  readonly repositoryKeys: RepositoryKeyStore;
  readonly schedulerState: SchedulerStateStore;
  readonly maintenanceLeases: MaintenanceLeaseStore;
  readonly jobWindows: JobWindowStore;
  readonly kmsKeys: KmsKeyStore;
  readonly kmsAliases: KmsAliasStore;
  readonly kmsGrants: KmsGrantStore;
  readonly kmsKeyMaterials: KmsKeyMaterialStore;
  readonly legalHolds: LegalHoldStore;
  readonly recoveryPointIndexes: RecoveryPointIndexStore;
  readonly searchJobs: SearchJobStore;
  readonly iam: IamEntityStore;
  readonly notificationOutbox: NotificationOutboxStore;
  readonly restoreTesting: RestoreTestingStore;
  readonly restoreJobTests: RestoreJobTestStore;
  /** Figures across every account, for /metrics. */
  readonly stats: SignalStatsStore;
  readonly frameworks: FrameworkStore;
  readonly reportPlans: ReportPlanStore;
  /** Cross-account reads for audit (job summaries, reports, controls). */
  readonly auditEvidence: AuditEvidenceStore;
}

export interface Catalog extends CatalogStores {
  readonly dialect: CatalogDialect['name'];
  /**
   * Runs `fn` with stores bound to one transaction: all its writes commit together or none do.
   * On SQLite the transaction holds the write lock from its start, so keep it short.
   */
  transaction<T>(fn: (stores: CatalogStores) => Promise<T>): Promise<T>;
  /** Deletes every row of every table (sandbox reset); the schema stays. */
  wipe(): Promise<void>;
  close(): Promise<void>;
}

function createStores(db: Kysely<Database>, dialect: CatalogDialect): CatalogStores {
  const ctx = { db, dialect };
  return {
    vaults: createVaultStore(ctx),
    plans: createPlanStore(ctx),
    selections: createSelectionStore(ctx),
    jobs: createJobStore(ctx),
    recoveryPoints: createRecoveryPointStore(ctx),
    settings: createSettingsStore(ctx),
    tags: createTagStore(ctx),
    idempotency: createIdempotencyStore(ctx),
    repositoryKeys: createRepositoryKeyStore(ctx),
    kmsKeys: createKmsKeyStore(ctx),
    kmsAliases: createKmsAliasStore(ctx),
    kmsGrants: createKmsGrantStore(ctx),
    kmsKeyMaterials: createKmsKeyMaterialStore(ctx),
    legalHolds: createLegalHoldStore(ctx),
    recoveryPointIndexes: createRecoveryPointIndexStore(ctx),
    searchJobs: createSearchJobStore(ctx),
    iam: createIamEntityStore(ctx),
    schedulerState: createSchedulerStateStore(ctx),
    maintenanceLeases: createMaintenanceLeaseStore(ctx),
    jobWindows: createJobWindowStore(ctx),
    notificationOutbox: createNotificationOutboxStore(ctx),
    restoreTesting: createRestoreTestingStore(ctx),
    restoreJobTests: createRestoreJobTestStore(ctx),
    stats: createSignalStatsStore(ctx),
    frameworks: createFrameworkStore(ctx),
    reportPlans: createReportPlanStore(ctx),
    auditEvidence: createAuditEvidenceStore(ctx),
  };
}

export function createCatalog(db: Kysely<Database>, dialect: CatalogDialect): Catalog {
  return {
    ...createStores(db, dialect),
    dialect: dialect.name,
    transaction: (fn) => db.transaction().execute((trx) => fn(createStores(trx, dialect))),
    wipe: () => wipeTables(db),
    close: () => db.destroy(),
  };
}
