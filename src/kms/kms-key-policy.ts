/**
 * GetKeyPolicy, PutKeyPolicy, ListKeyPolicies. A key has one policy, named `default`. An AWS
 * managed key's policy is AWS's and never changes: its own policy does not allow
 * kms:PutKeyPolicy to anyone, and the domain refuses it even if it did.
 */
import { checkKeyPolicy } from './key-policy-text.js';
import { DEFAULT_POLICY_NAME } from './key-policies.js';
import { checkNotPendingDeletion } from './kms-key.js';
import type { KmsContext } from './kms-context.js';
import { KmsError } from './kms-error.js';
import type { KmsScope } from './kms-scope.js';

export interface PutKeyPolicyInput {
  readonly policy: string;
  readonly policyName?: string | undefined;
  readonly bypassPolicyLockoutSafetyCheck?: boolean | undefined;
}

export interface KmsKeyPolicies {
  get(scope: KmsScope, keyRef: string, policyName: string | undefined): Promise<string>;
  put(scope: KmsScope, keyRef: string, input: PutKeyPolicyInput): Promise<void>;
  list(scope: KmsScope, keyRef: string): Promise<readonly string[]>;
}

function checkPolicyName(name: string | undefined): void {
  if (name !== undefined && name !== DEFAULT_POLICY_NAME) {
    throw new KmsError('NotFound', `No such policy exists: ${name}. A KMS key has one policy, named ${DEFAULT_POLICY_NAME}.`);
  }
}

export function createKmsKeyPolicies(ctx: KmsContext): KmsKeyPolicies {
  const { loader, access } = ctx;
  return {
    async get(scope, keyRef, policyName) {
      const { key } = await loader.load(scope, keyRef, 'GetKeyPolicy');
      await access.authorize(scope, key, 'GetKeyPolicy');
      checkPolicyName(policyName);
      return key.policy;
    },

    async put(scope, keyRef, input) {
      const { key } = await loader.load(scope, keyRef, 'PutKeyPolicy');
      await access.authorize(scope, key, 'PutKeyPolicy');
      checkPolicyName(input.policyName);
      if (key.keyManager === 'AWS') throw new KmsError('UnsupportedOperation', `${key.arn} is an AWS managed key: its key policy cannot be changed.`);
      checkNotPendingDeletion(key);
      checkKeyPolicy(access, scope, key.arn, input.policy, input.bypassPolicyLockoutSafetyCheck === true);
      await ctx.stores.kmsKeys.update(key, key.keyId, { policy: input.policy });
    },

    async list(scope, keyRef) {
      const { key } = await loader.load(scope, keyRef, 'ListKeyPolicies');
      await access.authorize(scope, key, 'ListKeyPolicies');
      return [DEFAULT_POLICY_NAME];
    },
  };
}
