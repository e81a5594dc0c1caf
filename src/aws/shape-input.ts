/**
 * Reads request values against a model's shapes: JSON body values and the strings of URI
 * labels, query parameters and headers. Converts on the way (timestamps to Date, blobs to
 * Buffer) and records every violation (missing required member, wrong type, constraint) with the
 * member's path, so one answer can list them all. Knows shapes, not HTTP or domain rules.
 */
import { constraintProblems } from './shape-constraints.js';
import { shapeOf } from './service-model.js';
import type { MemberRef, ServiceModel, Shape, ShapeOf, TimestampFormat } from './service-model.js';

export interface Violation {
  readonly path: string;
  readonly missing: boolean;
  readonly problem: string;
  readonly value: unknown;
  readonly sensitive: boolean;
}

export type Violations = Violation[];

const INT32 = 2 ** 31;

function memberPath(parent: string, name: string): string {
  return parent === '' ? name : `${parent}.${name}`;
}

function sensitive(shape: Shape): boolean {
  return 'sensitive' in shape && shape.sensitive === true;
}

function invalid(out: Violations, path: string, shape: Shape, value: unknown, problem: string): undefined {
  out.push({ path, missing: false, problem, value, sensitive: sensitive(shape) });
  return undefined;
}

/** Records a required member that is absent. */
export function missing(out: Violations, path: string): void {
  out.push({ path, missing: true, problem: 'Member must not be null', value: null, sensitive: false });
}

function checked(out: Violations, path: string, shape: Shape, raw: unknown, value: unknown): unknown {
  const problems = constraintProblems(shape, value);
  for (const problem of problems) invalid(out, path, shape, raw, problem);
  return value;
}

/**
 * The members of a structure found in a JSON object, keyed by member name; `take` picks which
 * members (the body ones, for rest-json). Absent required members are recorded.
 */
export function readJsonMembers(
  model: ServiceModel,
  shape: ShapeOf<'structure'>,
  raw: Readonly<Record<string, unknown>>,
  path: string,
  out: Violations,
  take: (ref: MemberRef) => boolean = () => true,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(shape.members)) {
    if (!take(ref)) continue;
    const here = memberPath(path, name);
    const key = ref.locationName ?? name;
    const value = Object.hasOwn(raw, key) ? raw[key] : undefined;
    if (value === undefined || value === null) {
      if (ref.required) missing(out, here);
      continue;
    }
    const decoded = readJson(model, ref.shape, value, here, out);
    if (decoded !== undefined) result[name] = decoded;
  }
  return result;
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** One JSON value read as `shapeName`; undefined (and a violation) when its type is wrong. */
export function readJson(model: ServiceModel, shapeName: string, raw: unknown, path: string, out: Violations): unknown {
  const shape = shapeOf(model, shapeName);
  const value = jsonValue(model, shape, raw, path, out);
  return value === undefined ? undefined : checked(out, path, shape, raw, value);
}

/** A JSON value of the wrong type: says what was expected and what came. */
function mismatch(out: Violations, path: string, shape: Shape, raw: unknown, problem: string): undefined {
  const numeric = ['integer', 'long', 'float', 'double'].includes(shape.type) && typeof raw === 'number';
  const got = numeric ? String(raw) : Array.isArray(raw) ? 'a list' : typeof raw === 'object' ? 'an object' : `a ${typeof raw}`;
  return invalid(out, path, shape, raw, `${problem}, not ${got}`);
}

function jsonValue(model: ServiceModel, shape: Shape, raw: unknown, path: string, out: Violations): unknown {
  switch (shape.type) {
    case 'structure':
      return isObject(raw) ? readJsonMembers(model, shape, raw, path, out) : mismatch(out, path, shape, raw, 'Member must be an object');
    case 'list':
      return Array.isArray(raw) ? jsonList(model, shape, raw, path, out) : mismatch(out, path, shape, raw, 'Member must be a list');
    case 'map':
      return isObject(raw) ? jsonMap(model, shape, raw, path, out) : mismatch(out, path, shape, raw, 'Member must be a map (JSON object)');
    case 'string':
      return typeof raw === 'string' ? raw : mismatch(out, path, shape, raw, 'Member must be a string');
    case 'boolean':
      return typeof raw === 'boolean' ? raw : mismatch(out, path, shape, raw, 'Member must be a boolean');
    case 'timestamp':
      return jsonTimestamp(shape, raw) ?? mismatch(out, path, shape, raw, timestampProblem(shape.timestampFormat ?? 'unixTimestamp'));
    case 'blob':
      return (typeof raw === 'string' && base64(raw)) || mismatch(out, path, shape, raw, 'Member must be base64-encoded binary data');
    default:
      return numberValue(shape.type, raw) ?? mismatch(out, path, shape, raw, numberProblem(shape.type));
  }
}

