/**
 * Reads a query-protocol request (STS, IAM) against the model: the form's flat parameters
 * (`RoleName=r`, `Tags.member.1.Key=k`, `Attributes.entry.1.key=k`) become the operation's input
 * by member name, each scalar read as its shape says and every violation recorded with its path.
 * Knows the query protocol's naming rules and shapes, not HTTP or what operations do.
 */
import { shapeOf } from './service-model.js';
import type { MemberRef, ServiceModel, ShapeOf } from './service-model.js';
import { missing, readText } from './shape-input.js';
import type { Violations } from './shape-input.js';

/** Form parameters by name; the last value wins when a name repeats. */
export type FormParams = ReadonlyMap<string, string>;

/** `a=1&b=x+y` -> {a: '1', b: 'x y'}: application/x-www-form-urlencoded (a `+` is a space). */
export function parseForm(text: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(text)) params.set(key, value);
  return params;
}

/** The members of `shape` found under `prefix` (`''` for the input itself, else `Name.`). */
export function readQueryMembers(
  model: ServiceModel,
  shape: ShapeOf<'structure'>,
  params: FormParams,
  prefix: string,
  out: Violations,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(shape.members)) {
    const key = `${prefix}${ref.locationName ?? name}`;
    const value = readQueryValue(model, ref, params, key, out);
    if (value === undefined) {
      if (ref.required) missing(out, key);
      continue;
    }
    result[name] = value;
  }
  return result;
}

function hasUnder(params: FormParams, key: string): boolean {
  for (const name of params.keys()) if (name.startsWith(`${key}.`)) return true;
  return false;
}

function readQueryValue(model: ServiceModel, ref: MemberRef, params: FormParams, key: string, out: Violations): unknown {
  const shape = shapeOf(model, ref.shape);
  switch (shape.type) {
    case 'structure':
      return hasUnder(params, key) ? readQueryMembers(model, shape, params, `${key}.`, out) : undefined;
    case 'list':
      return readQueryList(model, shape, params, key, out);
    case 'map':
      return readQueryMap(model, shape, params, key, out);
    default: {
      const text = params.get(key);
      return text === undefined ? undefined : readText(model, ref, [text], key, out, 'iso8601');
    }
  }
}

/** The indexes present under `base` (`base.1`, `base.2.Key`, ...), in numeric order. */
function indexesUnder(params: FormParams, base: string): number[] {
  const found = new Set<number>();
  for (const name of params.keys()) {
    if (!name.startsWith(`${base}.`)) continue;
    const index = /^(\d+)(\.|$)/.exec(name.slice(base.length + 1));
    if (index?.[1] !== undefined) found.add(Number(index[1]));
  }
  return [...found].sort((a, b) => a - b);
}

/** `Key.member.N` items; `Key=` alone is the empty list the SDKs send. */
function readQueryList(model: ServiceModel, shape: ShapeOf<'list'>, params: FormParams, key: string, out: Violations): unknown[] | undefined {
  const base = `${key}.${shape.member.locationName ?? 'member'}`;
  const indexes = indexesUnder(params, base);
  if (indexes.length === 0) return params.get(key) === '' ? [] : undefined;
  return indexes.map((i) => readQueryValue(model, shape.member, params, `${base}.${i}`, out));
}

function readQueryMap(model: ServiceModel, shape: ShapeOf<'map'>, params: FormParams, key: string, out: Violations): Record<string, unknown> | undefined {
  const base = `${key}.entry`;
  const indexes = indexesUnder(params, base);
  if (indexes.length === 0) return params.get(key) === '' ? {} : undefined;
  const entries: [string, unknown][] = [];
  for (const i of indexes) {
    const name = params.get(`${base}.${i}.${shape.key.locationName ?? 'key'}`);
    if (name === undefined) {
      missing(out, `${base}.${i}.key`);
      continue;
    }
    entries.push([name, readQueryValue(model, shape.value, params, `${base}.${i}.${shape.value.locationName ?? 'value'}`, out)]);
  }
  return Object.fromEntries(entries);
}
