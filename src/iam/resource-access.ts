/**
 * Coffer's rules for combining a resource policy with the caller's own permissions. Coffer's
 * principals are account roots whose identity policies allow everything in their own account,
 * so only the resource side can refuse: an explicit Deny refuses anyone, and a caller from
 * another account needs an Allow. KMS key policies are stricter: they alone decide, even for the
 * key's own account. Each answer carries the reason in words fit for an AWS error message.
 */
import { principalWording, resourceWording, statementsWording } from './access-wording.js';
import type { AuthorizationRequest } from './authorization-request.js';
import type { PolicyDocument } from './policy-document.js';
import { explainPolicy } from './policy-evaluator.js';

export interface AccessAnswer {
  readonly allowed: boolean;
  readonly reason: string;
}

/** Same account: allowed unless the resource policy explicitly denies. Another account: allowed only when the resource policy allows and does not deny. No policy: same account only. */
export function resourcePolicyAllows(policy: PolicyDocument | undefined, request: AuthorizationRequest, resourceAccountId: string): AccessAnswer {
  const words = resourceWording(request.resource);
  const who = principalWording(request.principal);
  const sameAccount = request.principal.accountId === resourceAccountId;
  if (policy === undefined) {
    return sameAccount
      ? { allowed: true, reason: `${words.resource} belongs to ${who} and has no resource policy restricting ${request.action}` }
      : {
          allowed: false,
          reason: `${words.resource} belongs to account ${resourceAccountId} and has no resource policy, so ${who} may not ${request.action} on it`,
        };
  }
  const { decision, statements } = explainPolicy(policy, request);
  if (decision === 'Deny') return { allowed: false, reason: `${words.policy} explicitly denies ${who} ${request.action} (${statementsWording(statements)})` };
  if (decision === 'Allow') return { allowed: true, reason: `${words.policy} allows ${who} ${request.action} (${statementsWording(statements)})` };
  return sameAccount
    ? { allowed: true, reason: `${words.resource} belongs to ${who} and ${words.policy} does not deny ${request.action}` }
    : { allowed: false, reason: `${words.policy} has no statement allowing ${who} ${request.action}` };
}

/** KMS key policies are authoritative: allowed only when the key policy allows (an Allow to the account root `arn:aws:iam::<acct>:root` or the account id covers every principal of that account) and does not deny. */
export function keyPolicyAllows(policy: PolicyDocument, request: AuthorizationRequest): AccessAnswer {
  const words = resourceWording(request.resource);
  const who = principalWording(request.principal);
  const { decision, statements } = explainPolicy(policy, request);
  if (decision === 'Deny') return { allowed: false, reason: `${words.policy} explicitly denies ${who} ${request.action} (${statementsWording(statements)})` };
  if (decision === 'Allow') return { allowed: true, reason: `${words.policy} allows ${who} ${request.action} (${statementsWording(statements)})` };
  return { allowed: false, reason: `${words.policy} has no statement allowing ${who} ${request.action}` };
}
