/**
 * The IAM condition operators: what each compares (strings, ARNs, numbers, dates, booleans, IP
 * addresses) and how, plus the `ForAnyValue:` / `ForAllValues:` qualifiers and the `IfExists`
 * suffix. The one table both validation (is this an operator?) and evaluation read.
 */
import { ipInBlock, parseIpBlock } from './ip-address.js';
import { arnWildcardMatch, wildcardMatch } from './wildcard-match.js';

/** A comparison: `matches(policyValue, requestValue)`. Negated operators keep the positive comparison and set `negated`. */
export interface BaseOperator {
  readonly name: string;
  readonly negated: boolean;
  readonly matches: (policyValue: string, requestValue: string) => boolean;
  /** Why a policy value cannot be used with this operator, or undefined when it can. */
  readonly valueProblem?: (policyValue: string) => string | undefined;
}

export interface ConditionOperator {
  readonly base: BaseOperator | 'Null';
  readonly qualifier?: 'ForAnyValue' | 'ForAllValues';
  readonly ifExists: boolean;
}

const numberOf = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));
/** ISO 8601 dates and times, or epoch seconds. */
const dateOf = (text: string): number => (/^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text));
const notNumber = (v: string): string | undefined => (Number.isFinite(numberOf(v)) ? undefined : `${JSON.stringify(v)} is not a number`);
const notDate = (v: string): string | undefined =>
  Number.isNaN(dateOf(v)) ? `${JSON.stringify(v)} is not a date (use ISO 8601, e.g. "2026-01-31T00:00:00Z", or epoch seconds)` : undefined;
const notBool = (v: string): string | undefined => (['true', 'false'].includes(v.toLowerCase()) ? undefined : `${JSON.stringify(v)} is not "true" or "false"`);
const notIp = (v: string): string | undefined =>
  parseIpBlock(v) === undefined ? `${JSON.stringify(v)} is not an IP address or CIDR block (e.g. "203.0.113.0/24")` : undefined;

type Comparison = (policyValue: string, requestValue: string) => boolean;
const numeric =
  (compare: (request: number, policy: number) => boolean): Comparison =>
  (p, r) => {
    const [policy, request] = [numberOf(p), numberOf(r)];
    return Number.isFinite(policy) && Number.isFinite(request) && compare(request, policy);
  };
const dated =
  (compare: (request: number, policy: number) => boolean): Comparison =>
  (p, r) => {
    const [policy, request] = [dateOf(p), dateOf(r)];
    return !Number.isNaN(policy) && !Number.isNaN(request) && compare(request, policy);
  };

const equal = (a: number, b: number): boolean => a === b;
const comparisons: readonly [string, Comparison, BaseOperator['valueProblem']?][] = [
  ['StringEquals', (p, r) => p === r],
  ['StringEqualsIgnoreCase', (p, r) => p.toLowerCase() === r.toLowerCase()],
  ['StringLike', (p, r) => wildcardMatch(p, r)],
  ['ArnEquals', arnWildcardMatch], // IAM gives ArnEquals the same wildcards as ArnLike
  ['ArnLike', arnWildcardMatch],
  ['NumericEquals', numeric(equal), notNumber],
  ['NumericLessThan', numeric((r, p) => r < p), notNumber],
  ['NumericLessThanEquals', numeric((r, p) => r <= p), notNumber],
  ['NumericGreaterThan', numeric((r, p) => r > p), notNumber],
  ['NumericGreaterThanEquals', numeric((r, p) => r >= p), notNumber],
  ['DateEquals', dated(equal), notDate],
  ['DateLessThan', dated((r, p) => r < p), notDate],
  ['DateLessThanEquals', dated((r, p) => r <= p), notDate],
  ['DateGreaterThan', dated((r, p) => r > p), notDate],
  ['DateGreaterThanEquals', dated((r, p) => r >= p), notDate],
  ['Bool', (p, r) => p.toLowerCase() === r.toLowerCase(), notBool],
  ['BinaryEquals', (p, r) => p === r],
  ['IpAddress', ipInBlock, notIp],
];

/** Negated operator -> the positive operator it inverts. */
const negations: Readonly<Record<string, string>> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
  NumericNotEquals: 'NumericEquals',
  DateNotEquals: 'DateEquals',
  NotIpAddress: 'IpAddress',
};

const positives: ReadonlyMap<string, BaseOperator> = new Map(
  comparisons.map(([name, matches, valueProblem]) => [name, { name, negated: false, matches, ...(valueProblem && { valueProblem }) }]),
);

const BASE_OPERATORS: ReadonlyMap<string, BaseOperator> = new Map([
  ...positives,
  ...Object.entries(negations).map(([name, positive]): [string, BaseOperator] => [name, { ...positives.get(positive)!, name, negated: true }]),
]);

/** Every operator name without qualifier or suffix, for error messages. */
export const OPERATOR_NAMES: readonly string[] = [
  ...comparisons.flatMap(([name]) => [name, ...Object.keys(negations).filter((negated) => negations[negated] === name)]),
  'Null',
];

/** `ForAnyValue:StringLikeIfExists` -> its parts; undefined for a name IAM does not know (names are case-sensitive). */
export function parseConditionOperator(name: string): ConditionOperator | undefined {
  const qualified = /^(ForAnyValue|ForAllValues):(.+)$/.exec(name);
  const qualifier = qualified?.[1] as ConditionOperator['qualifier'];
  const rest = qualified?.[2] ?? name;
  const ifExists = rest.endsWith('IfExists');
  const baseName = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
  if (baseName === 'Null') return ifExists ? undefined : { base: 'Null', ifExists: false, ...(qualifier && { qualifier }) };
  const base = BASE_OPERATORS.get(baseName);
  if (base === undefined) return undefined;
  return { base, ifExists, ...(qualifier && { qualifier }) };
}
