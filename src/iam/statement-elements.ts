/**
 * Reading a statement's elements the way IAM does: a single string and a list of strings mean
 * the same thing, and a statement is named by its Sid (or its position) in explanations.
 */
import type { PolicyStatement } from './policy-document.js';

/** The element's values as a list; undefined when the element is absent or not strings. */
export function elementValues(statement: PolicyStatement, name: string): readonly string[] | undefined {
  return stringList(statement[name]);
}

/** `"x"` -> `["x"]`, `["x","y"]` as is; anything else (numbers, objects, mixed lists) -> undefined. */
export function stringList(value: unknown): readonly string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  return undefined;
}

/** Condition values may also be numbers and booleans, which compare as their text. */
export function scalarList(value: unknown): readonly string[] | undefined {
  const items = Array.isArray(value) ? value : [value];
  if (!items.every((item) => ['string', 'number', 'boolean'].includes(typeof item))) return undefined;
  return items.map(String);
}

/** How explanations and error messages name a statement: its Sid, or `Statement[i]` without one. */
export function statementLabel(statement: PolicyStatement, index: number): string {
  return typeof statement.Sid === 'string' && statement.Sid !== '' ? statement.Sid : `Statement[${index}]`;
}

export function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
