/**
 * Who may do what with a key: its key policy (evaluated by iam/'s `keyPolicyAllows`, injected
 * as `KeyPolicyCheck`) and, failing that, its grants. Cross-account callers reach only the
 * operations AWS lets other accounts perform (cryptography, DescribeKey, grants); everything
 * else about a key is its own account's business whatever its policy says. A denial names the
 * caller, the action and the key, in AWS's words.
 */
import type { KmsGrantRecord, KmsGrantStore } from '../catalog/kms-grants.js';
import type { AuthorizationRequest } from '../iam/policy-evaluator.js';
import type { PolicyDocument } from '../iam/policy-document.js';
import { parsePolicyDocument } from '../iam/policy-document.js';
import { contextEquals, contextIncludes } from './encryption-context.js';
import type { EncryptionContext } from './encryption-context.js';
import { accessDenied } from './kms-error.js';
import type { KmsKey } from './kms-key.js';
import type { KmsScope } from './kms-scope.js';

/** iam/'s `keyPolicyAllows`, or a stand-in with its contract (tests). */
export type KeyPolicyCheck = (policy: PolicyDocument, request: AuthorizationRequest) => { readonly allowed: boolean; readonly reason: string };

/** Operation names as grants list them (GrantOperation) and as `kms:<name>` actions. */
export type KmsOperation =
  | 'Encrypt'
  | 'Decrypt'
  | 'ReEncryptFrom'
  | 'ReEncryptTo'
  | 'GenerateDataKey'
  | 'GenerateDataKeyWithoutPlaintext'
  | 'DescribeKey'
  | 'CreateGrant'
  | 'ListGrants'
  | 'RevokeGrant'
  | 'RetireGrant'
  | 'GetKeyPolicy'
  | 'PutKeyPolicy'
  | 'ListKeyPolicies'
  | 'EnableKey'
  | 'DisableKey'
  | 'ScheduleKeyDeletion'
  | 'CancelKeyDeletion'
  | 'TagResource'
  | 'UntagResource'
  | 'ListResourceTags'
  | 'CreateAlias'
  | 'DeleteAlias'
  | 'UpdateAlias'
  | 'GetKeyRotationStatus'
  | 'EnableKeyRotation'
  | 'DisableKeyRotation'
  | 'RotateKeyOnDemand'
  | 'ListKeyRotations'
  | 'Sign'
  | 'Verify'
  | 'GetPublicKey'
  | 'GenerateMac'
  | 'VerifyMac'
  | 'DeriveSharedSecret'
  | 'GenerateDataKeyPair'
  | 'GenerateDataKeyPairWithoutPlaintext'
  | 'UpdateKeyDescription'
  | 'GetParametersForImport'
  | 'ImportKeyMaterial'
  | 'DeleteImportedKeyMaterial'
  | 'GetKeyLastUsage'
  | 'ReplicateKey'
  | 'UpdatePrimaryRegion';

const CROSS_ACCOUNT: ReadonlySet<KmsOperation> = new Set<KmsOperation>([
  'Encrypt',
  'Decrypt',
  'ReEncryptFrom',
  'ReEncryptTo',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'DescribeKey',
  'CreateGrant',
  'ListGrants',
  'RevokeGrant',
  'RetireGrant',
  'GetKeyRotationStatus',
  'Sign',
  'Verify',
  'GetPublicKey',
  'GenerateMac',
  'VerifyMac',
  'DeriveSharedSecret',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
]);

/** Operations a grant can allow (GrantOperation), as AWS allows them per kind of key. */
const ANY_KEY = ['CreateGrant', 'RetireGrant', 'DescribeKey'];
const SYMMETRIC_GRANTABLE = [
  'Encrypt',
  'Decrypt',
  'ReEncryptFrom',
  'ReEncryptTo',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  ...ANY_KEY,
];

/** The grant operations a key of `keySpec` and `keyUsage` accepts. */
export function grantableFor(keySpec: string, keyUsage: string): readonly string[] {
  if (keyUsage === 'SIGN_VERIFY') return ['Sign', 'Verify', 'GetPublicKey', ...ANY_KEY];
  if (keyUsage === 'GENERATE_VERIFY_MAC') return ['GenerateMac', 'VerifyMac', ...ANY_KEY];
  if (keyUsage === 'KEY_AGREEMENT') return ['DeriveSharedSecret', 'GetPublicKey', ...ANY_KEY];
  if (keySpec !== 'SYMMETRIC_DEFAULT') return ['Encrypt', 'Decrypt', 'ReEncryptFrom', 'ReEncryptTo', 'GetPublicKey', ...ANY_KEY];
  return SYMMETRIC_GRANTABLE;
}

