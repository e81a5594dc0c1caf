/**
 * iam/: IAM as Coffer needs it: ARNs, policy documents (parsing, validation) and the one policy
 * evaluator used for vault access policies and KMS key policies. It knows IAM's rules and
 * nothing of vaults, keys, HTTP or storage; callers hand it a parsed document and a request.
 *
 * This file: a policy document's decision on a request. Every statement that applies votes with
 * its Effect; an explicit Deny wins over any Allow; with no applicable statement the policy has
 * nothing to say (NotApplicable), and the combination rules in `resource-access.ts` decide.
 */
import type { AuthorizationRequest, PolicyDecision } from './authorization-request.js';
import type { PolicyDocument, PolicyStatement } from './policy-document.js';
import { requestConditionKeys } from './request-context.js';
import { statementLabel } from './statement-elements.js';
import { statementApplies } from './statement-match.js';

export type { AuthorizationRequest, PolicyDecision, PrincipalContext } from './authorization-request.js';

export function evaluatePolicy(policy: PolicyDocument, request: AuthorizationRequest): PolicyDecision {
  return explainPolicy(policy, request).decision;
}

/** The statements' Sids (or indexes) that decided, for clear error messages. */
export function explainPolicy(policy: PolicyDocument, request: AuthorizationRequest): { decision: PolicyDecision; statements: string[] } {
  const input = { request, keys: requestConditionKeys(request), variables: policy.Version === '2012-10-17' };
  const allows: string[] = [];
  const denies: string[] = [];
  for (const [index, statement] of statementsOf(policy).entries()) {
    if (!statementApplies(statement, input)) continue;
    if (statement.Effect === 'Deny') denies.push(statementLabel(statement, index));
    else if (statement.Effect === 'Allow') allows.push(statementLabel(statement, index));
  }
  if (denies.length > 0) return { decision: 'Deny', statements: denies };
  if (allows.length > 0) return { decision: 'Allow', statements: allows };
  return { decision: 'NotApplicable', statements: [] };
}

/** Tolerates a document built by hand with a lone statement object, as the JSON form allows. */
function statementsOf(policy: PolicyDocument): readonly PolicyStatement[] {
  const raw: unknown = policy.Statement;
  if (Array.isArray(raw)) return raw as readonly PolicyStatement[];
  return raw === undefined || raw === null ? [] : [raw as PolicyStatement];
}

/**
 * An identity policy's decision (a user's or role's own policy): its statements name no Principal
 * because they are about their holder, so each applies to the request's principal.
 */
export function evaluateIdentityPolicy(policy: PolicyDocument, request: AuthorizationRequest): PolicyDecision {
  return evaluatePolicy({ ...policy, Statement: statementsOf(policy).map((s) => ({ ...s, Principal: '*' })) }, request);
}
