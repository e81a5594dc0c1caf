/**
 * Reading `restoreTargets` (types and meaning: restore-target-config.ts). Each entry names its
 * account, region and resourceType, and how to reach the place: `url` (RDS: postgres://,
 * mysql://, mariadb://, never with a password; password by passwordFile/passwordEnv),
 * `endpoint` (DynamoDB, S3; credentials as for resources), or `path` (EFS). Nothing is contacted.
 */
import { fieldPath, quote } from './config-error.js';
import type { ConfigContext } from './config-context.js';
import { readList, readMap, requireString, readString } from './raw-fields.js';
import { readBoolean, readCredentials, readEndpoint, readScope, readUrl } from './read-resources.js';
import type { KnownScopes } from './read-resources.js';
import { readRestoreRoot } from './read-restore-roots.js';
import type { OwnDirectory } from './read-restore-roots.js';
import { readSecretField, secretFields } from './read-secret-field.js';
import { targetEndpoint } from './restore-target-config.js';
import type { RestoreTargetConfig } from './restore-target-config.js';

const BASE = ['account', 'region', 'resourceType'];
const CREDENTIALS = ['accessKeyId', ...secretFields('secretAccessKey', true)];
const FIELDS: Readonly<Record<RestoreTargetConfig['type'], readonly string[]>> = {
  RDS: [...BASE, 'url', 'engine', ...secretFields('password', false)],
  DynamoDB: [...BASE, 'endpoint', 'endpointRegion', ...CREDENTIALS],
  S3: [...BASE, 'endpoint', 'endpointRegion', 'forcePathStyle', ...CREDENTIALS],
  EFS: [...BASE, 'path'],
};
const TYPES = Object.keys(FIELDS) as RestoreTargetConfig['type'][];

export function readRestoreTargets(value: unknown, known: KnownScopes, own: readonly OwnDirectory[], ctx: ConfigContext): readonly RestoreTargetConfig[] {
  const targets: RestoreTargetConfig[] = [];
  const seen = new Map<string, string>();
  for (const [item, path] of readList(value, 'restoreTargets', ctx.issues)) {
    const target = readTarget(item, path, known, own, ctx);
    if (target === undefined) continue;
    const key = [target.accountId, target.region, target.type, target.type === 'RDS' ? target.engine : '', targetEndpoint(target)].join(' ');
    const first = seen.get(key);
    if (first !== undefined) {
      ctx.issues.add(
        path,
        `is the same target as ${first} (account ${target.accountId}, region ${target.region}, ${target.type} ${targetEndpoint(target)}); remove one`,
      );
      continue;
    }
    seen.set(key, path);
    targets.push(target);
  }
  return targets;
}

function readTarget(item: unknown, path: string, known: KnownScopes, own: readonly OwnDirectory[], ctx: ConfigContext): RestoreTargetConfig | undefined {
  const loose = readMap(item, path, [...new Set(Object.values(FIELDS).flat())], ctx.issues);
  if (loose === undefined) return undefined;
  const type = requireString(loose, 'resourceType', path, ctx.issues);
  if (type === undefined) return undefined;
  if (!TYPES.includes(type as RestoreTargetConfig['type'])) {
    ctx.issues.add(fieldPath(path, 'resourceType'), `must be one of ${TYPES.join(', ')}, got ${quote(type)}`);
    return undefined;
  }
  const kind = type as RestoreTargetConfig['type'];
  const before = ctx.issues.count;
  for (const key of Object.keys(loose)) {
    if (!FIELDS[kind].includes(key))
      ctx.issues.add(fieldPath(path, key), `is not a field of a ${kind} restore target (its fields: ${FIELDS[kind].join(', ')})`);
  }
  const scope = readScope(loose, path, known, ctx);
  const base = { accountId: scope?.accountId ?? '', region: scope?.region ?? '', at: path };
  let target: RestoreTargetConfig | undefined;
  switch (kind) {
    case 'RDS': {
      const url = readUrl(loose, path, ctx, false);
      if (url !== undefined)
        target = {
          type: kind,
          ...base,
          engine: url.engine,
          host: url.host,
          port: url.port,
          user: url.user,
          password: readSecretField(loose, 'password', path, ctx),
        };
      break;
    }
    case 'DynamoDB':
    case 'S3': {
      const endpoint = readEndpoint(loose, path, ctx) ?? '';
      const endpointRegion = readString(loose, 'endpointRegion', path, ctx.issues) ?? base.region;
      const credentials = readCredentials(loose, path, ctx);
      target =
        kind === 'S3'
          ? { type: kind, ...base, endpoint, endpointRegion, credentials, forcePathStyle: readBoolean(loose, 'forcePathStyle', path, ctx) ?? true }
          : { type: kind, ...base, endpoint, endpointRegion, credentials };
      break;
    }
    case 'EFS': {
      if (loose['path'] === undefined) {
        ctx.issues.add(fieldPath(path, 'path'), 'is required (the directory below which restores of this account and region go)');
        break;
      }
      const dir = readRestoreRoot(loose['path'], fieldPath(path, 'path'), own, ctx);
      if (dir !== undefined) target = { type: kind, ...base, path: dir };
      break;
    }
  }
  return ctx.issues.count === before ? target : undefined;
}
