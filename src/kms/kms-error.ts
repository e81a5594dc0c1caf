/**
 * kms/: keys, aliases, key policies, grants, envelope encryption and AWS managed keys. It knows
 * KMS's rules and its ciphertext format; it knows nothing of HTTP, wire shapes or SQL (the
 * catalog's stores), nor of AWS Backup (which calls it, never the other way round).
 *
 * This file: the domain's one error type, with a stable code. The wire layer maps codes to AWS
 * exceptions through one table (src/aws/kms/error-map.ts); nothing here names an exception or
 * an HTTP status. Messages follow AWS's wording where callers match on it.
 */

export type KmsErrorCode =
  | 'NotFound'
  | 'AlreadyExists'
  | 'InvalidAliasName'
  | 'InvalidArn'
  | 'Disabled'
  | 'InvalidState'
  | 'InvalidCiphertext'
  | 'IncorrectKey'
  | 'InvalidKeyUsage'
  | 'AccessDenied'
  | 'MalformedPolicyDocument'
  | 'UnsupportedOperation'
  | 'InvalidParameter'
  | 'InvalidMarker'
  | 'InvalidGrantId'
  | 'InvalidTag'
  | 'LimitExceeded'
  | 'DryRun'
  | 'InvalidSignature'
  | 'InvalidMac'
  | 'InvalidGrantToken'
  | 'CustomKeyStoreNotFound'
  | 'CloudHsmClusterNotFound'
  | 'XksProxyUriUnreachable'
  | 'InvalidImportToken'
  | 'ExpiredImportToken'
  | 'IncorrectKeyMaterial'
  | 'Conflict';

export class KmsError extends Error {
  constructor(
    readonly code: KmsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'KmsError';
  }
}

/** The AWS message for a call the key policy and grants do not allow. */
export function accessDenied(principal: string, action: string, keyArn: string, explicitDeny = false): KmsError {
  const why = explicitDeny ? `with an explicit deny in a resource-based policy` : `because no resource-based policy allows the ${action} action`;
  return new KmsError('AccessDenied', `User: ${principal} is not authorized to perform: ${action} on resource: ${keyArn} ${why}`);
}

/** A DryRun request that would have succeeded. */
export function dryRun(): KmsError {
  return new KmsError('DryRun', 'The request would have succeeded, but the DryRun option is set.');
}

/** AWS's answer for a custom key store id when the account has none. */
export function customKeyStoreNotFound(id: string): KmsError {
  return new KmsError('CustomKeyStoreNotFound', `Custom key store ${id} does not exist in this account and region.`);
}
