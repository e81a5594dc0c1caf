/**
 * The constraints a model puts on a value that already has the right type: enum, length (of a
 * string in code points, a blob in bytes, a list or map in entries), numeric range, pattern.
 * Patterns follow Smithy: not anchored unless they say so. Returns what is wrong, in the words
 * AWS's validators use; knows nothing of where the value came from.
 */
import type { Shape } from './service-model.js';

const patterns = new Map<string, RegExp>();

function compiled(pattern: string): RegExp {
  let re = patterns.get(pattern);
  if (re === undefined) {
    re = unicodePattern(pattern);
    patterns.set(pattern, re);
  }
  return re;
}

/** IAM's and STS's patterns use `\p{L}`-style classes, which need the `u` flag; those that do not compile with it are read without. */
function unicodePattern(pattern: string): RegExp {
  if (!pattern.includes('\\p{')) return new RegExp(pattern);
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return new RegExp(pattern);
  }
}

function size(value: unknown): number | undefined {
  if (typeof value === 'string') return [...value].length;
  if (value instanceof Uint8Array || Array.isArray(value)) return value.length;
  if (value instanceof Map) return value.size;
  if (value !== null && typeof value === 'object') return Object.keys(value).length;
  return undefined;
}

/** The problems with `value` under `shape`, as "Member must ..." sentences (empty when fine). */
export function constraintProblems(shape: Shape, value: unknown): string[] {
  const problems: string[] = [];
  if (shape.type === 'string' && shape.enum !== undefined && typeof value === 'string' && !shape.enum.includes(value)) {
    problems.push(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
  }
  if ('min' in shape || 'max' in shape) problems.push(...rangeProblems(shape, value));
  if (shape.type === 'string' && shape.pattern !== undefined && typeof value === 'string' && !compiled(shape.pattern).test(value)) {
    problems.push(`Member must satisfy regular expression pattern: ${shape.pattern}`);
  }
  return problems;
}

function rangeProblems(shape: { readonly min?: number; readonly max?: number }, value: unknown): string[] {
  const numeric = typeof value === 'number';
  const measure = numeric ? value : size(value);
  if (measure === undefined) return [];
  const what = numeric ? 'value' : 'length';
  const problems: string[] = [];
  if (shape.min !== undefined && measure < shape.min) problems.push(`Member must have ${what} greater than or equal to ${shape.min}`);
  if (shape.max !== undefined && measure > shape.max) problems.push(`Member must have ${what} less than or equal to ${shape.max}`);
  return problems;
}
