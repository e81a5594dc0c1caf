/** GetKeyPolicy, PutKeyPolicy, ListKeyPolicies: wire shapes to the KMS domain. */
import type { KmsDomain } from '../../../kms/kms-domain.js';
import type { OperationHandler } from '../../http-handler.js';
import { kmsScopeOf, listOutput, optionalBoolean, optionalString, requiredString } from './wire-input.js';

export function keyPolicyHandlers(kms: KmsDomain): Readonly<Record<string, OperationHandler>> {
  const policies = kms.keyPolicies;
  return {
    async GetKeyPolicy(ctx, input) {
      const policy = await policies.get(kmsScopeOf(ctx), requiredString(input, 'KeyId'), optionalString(input, 'PolicyName'));
      return { Policy: policy, PolicyName: 'default' };
    },

    async PutKeyPolicy(ctx, input) {
      await policies.put(kmsScopeOf(ctx), requiredString(input, 'KeyId'), {
        policy: requiredString(input, 'Policy'),
        policyName: optionalString(input, 'PolicyName'),
        bypassPolicyLockoutSafetyCheck: optionalBoolean(input, 'BypassPolicyLockoutSafetyCheck'),
      });
    },

    async ListKeyPolicies(ctx, input) {
      const names = await policies.list(kmsScopeOf(ctx), requiredString(input, 'KeyId'));
      return listOutput('PolicyNames', { items: names, nextMarker: undefined });
    },
  };
}
