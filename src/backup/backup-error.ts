/**
 * The domain's one error type. Each carries a stable code (what went wrong, in Coffer's words),
 * a message that says what to fix, and what it is about (`context`: a name or an ARN, never a
 * secret). The wire layer turns codes into AWS exceptions through one table
 * (src/aws/backup/error-map.ts); nothing here knows exception names or HTTP statuses.
 */
import { CatalogBusyError } from '../catalog/catalog-error.js';

export type BackupErrorCode =
  | 'VaultAlreadyExists'
  | 'VaultNotFound'
  | 'VaultNotEmpty'
  | 'InvalidVaultName'
  | 'CreatorRequestIdReused'
  | 'InvalidEncryptionKey'
  | 'MissingAccessPolicy'
  | 'InvalidAccessPolicy'
  | 'AccessPolicyNotFound'
  | 'InvalidNotificationTopic'
  | 'InvalidNotificationEvents'
  | 'NotificationsNotFound'
  | 'InvalidArn'
  | 'UntaggableResource'
  | 'ResourceNotFound'
  | 'ResourceInOtherAccount'
  | 'ResourceInOtherRegion'
  | 'InvalidTag'
  | 'TooManyTags'
  | 'UnknownResourceType'
  | 'InvalidPaginationToken'
  | 'InvalidParameter'
  | 'InvalidRecoveryPointState'
  | 'InvalidLifecycle'
  | 'JobNotFound'
  | 'JobNotStoppable'
  | 'RecoveryPointNotFound'
  | 'IdempotencyTokenReused'
  | 'InvalidBackupPlan'
  | 'PlanAlreadyExists'
  | 'PlanNotFound'
  | 'PlanVersionNotFound'
  | 'PlanHasSelections'
  | 'TemplateNotFound'
  | 'InvalidBackupSelection'
  | 'SelectionPlanNotFound'
  | 'SelectionAlreadyExists'
  | 'SelectionNotFound'
  | 'AccessDenied'
  | 'VaultLocked'
  | 'InvalidVaultLock'
  | 'RecoveryPointHeld'
  | 'LegalHoldNotFound'
  | 'LegalHoldNotCancelable'
  | 'NotManagementAccount'
  | 'TooManyVaults'
  | 'TooManyPlans'
  | 'TooManySelections'
  | 'BackupInProgress'
  | 'RecoveryPointBusy'
  | 'VaultKeyUnusable'
  | 'FrameworkAlreadyExists'
  | 'FrameworkNotFound'
  | 'FrameworkInUse'
  | 'TooManyFrameworks'
  | 'ReportPlanAlreadyExists'
  | 'ReportPlanNotFound'
  | 'TooManyReportPlans'
  | 'ReportJobNotFound'
  | 'RestoreTestingPlanAlreadyExists'
  | 'RestoreTestingPlanNotFound'
  | 'RestoreTestingPlanHasSelections'
  | 'RestoreTestingSelectionAlreadyExists'
  | 'RestoreTestingSelectionNotFound'
  | 'RestoreJobNotValidatable';

export interface BackupErrorOptions {
  /** What the error is about: a name or an ARN. */
  readonly context?: string;
  /** Extra facts an AWS exception carries (e.g. the existing vault's `Arn`, `CreatorRequestId`). */
  readonly details?: Readonly<Record<string, string>>;
}

export class BackupError extends Error {
  readonly context: string | undefined;
  readonly details: Readonly<Record<string, string>>;

  constructor(
    readonly code: BackupErrorCode,
    message: string,
    options: BackupErrorOptions = {},
  ) {
    super(message);
    this.name = 'BackupError';
    this.context = options.context;
    this.details = options.details ?? {};
  }
}

/**
 * Whether `err` is a passing refusal from below the domain: the catalog's write lock held past
 * its busy timeout. The same request may succeed in a moment (the wire answers a retryable 503).
 */
export function isServiceBusy(err: unknown): boolean {
  return err instanceof CatalogBusyError;
}
