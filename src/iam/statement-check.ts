/**
 * Validation of one policy statement: only IAM's elements, an Effect of Allow or Deny, exactly
 * one of Action/NotAction, at most one of Principal/NotPrincipal and of Resource/NotResource,
 * well-formed values in each. Messages complete "Statement[i] ..." and say what to write.
 */
import { conditionProblem } from './condition-check.js';
import { principalProblem } from './principal-check.js';
import { isObject, stringList } from './statement-elements.js';

export interface StatementRules {
  /** Resource policies (vault access, key policies) must say whom each statement is about. */
  readonly requirePrincipal?: boolean;
}

const ELEMENTS = ['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];

export function statementProblem(statement: unknown, rules: StatementRules = {}): string | undefined {
  if (!isObject(statement)) return 'must be a JSON object';
  const unknown = Object.keys(statement).find((name) => !ELEMENTS.includes(name));
  if (unknown !== undefined) return `has an unknown element ${JSON.stringify(unknown)}; a statement may have only ${ELEMENTS.join(', ')}`;
  if (statement['Sid'] !== undefined && typeof statement['Sid'] !== 'string') return 'has a Sid that is not a string';
  const effect = statement['Effect'];
  if (effect !== 'Allow' && effect !== 'Deny') return `has Effect ${JSON.stringify(effect ?? null)}; it must be "Allow" or "Deny"`;
  return (
    actionProblem(statement)
    ?? principalElementProblem(statement, rules)
    ?? resourceProblem(statement)
    ?? (statement['Condition'] === undefined ? undefined : conditionProblem(statement['Condition']))
  );
}

function actionProblem(statement: Readonly<Record<string, unknown>>): string | undefined {
  const element = pickOne(statement, 'Action', 'NotAction');
  if (element === undefined) return 'names no Action (or NotAction)';
  if (element.problem !== undefined) return element.problem;
  const values = stringList(statement[element.name]);
  if (values === undefined || values.length === 0)
    return `has ${element.name} ${JSON.stringify(statement[element.name])}; give an action such as "backup:CopyIntoBackupVault", a list of them, or "*"`;
  const bad = values.find((action) => action !== '*' && !/^[a-z0-9-]+:[a-z0-9*?]+$/i.test(action));
  return bad === undefined
    ? undefined
    : `has ${element.name} ${JSON.stringify(bad)}, which is not "*" or of the form "service:action" (e.g. "backup:CopyIntoBackupVault", "kms:ReEncrypt*")`;
}

function principalElementProblem(statement: Readonly<Record<string, unknown>>, rules: StatementRules): string | undefined {
  const element = pickOne(statement, 'Principal', 'NotPrincipal');
  if (element === undefined) {
    return rules.requirePrincipal
      ? 'names no Principal; a resource policy must say whom it applies to, e.g. "Principal": {"AWS": "arn:aws:iam::111111111111:root"}'
      : undefined;
  }
  return element.problem ?? principalProblem(element.name, statement[element.name]);
}

function resourceProblem(statement: Readonly<Record<string, unknown>>): string | undefined {
  const element = pickOne(statement, 'Resource', 'NotResource');
  if (element === undefined) return undefined;
  if (element.problem !== undefined) return element.problem;
  const values = stringList(statement[element.name]);
  if (values === undefined || values.length === 0) return `has ${element.name} ${JSON.stringify(statement[element.name])}; give an ARN, a list of ARNs, or "*"`;
  const bad = values.find((resource) => resource !== '*' && !resource.startsWith('arn:'));
  return bad === undefined
    ? undefined
    : `has ${element.name} ${JSON.stringify(bad)}, which is not "*" or an ARN (e.g. "arn:aws:backup:us-east-1:111111111111:backup-vault:my-vault")`;
}

/** Which of an element and its Not- form the statement uses; a problem when it uses both. */
function pickOne(statement: Readonly<Record<string, unknown>>, name: string, notName: string): { name: string; problem?: string } | undefined {
  const has = statement[name] !== undefined;
  const hasNot = statement[notName] !== undefined;
  if (has && hasNot) return { name, problem: `has both ${name} and ${notName}; use only one of them` };
  if (has) return { name };
  return hasNot ? { name: notName } : undefined;
}