/** Operations that take an encryption context, so a grant constraint can apply to them. */
export const CONTEXT_OPERATIONS: ReadonlySet<string> = new Set([
  'Encrypt',
  'Decrypt',
  'ReEncryptFrom',
  'ReEncryptTo',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'CreateGrant',
  'RetireGrant',
  'DescribeKey',
]);

export interface KeyAccessDeps {
  readonly grants: Pick<KmsGrantStore, 'forGrantee'>;
  readonly policyCheck: KeyPolicyCheck;
  /** The caller's organization id, if its account belongs to one. */
  readonly organizationOf?: ((accountId: string) => string | undefined) | undefined;
}

export interface KeyAccess {
  /** Throws AccessDenied unless the key policy or a grant allows `operation` to the caller. */
  authorize(scope: KmsScope, key: KmsKey, operation: KmsOperation, context?: EncryptionContext): Promise<void>;
  /** Whether `policy` (not yet stored) would let the caller change it later: the lockout check. */
  allowsPolicyChange(scope: KmsScope, keyArn: string, policy: PolicyDocument): boolean;
}

export function requestFor(
  scope: KmsScope,
  keyArn: string,
  action: string,
  organizationOf: KeyAccessDeps['organizationOf'],
  context?: EncryptionContext,
): AuthorizationRequest {
  const orgId = organizationOf?.(scope.accountId);
  const conditions: Record<string, string> = {
    'kms:CallerAccount': scope.accountId,
    'aws:PrincipalAccount': scope.accountId,
    'aws:PrincipalArn': scope.principal,
    ...(orgId === undefined ? {} : { 'aws:PrincipalOrgID': orgId }),
    ...(scope.viaService === undefined ? {} : { 'kms:ViaService': `${scope.viaService}.${scope.region}.amazonaws.com` }),
  };
  for (const [key, value] of Object.entries(context ?? {})) conditions[`kms:EncryptionContext:${key}`] = value;
  return {
    principal: {
      accountId: scope.accountId,
      arn: scope.principal,
      ...(orgId === undefined ? {} : { orgId }),
      ...(scope.viaService === undefined ? {} : { service: `${scope.viaService}.amazonaws.com` }),
    },
    action,
    resource: keyArn,
    context: conditions,
  };
}

function grantAllows(grant: KmsGrantRecord, operation: KmsOperation, context: EncryptionContext | undefined): boolean {
  if (!grant.operations.includes(operation)) return false;
  const equals = grant.constraints?.EncryptionContextEquals;
  const subset = grant.constraints?.EncryptionContextSubset;
  return (equals === undefined || contextEquals(context, equals)) && (subset === undefined || contextIncludes(context, subset));
}

export function createKeyAccess(deps: KeyAccessDeps): KeyAccess {
  const check = (policy: PolicyDocument | string, request: AuthorizationRequest) =>
    typeof policy === 'string' ? { allowed: false, reason: policy } : deps.policyCheck(policy, request);

  return {
    async authorize(scope, key, operation, context) {
      const action = `kms:${operation}`;
      const crossAccount = key.accountId !== scope.accountId;
      if (crossAccount && !CROSS_ACCOUNT.has(operation)) throw accessDenied(scope.principal, action, key.arn);
      const verdict = check(parsePolicyDocument(key.policy), requestFor(scope, key.arn, action, deps.organizationOf, context));
      if (verdict.allowed) return;
      const explicitDeny = /explicit/i.test(verdict.reason);
      if (!explicitDeny) {
        const grants = await deps.grants.forGrantee({ accountId: key.accountId, region: key.region }, key.keyId, scope.principal);
        if (grants.some((g) => grantAllows(g, operation, context))) return;
      }
      throw accessDenied(scope.principal, action, key.arn, explicitDeny);
    },

    allowsPolicyChange(scope, keyArn, policy) {
      return deps.policyCheck(policy, requestFor(scope, keyArn, 'kms:PutKeyPolicy', deps.organizationOf)).allowed;
    },
  };
}
