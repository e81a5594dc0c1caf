/**
 * Items as JSON lines of DynamoDB's own typed JSON (the format of the DynamoDB JSON export):
 * `{"id":{"S":"a"},"n":{"N":"1.50"},"b":{"B":"AAH/"}}`. Numbers stay the strings DynamoDB sent
 * (38 digits, exponent and trailing zeros kept: never a JS number), binary is base64, and set
 * order is kept as read. Parsing checks each value's shape so a damaged line is reported, not
 * written to a table.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

export type Item = Record<string, AttributeValue>;

/** The JSON form of one attribute value: binary as base64, everything else as DynamoDB has it. */
export type JsonAttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] }
  | { L: JsonAttributeValue[] }
  | { M: Record<string, JsonAttributeValue> };

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
const bytesOf = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));

export function toJsonValue(value: AttributeValue): JsonAttributeValue {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: true };
  if (value.SS !== undefined) return { SS: [...value.SS] };
  if (value.NS !== undefined) return { NS: [...value.NS] };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.L !== undefined) return { L: value.L.map(toJsonValue) };
  if (value.M !== undefined) return { M: mapValues(value.M, toJsonValue) };
  throw new Error(`unknown attribute value type ${Object.keys(value).join(',') || '(none)'}`);
}

export function fromJsonValue(value: unknown, path: string): AttributeValue {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${path}: not a typed attribute value`);
  const entries = Object.entries(value);
  if (entries.length !== 1) throw new Error(`${path}: expected one type key, got ${entries.length}`);
  const [type, inner] = entries[0]!;
  switch (type) {
    case 'S':
      return { S: str(inner, path) };
    case 'N':
      return { N: str(inner, path) };
    case 'B':
      return { B: bytesOf(str(inner, path)) };
    case 'BOOL':
      if (typeof inner !== 'boolean') throw new Error(`${path}: BOOL must be true or false`);
      return { BOOL: inner };
    case 'NULL':
      return { NULL: true };
    case 'SS':
      return { SS: strings(inner, path) };
    case 'NS':
      return { NS: strings(inner, path) };
    case 'BS':
      return { BS: strings(inner, path).map(bytesOf) };
    case 'L':
      if (!Array.isArray(inner)) throw new Error(`${path}: L must be a list`);
      return { L: inner.map((v, i) => fromJsonValue(v, `${path}[${i}]`)) };
    case 'M':
      return { M: fromJsonItem(inner, path) };
    default:
      throw new Error(`${path}: unknown attribute type ${JSON.stringify(type)}`);
  }
}

export function fromJsonItem(value: unknown, path = 'item'): Item {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${path}: not a map of attributes`);
  const item: Item = {};
  for (const [name, attr] of Object.entries(value)) item[name] = fromJsonValue(attr, `${path}.${name}`);
  return item;
}

/** One item as one line of text, newline included. */
export function itemToLine(item: Item): string {
  return `${JSON.stringify(mapValues(item, toJsonValue))}\n`;
}

export function lineToItem(line: string, where: string): Item {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (err) {
    throw new Error(`${where}: not JSON: ${(err as Error).message}`);
  }
  return fromJsonItem(parsed, where);
}

function mapValues<T, U>(record: Record<string, T>, fn: (value: T) => U): Record<string, U> {
  const out: Record<string, U> = {};
  for (const [key, value] of Object.entries(record)) out[key] = fn(value);
  return out;
}

function str(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new Error(`${path}: expected a string`);
  return value;
}

function strings(value: unknown, path: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new Error(`${path}: expected a list of strings`);
  return value as string[];
}
