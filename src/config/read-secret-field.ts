/**
 * A secret field of a resource: `<name>File` (a file holding it; trailing whitespace ignored) or
 * `<name>Env` (an environment variable's name); inline `<name>` only where allowed. At most one
 * may be given. Secret values never appear in messages.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ConfigSecret } from './resource-config.js';
import { fieldPath, quote } from './config-error.js';
import type { ConfigContext } from './config-context.js';
import { readString } from './raw-fields.js';
import type { RawMap } from './raw-fields.js';
import { Secret } from './secret.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The field names a secret `name` may be given by. */
export function secretFields(name: string, inline: boolean): readonly string[] {
  return inline ? [name, `${name}File`, `${name}Env`] : [`${name}File`, `${name}Env`];
}

/** `undefined` when none is given (or on an issue, recorded); `null` is never returned. */
export function readSecretField(map: RawMap, name: string, path: string, ctx: ConfigContext, inline = false): ConfigSecret | undefined {
  const given = secretFields(name, inline).filter((f) => map[f] !== undefined && map[f] !== null);
  if (given.length === 0) return undefined;
  if (given.length > 1) {
    ctx.issues.add(path, `${name} is given more than once (${given.join(', ')}); give one`);
    return undefined;
  }
  const field = given[0]!;
  const text = readString(map, field, path, ctx.issues, field === name);
  if (text === undefined) return undefined;
  const at = fieldPath(path, field);
  if (field === name) return { secret: new Secret(text), source: { kind: 'inline' } };
  if (field.endsWith('File')) {
    const absolute = resolve(ctx.baseDir, text);
    try {
      return { secret: new Secret(readFileSync(absolute, 'utf8').trimEnd()), source: { kind: 'file', path: absolute } };
    } catch (err) {
      ctx.issues.add(at, `cannot read ${absolute}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
      return undefined;
    }
  }
  if (!ENV_NAME.test(text)) {
    ctx.issues.add(at, `must be an environment variable name, got ${quote(text)}`);
    return undefined;
  }
  const value = ctx.env[text];
  if (value === undefined || value === '') {
    ctx.issues.add(at, `environment variable ${text} is not set`);
    return undefined;
  }
  return { secret: new Secret(value.trimEnd()), source: { kind: 'env', name: text } };
}
