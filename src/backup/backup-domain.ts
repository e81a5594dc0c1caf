/**
 * The AWS Backup domain assembled: one service per concept, built from the catalog, the clock
 * and where each region's vaults are stored. The composition root (server/) builds it once.
 */
import type { Catalog } from '../catalog/catalog.js';
import { createAuditDomain } from './audit/audit-domain.js';
import type { AuditDomain } from './audit/audit-domain.js';
import type { ReportSink } from './audit/report-jobs.js';
import { createHeldKeys } from '../kms/held-keys.js';
import { createJobLedger } from './jobs/job-ledger.js';
import type { JobLedger } from './jobs/job-ledger.js';
import type { VaultKeyStates } from './vault-key-state.js';
import { createPlanService } from './backup-plans.js';
import type { PlanService } from './backup-plans.js';
import { createSelectionService } from './backup-selections.js';
import type { SelectionService } from './backup-selections.js';
import type { Clock } from './clock.js';
import { createGlobalSettingsService } from './global-settings.js';
import type { BackupOrganization, GlobalSettingsService } from './global-settings.js';
import { createLegalHoldService } from './legal-holds.js';
import type { LegalHoldService } from './legal-holds.js';
import { createVaultLockService } from './vault-lock.js';
import type { VaultLockService } from './vault-lock.js';
import { randomIds } from './id-source.js';
import type { IdSource } from './id-source.js';
import { createRegionSettingsService } from './region-settings.js';
import type { RegionSettingsService } from './region-settings.js';
import { createResourceTagService } from './resource-tags.js';
import type { ResourceTagService } from './resource-tags.js';
import { createBackupJobService } from './backup-jobs.js';
import { createCopyJobService } from './copy-jobs.js';
import type { CopyJobService } from './copy-jobs.js';
import type { BackupJobService } from './backup-jobs.js';
import type { ResourceLister, ResourceLookup } from './protected-resource.js';
import { createRecoveryPointService } from './recovery-points.js';
import type { RecoveryPointEraser, RecoveryPointService } from './recovery-points.js';
import { createRecoveryPointIndexService } from './recovery-point-indexes.js';
import type { IndexEventSink, RecoveryPointIndexService } from './recovery-point-indexes.js';
import { createRestoreJobService } from './restore-jobs.js';
import type { RestoreJobService } from './restore-jobs.js';
import { SUPPORTED_RESOURCE_TYPES } from './resource-types.js';
import { createRestoreTestingService } from './restore-testing/restore-testing-plans.js';
import type { RestoreTestingService } from './restore-testing/restore-testing-plans.js';
import { createRestoreValidationService } from './restore-testing/restore-validations.js';
import type { RestoreValidationService } from './restore-testing/restore-validations.js';
import { createVaultAccessPolicyService } from './vault-access-policy.js';
import type { VaultAccessPolicyService } from './vault-access-policy.js';
import { createVaultNotificationService } from './vault-notifications.js';
import type { VaultNotificationService } from './vault-notifications.js';
import { createVaultService } from './vaults.js';
import type { VaultService } from './vaults.js';

