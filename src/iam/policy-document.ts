/**
 * IAM policy documents as text: checks that a document is one (a JSON object with a `Version`
 * and one or more statements, each with an Effect and an action), and says precisely what is
 * wrong when it is not. Evaluation comes later (`evaluate(policy, request)`); this file knows
 * nothing of vaults, HTTP or storage.
 */

export const POLICY_VERSIONS = ['2012-10-17', '2008-10-17'] as const;

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly [member: string]: unknown;
}

export interface PolicyDocument {
  readonly Version: string;
  readonly Statement: readonly PolicyStatement[];
}

/** The parsed document, or the reason the text is not a usable policy document. */
export function parsePolicyDocument(text: string): PolicyDocument | string {
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
  const raw = json['Statement'];
  if (raw === undefined) return 'the policy has no Statement; add at least one statement';
  const statements = Array.isArray(raw) ? raw : [raw];
  if (statements.length === 0) return 'the policy Statement list is empty; add at least one statement';
  for (const [i, statement] of statements.entries()) {
    const problem = statementProblem(statement);
    if (problem !== undefined) return `Statement[${i}] ${problem}`;
  }
  return { Version: version, Statement: statements as PolicyStatement[] };
}

function statementProblem(statement: unknown): string | undefined {
  if (!isObject(statement)) return 'must be a JSON object';
  const effect = statement['Effect'];
  if (effect !== 'Allow' && effect !== 'Deny') return `has Effect ${JSON.stringify(effect ?? null)}; it must be "Allow" or "Deny"`;
  if (statement['Action'] === undefined && statement['NotAction'] === undefined) return 'names no Action (or NotAction)';
  return undefined;
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
