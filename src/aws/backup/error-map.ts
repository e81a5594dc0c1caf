/**
 * The one table from the Backup domain's error codes to AWS exceptions and HTTP statuses, and
 * the wrapper that applies it to every handler. The table is exhaustive by type: a new domain
 * code does not compile until it has a row here. Knows exception names, not domain rules. The
 * one catalog error that reaches the wire is a busy catalog: temporary, so 503 (SDKs retry).
 */
import { BackupError, isServiceBusy } from '../../backup/backup-error.js';
import type { BackupErrorCode } from '../../backup/backup-error.js';
import { AwsError } from '../errors.js';
import type { OperationHandler } from '../http-handler.js';

interface ExceptionRow {
  readonly exception: string;
  readonly status: number;
}

const invalidParameter: ExceptionRow = { exception: 'InvalidParameterValueException', status: 400 };
const notFound: ExceptionRow = { exception: 'ResourceNotFoundException', status: 400 };

export const BACKUP_ERROR_MAP: Readonly<Record<BackupErrorCode, ExceptionRow>> = {
  VaultAlreadyExists: { exception: 'AlreadyExistsException', status: 400 },
  VaultNotFound: notFound,
  VaultNotEmpty: { exception: 'InvalidRequestException', status: 400 },
  InvalidVaultName: invalidParameter,
  CreatorRequestIdReused: invalidParameter,
  InvalidEncryptionKey: invalidParameter,
  MissingAccessPolicy: { exception: 'MissingParameterValueException', status: 400 },
  InvalidAccessPolicy: invalidParameter,
  AccessPolicyNotFound: notFound,
  InvalidNotificationTopic: invalidParameter,
  InvalidNotificationEvents: invalidParameter,
  NotificationsNotFound: notFound,
  InvalidArn: invalidParameter,
  UntaggableResource: invalidParameter,
  ResourceNotFound: notFound,
  ResourceInOtherAccount: { exception: 'AccessDeniedException', status: 403 },
  ResourceInOtherRegion: invalidParameter,
  InvalidTag: invalidParameter,
  TooManyTags: { exception: 'LimitExceededException', status: 400 },
  UnknownResourceType: invalidParameter,
  InvalidPaginationToken: invalidParameter,
  InvalidParameter: invalidParameter,
  InvalidLifecycle: invalidParameter,
  JobNotFound: notFound,
  JobNotStoppable: { exception: 'InvalidRequestException', status: 400 },
  RecoveryPointNotFound: notFound,
  IdempotencyTokenReused: invalidParameter,
  InvalidBackupPlan: invalidParameter,
  PlanAlreadyExists: { exception: 'AlreadyExistsException', status: 400 },
  PlanNotFound: notFound,
  PlanVersionNotFound: notFound,
  PlanHasSelections: { exception: 'InvalidRequestException', status: 400 },
  TemplateNotFound: notFound,
  InvalidBackupSelection: invalidParameter,
  // CreateBackupSelection's modeled errors have no ResourceNotFoundException.
  SelectionPlanNotFound: invalidParameter,
  SelectionAlreadyExists: { exception: 'AlreadyExistsException', status: 400 },
  SelectionNotFound: notFound,
  AccessDenied: { exception: 'AccessDeniedException', status: 403 },
  // A vault lock refusing a deletion, a shorter lifecycle, a change after its LockDate.
  VaultLocked: { exception: 'InvalidRequestException', status: 400 },
  InvalidVaultLock: invalidParameter,
  RecoveryPointHeld: { exception: 'InvalidRequestException', status: 400 },
  InvalidRecoveryPointState: { exception: 'InvalidRequestException', status: 400 },
  LegalHoldNotFound: notFound,
  LegalHoldNotCancelable: { exception: 'InvalidResourceStateException', status: 400 },
  // Global settings from an account that is not its organization's management account.
  NotManagementAccount: { exception: 'InvalidRequestException', status: 400 },
  TooManyVaults: { exception: 'LimitExceededException', status: 400 },
  TooManyPlans: { exception: 'LimitExceededException', status: 400 },
  TooManySelections: { exception: 'LimitExceededException', status: 400 },
  // AWS's words: "Backup can't perform the action that you requested until it finishes performing a previous action."
  BackupInProgress: { exception: 'ConflictException', status: 400 },
  // "Backup is already performing an action on this recovery point."
  RecoveryPointBusy: { exception: 'InvalidResourceStateException', status: 400 },
  // "A dependent Amazon Web Services service or resource returned an error": here KMS, for the vault's key.
  VaultKeyUnusable: { exception: 'DependencyFailureException', status: 500 },
  FrameworkAlreadyExists: { exception: 'AlreadyExistsException', status: 400 },
  FrameworkNotFound: notFound,
  // A framework a report plan still names.
  FrameworkInUse: { exception: 'ConflictException', status: 400 },
  TooManyFrameworks: { exception: 'LimitExceededException', status: 400 },
  ReportPlanAlreadyExists: { exception: 'AlreadyExistsException', status: 400 },
  ReportPlanNotFound: notFound,
  TooManyReportPlans: { exception: 'LimitExceededException', status: 400 },
  ReportJobNotFound: notFound,
  RestoreTestingPlanAlreadyExists: { exception: 'AlreadyExistsException', status: 400 },
  RestoreTestingPlanNotFound: notFound,
  // AWS: a plan is deleted only once its selections are.
  RestoreTestingPlanHasSelections: { exception: 'InvalidRequestException', status: 400 },
  RestoreTestingSelectionAlreadyExists: { exception: 'AlreadyExistsException', status: 400 },
  RestoreTestingSelectionNotFound: notFound,
  // PutRestoreValidationResult on a job that has not completed, or whose scratch resource is gone.
  RestoreJobNotValidatable: { exception: 'InvalidRequestException', status: 400 },
};

/** The catalog's write lock stayed taken past its busy timeout: temporary, so the SDKs retry. */
function catalogBusy(): AwsError {
  return new AwsError(
    'ServiceUnavailableException',
    'The Coffer catalog is busy: another process holds its write lock (a long write, or a second Coffer on the same catalog file). Retry in a moment; if it persists, look for another process using the catalog.',
    { status: 503 },
  );
}

export function toAwsError(error: BackupError): AwsError {
  const row = BACKUP_ERROR_MAP[error.code];
  return new AwsError(row.exception, error.message, {
    status: row.status,
    members: error.details,
    ...(error.context === undefined ? {} : { context: error.context }),
  });
}

/** The handler with domain errors answered as AWS exceptions; anything else passes through. */
export function withErrorMap(handler: OperationHandler): OperationHandler {
  return async (ctx, input) => {
    try {
      return await handler(ctx, input);
    } catch (err) {
      if (isServiceBusy(err)) throw catalogBusy();
      throw err instanceof BackupError ? toAwsError(err) : err;
    }
  };
}
