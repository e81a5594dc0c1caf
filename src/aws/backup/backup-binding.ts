/**
 * The AWS Backup service as the HTTP handler serves it: the model plus every operation handler,
 * each wrapped so that domain errors answer as AWS exceptions (error-map.ts). The operations
 * listed here are exactly those marked implemented or partial in operations.ts (a test checks).
 */
import type { BackupDomain } from '../../backup/backup-domain.js';
import type { OperationHandler, ServiceBinding } from '../http-handler.js';
import { BACKUP_MODEL } from '../service-model.js';
import { withErrorMap } from './error-map.js';
import { backupJobHandlers } from './handlers/backup-jobs.js';
import { copyJobHandlers } from './handlers/copy-jobs.js';
import { recoveryPointHandlers } from './handlers/recovery-points.js';
import { recoveryPointIndexHandlers } from './handlers/recovery-point-indexes.js';
import { restoreJobHandlers } from './handlers/restore-jobs.js';
import { restoreTestingHandlers } from './handlers/restore-testing.js';
import { planHandlers } from './handlers/plans.js';
import { regionSettingsHandlers } from './handlers/region-settings.js';
import { selectionHandlers } from './handlers/selections.js';
import { tagHandlers } from './handlers/tags.js';
import { vaultAccessPolicyHandlers } from './handlers/vault-access-policy.js';
import { vaultNotificationHandlers } from './handlers/vault-notifications.js';
import { vaultHandlers } from './handlers/vaults.js';
import { globalSettingsHandlers } from './handlers/global-settings.js';
import { legalHoldHandlers } from './handlers/legal-holds.js';
import { vaultLockHandlers } from './handlers/vault-lock.js';
import { frameworkHandlers } from './handlers/frameworks.js';
import { jobSummaryHandlers } from './handlers/job-summaries.js';
import { reportPlanHandlers } from './handlers/report-plans.js';

export function backupHandlers(domain: BackupDomain): Readonly<Record<string, OperationHandler>> {
  const all = {
    ...vaultHandlers(domain),
    ...vaultLockHandlers(domain),
    ...legalHoldHandlers(domain),
    ...globalSettingsHandlers(domain),
    ...backupJobHandlers(domain),
    ...restoreJobHandlers(domain),
    ...restoreTestingHandlers(domain),
    ...copyJobHandlers(domain),
    ...recoveryPointHandlers(domain),
    ...recoveryPointIndexHandlers(domain),
    ...vaultAccessPolicyHandlers(domain),
    ...vaultNotificationHandlers(domain),
    ...tagHandlers(domain),
    ...regionSettingsHandlers(domain),
    ...planHandlers(domain),
    ...selectionHandlers(domain),
    ...jobSummaryHandlers(domain),
    ...frameworkHandlers(domain),
    ...reportPlanHandlers(domain),
  };
  return Object.fromEntries(Object.entries(all).map(([name, handler]) => [name, withErrorMap(handler)]));
}

export function createBackupBinding(domain: BackupDomain): ServiceBinding {
  return { model: BACKUP_MODEL, handlers: backupHandlers(domain) };
}
