/**
 * Policy documents as IAM accepts them: identity policies (inline and managed) must not name a
 * Principal, trust policies must; both must parse as policy documents. Messages are IAM's
 * `MalformedPolicyDocument` sentences followed by what exactly is wrong.
 */
import { parsePolicyDocument } from '../policy-document.js';
import type { PolicyDocument } from '../policy-document.js';
import { IamError } from './iam-error.js';

export function checkIdentityPolicy(text: string): PolicyDocument {
  const parsed = parsePolicyDocument(text);
  if (typeof parsed === 'string') throw new IamError('MalformedPolicyDocument', `Syntax errors in policy: ${parsed}.`);
  if (parsed.Statement.some((s) => s['Principal'] !== undefined || s['NotPrincipal'] !== undefined)) {
    throw new IamError('MalformedPolicyDocument', 'Policy document should not specify a principal.');
  }
  return parsed;
}

export function checkTrustPolicy(text: string): PolicyDocument {
  const parsed = parsePolicyDocument(text, { requirePrincipal: true });
  if (typeof parsed === 'string') throw new IamError('MalformedPolicyDocument', `Invalid principal or syntax in the trust policy: ${parsed}.`);
  return parsed;
}
