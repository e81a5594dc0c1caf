/**
 * `accounts[].accessKeys`: each key has an `id` and exactly one of `secret` (inline),
 * `secretFile` (a file holding it; trailing whitespace ignored) or `secretEnv` (an environment
 * variable's name). Secret values never appear in messages.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fieldPath, quote } from './config-error.js';
import type { ConfigContext } from './config-context.js';
import { readList, readMap, readString, requireString } from './raw-fields.js';
import type { RawMap } from './raw-fields.js';
import type { AccessKeyConfig, SecretSource } from './schema.js';
import { Secret } from './secret.js';

const KEY_FIELDS = ['id', 'secret', 'secretFile', 'secretEnv'] as const;
const SECRET_FIELDS = ['secret', 'secretFile', 'secretEnv'] as const;
const ACCESS_KEY_ID = /^[A-Z0-9]{16,128}$/;
const SECRET_VALUE = /^[\x21-\x7e]{16,128}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function readAccessKeys(value: unknown, path: string, ctx: ConfigContext): readonly AccessKeyConfig[] {
  const keys: AccessKeyConfig[] = [];
  for (const [item, itemPath] of readList(value, path, ctx.issues)) {
    const key = readAccessKey(item, itemPath, ctx);
    if (key !== undefined) keys.push(key);
  }
  return keys;
}

function readAccessKey(value: unknown, path: string, ctx: ConfigContext): AccessKeyConfig | undefined {
  const map = readMap(value, path, KEY_FIELDS, ctx.issues);
  if (map === undefined) return undefined;
  const id = readKeyId(map, path, ctx);
  const secret = readSecret(map, path, ctx);
  if (id === undefined || secret === undefined) return undefined;
  return { id, secret: new Secret(secret.value), source: secret.source };
}

function readKeyId(map: RawMap, path: string, ctx: ConfigContext): string | undefined {
  const id = requireString(map, 'id', path, ctx.issues);
  if (id === undefined || ACCESS_KEY_ID.test(id)) return id;
  ctx.issues.add(fieldPath(path, 'id'), `must be 16 to 128 upper-case letters or digits (like AKIAIOSFODNN7EXAMPLE), got ${quote(id)}`);
  return undefined;
}

interface ReadSecret {
  readonly value: string;
  readonly source: SecretSource;
}

function readSecret(map: RawMap, path: string, ctx: ConfigContext): ReadSecret | undefined {
  const given = SECRET_FIELDS.filter((f) => map[f] !== undefined && map[f] !== null);
  if (given.length !== 1) {
    const problem = given.length === 0 ? 'is missing' : `is given more than once (${given.join(', ')})`;
    ctx.issues.add(path, `the secret ${problem}: give exactly one of secret, secretFile, secretEnv`);
    return undefined;
  }
  const field = given[0]!;
  const text = readString(map, field, path, ctx.issues, field === 'secret');
  if (text === undefined) return undefined;
  const found =
    field === 'secret'
      ? { value: text, source: { kind: 'inline' } as const }
      : field === 'secretFile'
        ? fromFile(text, fieldPath(path, field), ctx)
        : fromEnv(text, fieldPath(path, field), ctx);
  return found === undefined ? undefined : checkSecret(found, fieldPath(path, field), ctx);
}

function fromFile(file: string, path: string, ctx: ConfigContext): ReadSecret | undefined {
  const absolute = resolve(ctx.baseDir, file);
  try {
    return { value: readFileSync(absolute, 'utf8').trimEnd(), source: { kind: 'file', path: absolute } };
  } catch (err) {
    ctx.issues.add(path, `cannot read ${absolute}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    return undefined;
  }
}

function fromEnv(name: string, path: string, ctx: ConfigContext): ReadSecret | undefined {
  if (!ENV_NAME.test(name)) {
    ctx.issues.add(path, `must be an environment variable name, got ${quote(name)}`);
    return undefined;
  }
  const value = ctx.env[name];
  if (value === undefined || value === '') {
    ctx.issues.add(path, `environment variable ${name} is not set`);
    return undefined;
  }
  return { value: value.trimEnd(), source: { kind: 'env', name } };
}

function checkSecret(found: ReadSecret, path: string, ctx: ConfigContext): ReadSecret | undefined {
  if (SECRET_VALUE.test(found.value)) return found;
  const where = found.source.kind === 'file' ? ` (in ${found.source.path})` : found.source.kind === 'env' ? ` (in $${found.source.name})` : '';
  ctx.issues.add(path, `the secret${where} must be 16 to 128 printable characters without spaces (AWS secrets have 40)`);
  return undefined;
}
