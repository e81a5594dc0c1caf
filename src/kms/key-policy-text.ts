/**
 * Checking a key policy a caller wants to set (CreateKey, PutKeyPolicy): it must be a policy
 * document, and unless the caller bypasses the lockout safety check, it must still let the
 * caller change it afterwards, as AWS checks.
 */
import { parsePolicyDocument } from '../iam/policy-document.js';
import type { KeyAccess } from './key-access.js';
import { KmsError } from './kms-error.js';
import type { KmsScope } from './kms-scope.js';

export function checkKeyPolicy(access: KeyAccess, scope: KmsScope, keyArn: string, text: string, bypassLockoutCheck: boolean): void {
  const policy = parsePolicyDocument(text);
  if (typeof policy === 'string') throw new KmsError('MalformedPolicyDocument', `The key policy is not a valid policy document: ${policy}.`);
  if (!bypassLockoutCheck && !access.allowsPolicyChange(scope, keyArn, policy)) {
    throw new KmsError(
      'MalformedPolicyDocument',
      `The new key policy will not allow you to update the key policy in the future: it must allow ${scope.principal} kms:PutKeyPolicy (or set BypassPolicyLockoutSafetyCheck).`,
    );
  }
}
