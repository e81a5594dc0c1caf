/**
 * Validation of a statement's Principal or NotPrincipal element, with messages that say what to
 * write instead: `"*"`, or an object whose AWS values are `"*"`, 12-digit account ids or IAM/STS
 * ARNs (no other wildcards), whose Service values are service principals such as
 * `backup.amazonaws.com`.
 */
import { isObject } from './statement-elements.js';

const PRINCIPAL_TYPES = ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const;
const EXAMPLE = '{"AWS": "arn:aws:iam::111111111111:root"}';

/** What is wrong with the element named `element` (Principal or NotPrincipal), or undefined. */
export function principalProblem(element: string, value: unknown): string | undefined {
  if (value === '*') return undefined;
  if (!isObject(value)) return `has ${element} ${JSON.stringify(value)}; it must be "*" or an object such as ${EXAMPLE} (types ${PRINCIPAL_TYPES.join(', ')})`;
  const entries = Object.entries(value);
  if (entries.length === 0) return `has an empty ${element} object; name at least one principal, e.g. ${EXAMPLE}`;
  for (const [type, raw] of entries) {
    if (!(PRINCIPAL_TYPES as readonly string[]).includes(type)) {
      return `has ${element} type ${JSON.stringify(type)}; use ${PRINCIPAL_TYPES.join(', ')}`;
    }
    const values = Array.isArray(raw) ? raw : [raw];
    if (values.length === 0) return `has an empty ${element} ${type} list; name at least one principal`;
    for (const item of values) {
      const problem = typeof item === 'string' ? valueProblem(type, item) : notText(item);
      if (problem !== undefined) return `has ${element} ${type} ${JSON.stringify(item)}, ${problem}`;
    }
  }
  return undefined;
}

function notText(item: unknown): string {
  return typeof item === 'number' ? `a number; write the account id as a string, "${item}"` : 'which is not a string';
}

function valueProblem(type: string, value: string): string | undefined {
  if (type === 'AWS') return awsValueProblem(value);
  if (type === 'Service') {
    return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(value) ? undefined : 'which is not a service principal such as "backup.amazonaws.com"';
  }
  return value.trim() === '' ? 'which is empty' : undefined;
}

function awsValueProblem(value: string): string | undefined {
  if (value === '*') return undefined;
  if (/^\d+$/.test(value)) return /^\d{12}$/.test(value) ? undefined : 'which is not a 12-digit account id';
  if (value.includes('*') || value.includes('?')) {
    return 'but a Principal allows no wildcard other than "*" alone; use "*" with an aws:PrincipalArn or aws:PrincipalAccount condition instead';
  }
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return `which is not "*", a 12-digit account id or an IAM ARN such as "arn:aws:iam::111111111111:root"`;
  const [, , service = '', , account = '', ...resource] = parts;
  if (service !== 'iam' && service !== 'sts') return `which is not an IAM or STS ARN (its service is "${service}")`;
  if (!/^\d{12}$/.test(account)) return `whose account "${account}" is not a 12-digit account id`;
  if (resource.join(':') === '') return 'which names no user, role or root';
  return undefined;
}
