/**
 * The one table from the Backup domain's error codes to AWS exceptions and HTTP statuses, and
 * the wrapper that applies it to every handler. The table is exhaustive by type: a new domain
 * code does not compile until it has a row here. Knows exception names, not domain rules.
 */
import { BackupError } from '../../backup/backup-error.js';
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
  TargetVaultNotFound: invalidParameter,
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
};

export function toAwsError(error: BackupError): AwsError {
  const row = BACKUP_ERROR_MAP[error.code];
  return new AwsError(row.exception, error.message, {
    status: row.status, members: error.details, ...(error.context === undefined ? {} : { context: error.context }),
  });
}

/** The handler with domain errors answered as AWS exceptions; anything else passes through. */
export function withErrorMap(handler: OperationHandler): OperationHandler {
  return async (ctx, input) => {
    try {
      return await handler(ctx, input);
    } catch (err) {
      throw err instanceof BackupError ? toAwsError(err) : err;
    }
  };
}