export interface BackupDomainDeps {
  readonly catalog: Catalog;
  readonly clock: Clock;
  /** The storage root URL (`file:/srv/coffer/vaults/us-east-1`) of a region the service serves. */
  readonly storageRoot: (region: string) => string;
  /** A region's cold storage root URL, when it names one. */
  readonly coldStorageRoot?: ((region: string) => string | undefined) | undefined;
  /** Removes what is left of a deleted vault at a storage URL (server/ wires its storage factory). */
  readonly removeStorage?: (location: string | undefined) => Promise<void>;
  /** New plan, rule, selection, job and recovery point IDs; random UUIDs unless a test injects its own. */
  readonly ids?: IdSource;
  /** The one writer of job and recovery-point state; server/ shares one with the runners and the scheduler. Default: one over `catalog`. */
  readonly ledger?: JobLedger;
  /** What the KMS domain holds of a vault's key (kms/held-keys.ts); default: read through kms/ from `catalog`. */
  readonly keyStates?: VaultKeyStates;
  /** The configured resources, by ARN; default: none. */
  readonly resources?: ResourceLookup;
  /** Every configured resource of an account and region (audit controls evaluate them); default: none. */
  readonly listResources?: ResourceLister;
  /** Where report plans' reports are written (server/ maps buckets to storage through config `reports`). */
  readonly reports?: ReportSink;
  /** Removes a deleted recovery point's data (server/ wires the job runner's); default: only the row. */
  readonly eraseRecoveryPoint?: RecoveryPointEraser;
  /** The config's organization; undefined when it names none (every account stands alone). */
  readonly organization?: BackupOrganization | undefined;
  /** Where the domain's warnings go (the server's log), e.g. a selection naming a resource Coffer does not know. */
  readonly warn?: ((line: string) => void) | undefined;
  /** Where recovery point index events go (server/ wires the notification outbox). */
  readonly indexEvents?: IndexEventSink | undefined;
  /** Tells this node's indexer that an index was asked for (server/ wires jobs/index-recovery-points.ts). */
  readonly nudgeIndexer?: (() => void) | undefined;
}

export interface BackupDomain {
  readonly vaults: VaultService;
  readonly vaultAccessPolicies: VaultAccessPolicyService;
  readonly vaultNotifications: VaultNotificationService;
  readonly tags: ResourceTagService;
  readonly regionSettings: RegionSettingsService;
  readonly supportedResourceTypes: () => readonly string[];
  readonly plans: PlanService;
  readonly selections: SelectionService;
  readonly backupJobs: BackupJobService;
  readonly restoreJobs: RestoreJobService;
  readonly copyJobs: CopyJobService;
  readonly recoveryPoints: RecoveryPointService;
  readonly recoveryPointIndexes: RecoveryPointIndexService;
  readonly vaultLocks: VaultLockService;
  readonly legalHolds: LegalHoldService;
  readonly globalSettings: GlobalSettingsService;
  readonly restoreTesting: RestoreTestingService;
  readonly restoreValidations: RestoreValidationService;
  /** Audit Manager: frameworks, report plans and jobs, job summaries. */
  readonly audit: AuditDomain;
}

export function createBackupDomain(options: BackupDomainDeps): BackupDomain {
  const deps = {
    ...options,
    ids: options.ids ?? randomIds,
    ledger: options.ledger ?? createJobLedger({ catalog: options.catalog, clock: options.clock }),
    keyStates: options.keyStates ?? createHeldKeys(options.catalog),
  };
  return {
    vaults: createVaultService(deps),
    vaultAccessPolicies: createVaultAccessPolicyService(deps),
    vaultNotifications: createVaultNotificationService(deps),
    tags: createResourceTagService(deps),
    regionSettings: createRegionSettingsService(deps),
    supportedResourceTypes: () => SUPPORTED_RESOURCE_TYPES,
    plans: createPlanService(deps),
    selections: createSelectionService(deps),
    backupJobs: createBackupJobService({ ...deps, resources: deps.resources ?? (async () => undefined) }),
    restoreJobs: createRestoreJobService(deps),
    copyJobs: createCopyJobService(deps),
    vaultLocks: createVaultLockService(deps),
    legalHolds: createLegalHoldService(deps),
    globalSettings: createGlobalSettingsService(deps),
    restoreTesting: createRestoreTestingService(deps),
    restoreValidations: createRestoreValidationService(deps),
    audit: createAuditDomain(deps),
    recoveryPointIndexes: createRecoveryPointIndexService({ ...deps, sink: deps.indexEvents, nudge: deps.nudgeIndexer }),
    recoveryPoints: createRecoveryPointService({
      ...deps,
      eraseRecoveryPoint: deps.eraseRecoveryPoint ?? ((scope, point) => void deps.ledger.removePoint(scope, point, 'erase')),
    }),
  };
}
