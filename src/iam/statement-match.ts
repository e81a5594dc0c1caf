/**
 * Whether one statement applies to a request: it names the caller (Principal / NotPrincipal),
 * the action (Action / NotAction, wildcards, no case) and the resource (Resource / NotResource,
 * wildcards, case kept), and its Condition holds. The Effect is the evaluator's business.
 */
import type { AuthorizationRequest } from './authorization-request.js';
import { conditionHolds } from './policy-condition.js';
import type { PolicyStatement } from './policy-document.js';
import { substituteVariables } from './policy-variables.js';
import { principalNamed } from './principal-match.js';
import type { ConditionKeys } from './request-context.js';
import { elementValues } from './statement-elements.js';
import { wildcardMatch } from './wildcard-match.js';

export interface MatchInput {
  readonly request: AuthorizationRequest;
  readonly keys: ConditionKeys;
  /** Version 2012-10-17: `${...}` in resources and condition values are policy variables. */
  readonly variables: boolean;
}

export function statementApplies(statement: PolicyStatement, input: MatchInput): boolean {
  return (
    principalApplies(statement, input)
    && actionApplies(statement, input.request.action)
    && resourceApplies(statement, input)
    && conditionHolds(statement['Condition'], input.keys, resolver(input))
  );
}

/** A resource policy statement without Principal or NotPrincipal names nobody (IAM refuses it; see `requirePrincipal`). */
function principalApplies(statement: PolicyStatement, { request }: MatchInput): boolean {
  if (statement['Principal'] !== undefined) return principalNamed(statement['Principal'], request.principal);
  if (statement['NotPrincipal'] !== undefined) return !principalNamed(statement['NotPrincipal'], request.principal);
  return false;
}

function actionApplies(statement: PolicyStatement, action: string): boolean {
  const named = (patterns: readonly string[] | undefined): boolean => (patterns ?? []).some((pattern) => wildcardMatch(pattern, action, true));
  if (statement['Action'] !== undefined) return named(elementValues(statement, 'Action'));
  if (statement['NotAction'] !== undefined) return elementValues(statement, 'NotAction') !== undefined && !named(elementValues(statement, 'NotAction'));
  return false;
}

/** In a resource policy a missing Resource means the resource the policy is attached to. */
function resourceApplies(statement: PolicyStatement, input: MatchInput): boolean {
  const resolve = resolver(input);
  const named = (patterns: readonly string[] | undefined): boolean =>
    (patterns ?? []).some((pattern) => {
      const resolved = resolve(pattern);
      return resolved !== undefined && wildcardMatch(resolved, input.request.resource);
    });
  if (statement['Resource'] !== undefined) return named(elementValues(statement, 'Resource'));
  if (statement['NotResource'] !== undefined) return elementValues(statement, 'NotResource') !== undefined && !named(elementValues(statement, 'NotResource'));
  return true;
}

function resolver({ keys, variables }: MatchInput): (value: string) => string | undefined {
  return variables ? (value) => substituteVariables(value, keys) : (value) => value;
}
