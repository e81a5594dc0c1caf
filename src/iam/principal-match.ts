/**
 * Whether a statement's Principal (or NotPrincipal) element names the caller. `"*"` and
 * `{"AWS": "*"}` name everyone; an account id and that account's root ARN both name every
 * principal of the account; a role's ARN names the role's sessions; any other IAM ARN names
 * exactly that principal; `{"Service": ...}`
 * names the AWS service acting for the caller. IAM allows no other wildcards here.
 */
import { parseArn } from './arn.js';
import type { PrincipalContext } from './authorization-request.js';
import { isObject, stringList } from './statement-elements.js';

export function principalNamed(element: unknown, principal: PrincipalContext): boolean {
  if (element === '*') return true;
  if (!isObject(element)) return false;
  return Object.entries(element).some(([type, raw]) => (stringList(raw) ?? []).some((value) => principalValueNames(type, value, principal)));
}

function principalValueNames(type: string, value: string, principal: PrincipalContext): boolean {
  switch (type) {
    case 'AWS':
      return awsPrincipalNames(value, principal);
    case 'Service':
      return principal.service !== undefined && value.toLowerCase() === principal.service.toLowerCase();
    default: // Federated, CanonicalUser: Coffer has no such callers, but an exact ARN still names one
      return value === principal.arn;
  }
}

function awsPrincipalNames(value: string, principal: PrincipalContext): boolean {
  if (value === '*') return true;
  if (/^\d{12}$/.test(value)) return value === principal.accountId;
  const arn = parseArn(value);
  if (arn?.service === 'iam' && arn.resource === 'root') return arn.accountId === principal.accountId;
  if (value === principal.arn) return true;
  // A role's ARN names its sessions (`arn:aws:sts::A:assumed-role/R/session`), whatever the role's path.
  const session = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(principal.arn);
  return (
    session !== null
    && arn?.service === 'iam'
    && arn.resource.startsWith('role/')
    && arn.accountId === session[1]
    && arn.resource.slice(arn.resource.lastIndexOf('/') + 1) === session[2]
  );
}