function jsonList(model: ServiceModel, shape: ShapeOf<'list'>, raw: readonly unknown[], path: string, out: Violations): unknown[] {
  return raw.map((item, i) => {
    const here = `${path}[${i}]`;
    if (item === null || item === undefined) return missing(out, here);
    return readJson(model, shape.member.shape, item, here, out);
  });
}

function jsonMap(model: ServiceModel, shape: ShapeOf<'map'>, raw: Readonly<Record<string, unknown>>, path: string, out: Violations): Record<string, unknown> {
  const entries = Object.entries(raw).map(([key, item]) => {
    const here = memberPath(path, key);
    readJson(model, shape.key.shape, key, `${here} (key)`, out);
    return [key, item === null ? missing(out, here) : readJson(model, shape.value.shape, item, here, out)] as const;
  });
  return Object.fromEntries(entries);
}

function numberValue(type: 'integer' | 'long' | 'float' | 'double', raw: unknown): number | undefined {
  const value = typeof raw === 'string' && /^(NaN|-?Infinity)$/.test(raw) && (type === 'float' || type === 'double') ? Number(raw) : raw;
  if (typeof value !== 'number') return undefined;
  if (type === 'integer') return Number.isInteger(value) && value >= -INT32 && value < INT32 ? value : undefined;
  if (type === 'long') return Number.isSafeInteger(value) ? value : undefined;
  return value;
}

function numberProblem(type: string): string {
  if (type === 'integer') return 'Member must be an integer between -2147483648 and 2147483647';
  if (type === 'long') return 'Member must be a whole number';
  return 'Member must be a number';
}

function jsonTimestamp(shape: ShapeOf<'timestamp'>, raw: unknown): Date | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? new Date(Math.round(raw * 1000)) : undefined;
  return typeof raw === 'string' && shape.timestampFormat !== undefined ? textTimestamp(raw, shape.timestampFormat) : undefined;
}

function timestampProblem(format: TimestampFormat): string {
  if (format === 'unixTimestamp') return 'Member must be a timestamp in epoch seconds (a number such as 1716912000.123)';
  if (format === 'iso8601') return 'Member must be an ISO-8601 timestamp such as 2024-05-28T12:00:00Z';
  return 'Member must be an HTTP date such as Tue, 28 May 2024 12:00:00 GMT';
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

function textTimestamp(text: string, format: TimestampFormat): Date | undefined {
  const ok = format === 'iso8601' ? ISO_8601.test(text) : format === 'rfc822' ? HTTP_DATE.test(text) : /^-?\d+(\.\d+)?$/.test(text);
  if (!ok) return undefined;
  const date = format === 'unixTimestamp' ? new Date(Math.round(Number(text) * 1000)) : new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function base64(text: string): Buffer | undefined {
  const ok = text.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(text);
  return ok ? Buffer.from(text, 'base64') : undefined;
}

/**
 * The string(s) of a URI label, query parameter or header read as the member's shape. Lists
 * take every value (repeated query parameters); scalars the first.
 */
export function readText(model: ServiceModel, ref: MemberRef, texts: readonly string[], path: string, out: Violations, timestamps: TimestampFormat): unknown {
  const shape = shapeOf(model, ref.shape);
  if (shape.type === 'list') {
    const items = texts.map((text, i) => readText(model, shape.member, [text], `${path}[${i}]`, out, timestamps));
    return checked(out, path, shape, texts, items);
  }
  const text = texts[0] ?? '';
  const value = textValue(shape, text, timestamps);
  if (value === undefined) return invalid(out, path, shape, text, textProblem(shape, timestamps));
  return checked(out, path, shape, text, value);
}

function textValue(shape: Shape, text: string, timestamps: TimestampFormat): unknown {
  switch (shape.type) {
    case 'string':
      return text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : undefined;
    case 'timestamp':
      return textTimestamp(text, shape.timestampFormat ?? timestamps);
    case 'blob':
      return base64(text);
    case 'integer':
    case 'long':
      return /^-?\d+$/.test(text) ? numberValue(shape.type, Number(text)) : undefined;
    case 'float':
    case 'double':
      return text.trim() === '' ? undefined : numberValue(shape.type, /^(NaN|-?Infinity)$/.test(text) ? text : Number(text));
    default:
      return undefined;
  }
}

function textProblem(shape: Shape, timestamps: TimestampFormat): string {
  switch (shape.type) {
    case 'boolean':
      return "Member must be 'true' or 'false'";
    case 'timestamp':
      return timestampProblem(shape.timestampFormat ?? timestamps);
    case 'blob':
      return 'Member must be base64-encoded binary data';
    case 'structure':
    case 'map':
      return `Member of type ${shape.type} cannot travel outside the body`;
    default:
      return numberProblem(shape.type);
  }
}
