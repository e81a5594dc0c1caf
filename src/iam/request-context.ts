/**
 * The condition keys of a request, as conditions look them up: the global keys derived from the
 * caller (`aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:PrincipalOrgID`,
 * `aws:PrincipalServiceName`, and `kms:CallerAccount` for KMS actions) plus whatever the calling
 * service put in `context`. Key names are case-insensitive, so they are stored lower-cased.
 * The caller's keys come only from the principal, never from `context`: the caller's identity
 * (or its organization) is not the calling service's to restate.
 */
import type { AuthorizationRequest } from './authorization-request.js';

/** Lower-cased key name -> its values (one for single-valued keys). Absent keys are not in the map. */
export type ConditionKeys = ReadonlyMap<string, readonly string[]>;

const DERIVED = new Set(['aws:principalaccount', 'aws:principalarn', 'aws:principalorgid', 'aws:principalservicename', 'kms:calleraccount']);

export function requestConditionKeys(request: AuthorizationRequest): ConditionKeys {
  const keys = new Map<string, readonly string[]>();
  for (const [name, value] of Object.entries(request.context ?? {})) {
    const values = keyValues(value);
    if (values !== undefined && !DERIVED.has(name.toLowerCase())) keys.set(name.toLowerCase(), values);
  }
  const { principal } = request;
  keys.set('aws:principalaccount', [principal.accountId]);
  keys.set('aws:principalarn', [principal.arn]);
  if (principal.orgId !== undefined) keys.set('aws:principalorgid', [principal.orgId]);
  if (principal.service !== undefined) keys.set('aws:principalservicename', [principal.service]);
  if (request.action.toLowerCase().startsWith('kms:')) keys.set('kms:calleraccount', [principal.accountId]);
  return keys;
}

/** Booleans and numbers become the strings policies compare them as; an empty list is an absent key. */
function keyValues(value: string | readonly string[] | boolean | number | undefined): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return [value];
  if (typeof value === 'boolean' || typeof value === 'number') return [String(value)];
  return value.length === 0 ? undefined : [...value];
}
