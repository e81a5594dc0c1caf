/**
 * A statement's Condition block against a request's condition keys. Every operator and every
 * key in the block must hold (AND); the values listed for one key are alternatives (OR).
 * Key names compare without case. An absent key fails a positive operator and satisfies a
 * negated one (`StringNotEquals`), as in IAM; `...IfExists` makes an absent key pass;
 * `ForAllValues:` is true of an absent key, `ForAnyValue:` false.
 */
import { parseConditionOperator, type ConditionOperator } from './condition-operators.js';
import type { ConditionKeys } from './request-context.js';
import { isObject, scalarList } from './statement-elements.js';

/** Turns a policy value into the value to compare (policy variables); undefined drops it. */
export type ValueResolver = (policyValue: string) => string | undefined;

/** Whether the whole Condition element holds. An absent Condition holds; a malformed one (which validation refuses) never does. */
export function conditionHolds(condition: unknown, keys: ConditionKeys, resolve: ValueResolver): boolean {
  if (condition === undefined) return true;
  if (!isObject(condition)) return false;
  for (const [operatorName, block] of Object.entries(condition)) {
    const operator = parseConditionOperator(operatorName);
    if (operator === undefined || !isObject(block)) return false;
    for (const [key, raw] of Object.entries(block)) {
      const listed = scalarList(raw);
      if (listed === undefined) return false;
      const policyValues = listed.map(resolve).filter((value): value is string => value !== undefined);
      if (!operatorHolds(operator, policyValues, keys.get(key.toLowerCase()))) return false;
    }
  }
  return true;
}

function operatorHolds(operator: ConditionOperator, policyValues: readonly string[], requestValues: readonly string[] | undefined): boolean {
  const { base, qualifier } = operator;
  if (base === 'Null') {
    // "true": the key must be absent; "false": it must be present.
    return policyValues.some((value) => value.toLowerCase() === (requestValues === undefined ? 'true' : 'false'));
  }
  if (requestValues === undefined) {
    if (operator.ifExists || qualifier === 'ForAllValues') return true;
    return qualifier === undefined && base.negated;
  }
  const matchesListed = (requestValue: string): boolean => policyValues.some((policyValue) => base.matches(policyValue, requestValue));
  const valueHolds = (requestValue: string): boolean => matchesListed(requestValue) !== base.negated;
  if (qualifier === 'ForAllValues') return requestValues.every(valueHolds);
  if (qualifier === 'ForAnyValue') return requestValues.some(valueHolds);
  // A plain operator on a multi-valued key: positive when any value matches, negated when none does.
  return requestValues.some(matchesListed) !== base.negated;
}
