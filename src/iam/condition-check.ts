/**
 * Validation of a statement's Condition element: an object of operators, each an object of
 * condition keys and their values; operators known to IAM (names are case-sensitive, the message
 * suggests the right spelling); values of the kind the operator compares.
 */
import { OPERATOR_NAMES, parseConditionOperator } from './condition-operators.js';
import { isObject, scalarList } from './statement-elements.js';

const EXAMPLE = '{"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}';

export function conditionProblem(condition: unknown): string | undefined {
  if (!isObject(condition)) return `has a Condition that is not an object; write it as ${EXAMPLE}`;
  for (const [name, block] of Object.entries(condition)) {
    const operator = parseConditionOperator(name);
    if (operator === undefined) return unknownOperator(name);
    if (!isObject(block) || Object.keys(block).length === 0) {
      return `has condition operator ${name} whose value is not an object of condition keys and values, e.g. ${EXAMPLE}`;
    }
    for (const [key, raw] of Object.entries(block)) {
      if (key.trim() === '') return `has condition operator ${name} with an empty condition key`;
      const values = scalarList(raw);
      if (values === undefined) return `has condition ${name} ${JSON.stringify(key)} with a value that is not a string, number, boolean or a list of them`;
      if (values.length === 0) return `has condition ${name} ${JSON.stringify(key)} with an empty list of values`;
      const check = operator.base === 'Null' ? nullValueProblem : operator.base.valueProblem;
      const problem = values
        .filter((value) => !value.includes('${'))
        .map((value) => check?.(value))
        .find((p) => p !== undefined);
      if (problem !== undefined) return `has condition ${name} ${JSON.stringify(key)}: ${problem}`;
    }
  }
  return undefined;
}

function nullValueProblem(value: string): string | undefined {
  return ['true', 'false'].includes(value.toLowerCase()) ? undefined : `${JSON.stringify(value)} is not "true" (key absent) or "false" (key present)`;
}

function unknownOperator(name: string): string {
  const [, qualifier, bare = '', ifExists] = /^(?:(ForAnyValue|ForAllValues):)?(.*?)(IfExists)?$/i.exec(name) ?? [];
  const known = OPERATOR_NAMES.find((operator) => operator.toLowerCase() === bare.toLowerCase());
  if (known === undefined) {
    return `uses unknown condition operator ${JSON.stringify(name)}; use one of ${OPERATOR_NAMES.join(', ')}, optionally prefixed with ForAnyValue: or ForAllValues: or suffixed with IfExists`;
  }
  if (known === 'Null' && ifExists !== undefined) return `uses unknown condition operator ${JSON.stringify(name)}; Null takes no IfExists suffix, write "Null"`;
  const prefix = qualifier === undefined ? '' : qualifier.toLowerCase() === 'foranyvalue' ? 'ForAnyValue:' : 'ForAllValues:';
  const suffix = ifExists === undefined ? '' : 'IfExists';
  return `uses unknown condition operator ${JSON.stringify(name)}; did you mean ${JSON.stringify(prefix + known + suffix)}? Operator names are case-sensitive`;
}
