/**
 * Reading members of a JSON document the caller wrote (a plan document, a selection), with
 * problems reported as InvalidBackupPlan / InvalidBackupSelection naming the member's path.
 */
import { BackupError } from './backup-error.js';
import type { BackupErrorCode } from './backup-error.js';

export type Fields = Readonly<Record<string, unknown>>;

export function fieldError(path: string, problem: string, code: BackupErrorCode = 'InvalidBackupPlan'): BackupError {
  return new BackupError(code, `${path} ${problem}.`, { context: path });
}

function member<T>(fields: Fields, name: string, path: string, type: string, ok: (v: unknown) => v is T): T | undefined {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  if (!ok(value)) throw fieldError(`${path}.${name}`, `must be ${type}, not ${JSON.stringify(value)}`);
  return value;
}

export function optionalString(fields: Fields, name: string, path: string): string | undefined {
  return member(fields, name, path, 'a string', (v): v is string => typeof v === 'string');
}

export function requiredString(fields: Fields, name: string, path: string): string {
  const value = optionalString(fields, name, path);
  if (value === undefined) throw fieldError(`${path}.${name}`, 'is missing');
  return value;
}

export function optionalInteger(fields: Fields, name: string, path: string): number | undefined {
  return member(fields, name, path, 'an integer', (v): v is number => typeof v === 'number' && Number.isInteger(v));
}

export function optionalBoolean(fields: Fields, name: string, path: string): boolean | undefined {
  return member(fields, name, path, 'true or false', (v): v is boolean => typeof v === 'boolean');
}

export function optionalList(fields: Fields, name: string, path: string): readonly unknown[] | undefined {
  return member(fields, name, path, 'a list', (v): v is unknown[] => Array.isArray(v));
}

export function optionalObject(fields: Fields, name: string, path: string): Fields | undefined {
  return member(fields, name, path, 'an object', (v): v is Fields => typeof v === 'object' && !Array.isArray(v));
}
