/**
 * Reading members of an operation's input, which the wire layer has already validated against
 * the model (any protocol: rest-json, json 1.1): these only narrow the types. A member of the
 * wrong type here means the handler and the model disagree (a bug, answered as an internal
 * failure), never a caller's mistake. Each service's handlers add their own shapes on top
 * (aws/backup/handlers/wire-input.ts, aws/kms/handlers/wire-input.ts).
 */

export type WireInput = Readonly<Record<string, unknown>>;

/** A member that is not what the model says: a handler/model mismatch (an internal failure), never the caller's mistake. */
export function wrongType(member: string, expected: string): Error {
  return new Error(`input member ${member} is not ${expected}: the handler does not match the model`);
}

export function optionalString(input: WireInput, member: string): string | undefined {
  const value = input[member];
  if (value === undefined || typeof value === 'string') return value;
  throw wrongType(member, 'a string');
}

export function requiredString(input: WireInput, member: string): string {
  const value = optionalString(input, member);
  if (value === undefined) throw wrongType(member, 'present');
  return value;
}

export function optionalInteger(input: WireInput, member: string): number | undefined {
  const value = input[member];
  if (value === undefined || (typeof value === 'number' && Number.isInteger(value))) return value;
  throw wrongType(member, 'an integer');
}

export function optionalBoolean(input: WireInput, member: string): boolean | undefined {
  const value = input[member];
  if (value === undefined || typeof value === 'boolean') return value;
  throw wrongType(member, 'a boolean');
}

export function stringList(input: WireInput, member: string): readonly string[] {
  const value = input[member] ?? [];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  throw wrongType(member, 'a list of strings');
}

function optionalMap<T>(input: WireInput, member: string, itemType: string): Readonly<Record<string, T>> | undefined {
  const value = input[member];
  if (value === undefined) return undefined;
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.values(value).every((v) => typeof v === itemType)) {
    return value as Record<string, T>;
  }
  throw wrongType(member, `a map of ${itemType}s`);
}

export function optionalStringMap(input: WireInput, member: string): Readonly<Record<string, string>> | undefined {
  return optionalMap<string>(input, member, 'string');
}

export function optionalBooleanMap(input: WireInput, member: string): Readonly<Record<string, boolean>> | undefined {
  return optionalMap<boolean>(input, member, 'boolean');
}

export function optionalBlob(input: WireInput, member: string): Buffer | undefined {
  const value = input[member];
  if (value === undefined) return undefined;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw wrongType(member, 'binary');
}

export function requiredBlob(input: WireInput, member: string): Buffer {
  const value = optionalBlob(input, member);
  if (value === undefined) throw wrongType(member, 'present');
  return value;
}
