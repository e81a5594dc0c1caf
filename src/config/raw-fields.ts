/**
 * Reading the untyped YAML tree: each helper checks one field's JSON type, records an issue at
 * its path when it is wrong, and returns undefined so the caller can go on and find more issues.
 */
import { fieldPath, itemPath, quote } from './config-error.js';
import type { IssueList } from './config-error.js';

export type RawMap = Readonly<Record<string, unknown>>;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `${typeof value} ${quote(value)}`;
}

/** A mapping with only `known` keys; unknown keys are issues (with a suggestion when close). */
export function readMap(value: unknown, path: string, known: readonly string[], issues: IssueList): RawMap | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    issues.add(path, `${path === '' ? 'the config ' : ''}must be a mapping, got ${describe(value)}`);
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) issues.add(fieldPath(path, key), unknownFieldMessage(key, known));
  }
  return value as RawMap;
}

function unknownFieldMessage(key: string, known: readonly string[]): string {
  const near = known.find((k) => k.toLowerCase() === key.toLowerCase() || editDistance(k, key) <= 2);
  const hint = near === undefined ? `known fields: ${known.join(', ')}` : `did you mean ${near}?`;
  return `unknown field (${hint})`;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/** A list (missing or null counts as empty); returns each item with its path. */
export function readList(value: unknown, path: string, issues: IssueList): readonly (readonly [unknown, string])[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    issues.add(path, `must be a list, got ${describe(value)}`);
    return [];
  }
  return value.map((item, i) => [item, itemPath(path, i)] as const);
}

/**
 * A string field, or undefined when absent. A number where a string is expected is refused with
 * a hint to quote it: YAML reads `id: 000000000000` as the number 0.
 */
export function readString(map: RawMap, key: string, path: string, issues: IssueList, secret = false): string | undefined {
  const value = map[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  // A secret's scalar value is not quoted back; a list or mapping says nothing of it.
  const scalar = typeof value !== 'object';
  const got = secret && scalar ? `a ${typeof value}` : describe(value);
  const hint = typeof value === 'number' || typeof value === 'boolean' ? '; put it in quotes' : '';
  issues.add(fieldPath(path, key), `must be a string, got ${got}${hint}`);
  return undefined;
}

/** Like readString, but absence is an issue too. */
export function requireString(map: RawMap, key: string, path: string, issues: IssueList, secret = false): string | undefined {
  if (map[key] === undefined || map[key] === null) {
    issues.add(fieldPath(path, key), 'is required');
    return undefined;
  }
  return readString(map, key, path, issues, secret);
}
