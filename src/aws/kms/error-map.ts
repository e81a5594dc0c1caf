/**
 * The one table from the KMS domain's error codes to AWS exceptions, and the wrapper that
 * applies it to every KMS handler. Exhaustive by type: a new code does not compile until it has
 * a row. KMS answers every client error, AccessDeniedException included, with HTTP 400.
 */
import { KmsError } from '../../kms/kms-error.js';
import type { KmsErrorCode } from '../../kms/kms-error.js';
import { AwsError } from '../errors.js';
import type { OperationHandler } from '../http-handler.js';

export const KMS_ERROR_MAP: Readonly<Record<KmsErrorCode, string>> = {
  NotFound: 'NotFoundException',
  AlreadyExists: 'AlreadyExistsException',
  InvalidAliasName: 'InvalidAliasNameException',
  InvalidArn: 'InvalidArnException',
  Disabled: 'DisabledException',
  InvalidState: 'KMSInvalidStateException',
  InvalidCiphertext: 'InvalidCiphertextException',
  IncorrectKey: 'IncorrectKeyException',
  InvalidKeyUsage: 'InvalidKeyUsageException',
  AccessDenied: 'AccessDeniedException',
  MalformedPolicyDocument: 'MalformedPolicyDocumentException',
  UnsupportedOperation: 'UnsupportedOperationException',
  InvalidParameter: 'ValidationException',
  InvalidMarker: 'InvalidMarkerException',
  InvalidGrantId: 'InvalidGrantIdException',
  InvalidTag: 'TagException',
  LimitExceeded: 'LimitExceededException',
  DryRun: 'DryRunOperationException',
  InvalidSignature: 'KMSInvalidSignatureException',
  InvalidMac: 'KMSInvalidMacException',
  InvalidGrantToken: 'InvalidGrantTokenException',
  CustomKeyStoreNotFound: 'CustomKeyStoreNotFoundException',
  CloudHsmClusterNotFound: 'CloudHsmClusterNotFoundException',
  XksProxyUriUnreachable: 'XksProxyUriUnreachableException',
  InvalidImportToken: 'InvalidImportTokenException',
  ExpiredImportToken: 'ExpiredImportTokenException',
  IncorrectKeyMaterial: 'IncorrectKeyMaterialException',
  Conflict: 'ConflictException',
};

export function toAwsError(error: KmsError): AwsError {
  return new AwsError(KMS_ERROR_MAP[error.code], error.message, { status: 400 });
}

/** The handler with KMS domain errors answered as AWS exceptions; anything else passes through. */
export function withKmsErrorMap(handler: OperationHandler): OperationHandler {
  return async (ctx, input) => {
    try {
      return await handler(ctx, input);
    } catch (err) {
      throw err instanceof KmsError ? toAwsError(err) : err;
    }
  };
}
