/**
 * IAM policy documents as text: checks that a document is one (a JSON object with a `Version`
 * and one or more statements, each with an Effect and an action, only IAM's elements, known
 * condition operators, well-formed principals) and says precisely what is wrong when it is not.
 * Statement rules live in `statement-check.ts`; evaluation in `policy-evaluator.ts`. This file
 * knows nothing of vaults, HTTP or storage.
 */
import { statementProblem, type StatementRules } from './statement-check.js';
import { isObject } from './statement-elements.js';

export const POLICY_VERSIONS = ['2012-10-17', '2008-10-17'] as const;

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly [member: string]: unknown;
}

export interface PolicyDocument {
  readonly Version: string;
  readonly Id?: string;
  readonly Statement: readonly PolicyStatement[];
}

/** `requirePrincipal`: refuse statements without Principal or NotPrincipal, as resource policies (vault access, key policies) must. */
export type PolicyParseOptions = StatementRules;

const DOCUMENT_ELEMENTS = ['Version', 'Id', 'Statement'];

/** The parsed document, or the reason the text is not a usable policy document. */
export function parsePolicyDocument(text: string, options: PolicyParseOptions = {}): PolicyDocument | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return `the policy is not valid JSON (${(err as Error).message})`;
  }
  if (!isObject(json)) return 'the policy must be a JSON object with Version and Statement';
  const version = json['Version'];
  if (version === undefined) return `the policy has no Version; add "Version": "${POLICY_VERSIONS[0]}"`;
  if (typeof version !== 'string' || !(POLICY_VERSIONS as readonly string[]).includes(version)) {
    return `the policy Version must be "${POLICY_VERSIONS.join('" or "')}", not ${JSON.stringify(version)}`;
  }
  const unknown = Object.keys(json).find((name) => !DOCUMENT_ELEMENTS.includes(name));
  if (unknown !== undefined)
    return `the policy has an unknown element ${JSON.stringify(unknown)}; a policy document may have only ${DOCUMENT_ELEMENTS.join(', ')}`;
  const id = json['Id'];
  if (id !== undefined && typeof id !== 'string') return 'the policy Id must be a string';
  const raw = json['Statement'];
  if (raw === undefined) return 'the policy has no Statement; add at least one statement';
  const statements = Array.isArray(raw) ? raw : [raw];
  if (statements.length === 0) return 'the policy Statement list is empty; add at least one statement';
  for (const [i, statement] of statements.entries()) {
    const problem = statementProblem(statement, options) ?? repeatedSid(statements, i);
    if (problem !== undefined) return `Statement[${i}] ${problem}`;
  }
  return { Version: version, ...(id !== undefined && { Id: id }), Statement: statements as PolicyStatement[] };
}

function repeatedSid(statements: readonly unknown[], index: number): string | undefined {
  const sid = (statements[index] as PolicyStatement).Sid;
  if (sid === undefined || sid === '') return undefined;
  const first = statements.findIndex((statement) => (statement as PolicyStatement).Sid === sid);
  return first < index ? `repeats the Sid ${JSON.stringify(sid)} of Statement[${first}]; give each statement its own Sid` : undefined;
}
