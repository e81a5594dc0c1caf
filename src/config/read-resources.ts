/**
 * `resources`: the registry of what can be backed up. Each entry is either one resource (its ARN
 * says the type: an EFS directory, an RDS database, a DynamoDB table, an S3 bucket) or a
 * `discover` entry naming a server or endpoint whose databases, tables or buckets are found at
 * run time. ARNs' accounts and regions must be configured. Directories, servers and endpoints
 * are not contacted here: one that is down fails its backup job, not the service start.
 */
import { isAbsolute, resolve } from 'node:path';
import type { ConfigSecret, DiscoveryConfig, EndpointCredentials, ResourceConfig } from './resource-config.js';
import { fieldPath, quote } from './config-error.js';
import type { ConfigContext } from './config-context.js';
import { parseDatabaseUrl } from './database-url.js';
import type { DatabaseUrl } from './database-url.js';
import { readList, readMap, readString, requireString } from './raw-fields.js';
import type { RawMap } from './raw-fields.js';
import { parseResourceArn } from './resource-arn.js';
import type { ResourceArn } from './resource-arn.js';
import { readSecretField, secretFields } from './read-secret-field.js';

const COMMON = ['arn', 'tags'] as const;
const PASSWORD = secretFields('password', false);
const CREDENTIALS = ['accessKeyId', ...secretFields('secretAccessKey', true)];
const FIELDS: Readonly<Record<ResourceArn['type'], readonly string[]>> = {
  EFS: [...COMMON, 'path'],
  RDS: [...COMMON, 'url', 'engine', ...PASSWORD, 'kmsKeyId'],
  DynamoDB: [...COMMON, 'endpoint', 'endpointRegion', ...CREDENTIALS],
  S3: [...COMMON, 'account', 'region', 'endpoint', 'endpointRegion', 'prefix', 'forcePathStyle', ...CREDENTIALS],
};
const DISCOVER_FIELDS = [
  'type',
  'name',
  'account',
  'region',
  'tags',
  'url',
  'engine',
  ...PASSWORD,
  'kmsKeyId',
  'endpoint',
  'endpointRegion',
  'forcePathStyle',
  ...CREDENTIALS,
];
const DISCOVERY_NAME = /^[a-z](?:[a-z0-9]|-(?!-)){0,30}$/;
const MAX_TAGS = 50;

export interface KnownScopes {
  readonly accountIds: ReadonlySet<string>;
  readonly regions: ReadonlySet<string>;
}

export interface ResourceEntries {
  readonly resources: readonly ResourceConfig[];
  readonly discoveries: readonly DiscoveryConfig[];
}

export function readResources(value: unknown, known: KnownScopes, ctx: ConfigContext): ResourceEntries {
  const resources: ResourceConfig[] = [];
  const discoveries: DiscoveryConfig[] = [];
  const seen = new Map<string, string>();
  for (const [item, path] of readList(value, 'resources', ctx.issues)) {
    if (isMap(item) && 'discover' in item) {
      readMap(item, path, ['discover'], ctx.issues);
      const found = readDiscovery(item['discover'], fieldPath(path, 'discover'), known, ctx);
      if (found === undefined) continue;
      const first = seen.get(`discover:${found.name}`);
      if (first !== undefined) ctx.issues.add(fieldPath(fieldPath(path, 'discover'), 'name'), `discovery ${found.name} is already configured by ${first}`);
      else seen.set(`discover:${found.name}`, path);
      discoveries.push(found);
      continue;
    }
    const resource = readResource(item, path, known, ctx);
    if (resource === undefined) continue;
    const first = seen.get(resource.arn);
    if (first !== undefined) ctx.issues.add(fieldPath(path, 'arn'), `resource ${resource.arn} is already configured by ${first}`);
    else seen.set(resource.arn, path);
    resources.push(resource);
  }
  return { resources, discoveries };
}

function isMap(value: unknown): value is RawMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readResource(value: unknown, path: string, known: KnownScopes, ctx: ConfigContext): ResourceConfig | undefined {
  if (!isMap(value)) return void readMap(value, path, COMMON, ctx.issues);
  const arn = requireString(value, 'arn', path, ctx.issues);
  const parsed = arn === undefined ? undefined : parseResourceArn(arn);
  if (typeof parsed === 'string') ctx.issues.add(fieldPath(path, 'arn'), `${parsed}, got ${quote(arn)}`);
  if (arn === undefined || parsed === undefined || typeof parsed === 'string') return undefined;
  const map = readMap(value, path, FIELDS[parsed.type], ctx.issues)!;
  const before = ctx.issues.count;
  const tags = readTags(map['tags'], fieldPath(path, 'tags'), ctx);
  const scope = parsed.type === 'S3' ? readScope(map, path, known, ctx) : checkScope(parsed, fieldPath(path, 'arn'), known, ctx);
  const base = { arn, name: parsed.name, tags: tags ?? {}, accountId: scope?.accountId ?? '', region: scope?.region ?? '' };
  const resource = readTyped(parsed.type, map, path, base, ctx);
  return ctx.issues.count === before ? resource : undefined;
}

type Base = {
  readonly arn: string;
  readonly name: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly accountId: string;
  readonly region: string;
};

function readTyped(type: ResourceArn['type'], map: RawMap, path: string, base: Base, ctx: ConfigContext): ResourceConfig | undefined {
  switch (type) {
    case 'EFS': {
      const dir = requireString(map, 'path', path, ctx.issues);
      return dir === undefined ? undefined : { type, ...base, path: isAbsolute(dir) ? resolve(dir) : resolve(ctx.baseDir, dir) };
    }
    case 'RDS': {
      const url = readUrl(map, path, ctx, true);
      if (url === undefined) return undefined;
      const { engine, host, port, user, database } = url;
      return {
        type,
        ...base,
        engine,
        host,
        port,
        user,
        database,
        password: readSecretField(map, 'password', path, ctx),
        kmsKeyId: readString(map, 'kmsKeyId', path, ctx.issues),
      };
    }
    case 'DynamoDB': {
      const endpoint = readEndpoint(map, path, ctx);
      return {
        type,
        ...base,
        endpoint: endpoint ?? '',
        endpointRegion: readString(map, 'endpointRegion', path, ctx.issues) ?? base.region,
        table: base.name,
        credentials: readCredentials(map, path, ctx),
      };
    }
    case 'S3': {
      const endpoint = readEndpoint(map, path, ctx);
      const prefix = readString(map, 'prefix', path, ctx.issues) ?? '';
      if (prefix.startsWith('/')) ctx.issues.add(fieldPath(path, 'prefix'), 'is a key prefix and must not start with /');
      return {
        type,
        ...base,
        endpoint: endpoint ?? '',
        endpointRegion: readString(map, 'endpointRegion', path, ctx.issues) ?? base.region,
        bucket: base.name,
        prefix,
        forcePathStyle: readBoolean(map, 'forcePathStyle', path, ctx) ?? true,
        credentials: readCredentials(map, path, ctx),
      };
    }
  }
}

function readDiscovery(value: unknown, path: string, known: KnownScopes, ctx: ConfigContext): DiscoveryConfig | undefined {
  const map = readMap(value, path, DISCOVER_FIELDS, ctx.issues);
  if (map === undefined) return undefined;
  const before = ctx.issues.count;
  const name = requireString(map, 'name', path, ctx.issues);
  if (name !== undefined && !DISCOVERY_NAME.test(name))
    ctx.issues.add(
      fieldPath(path, 'name'),
      `must be 1 to 31 lower-case letters, digits and single hyphens, starting with a letter (it begins every ARN id found), got ${quote(name)}`,
    );
  const scope = readScope(map, path, known, ctx);
  const tags = readTags(map['tags'], fieldPath(path, 'tags'), ctx) ?? {};
  const type = readString(map, 'type', path, ctx.issues) ?? (map['url'] !== undefined ? 'RDS' : undefined);
  const base = { name: name ?? '', accountId: scope?.accountId ?? '', region: scope?.region ?? '', tags };
  let found: DiscoveryConfig | undefined;
  if (type === 'RDS') {
    const url = readUrl(map, path, ctx, false);
    if (url !== undefined) {
      found = {
        type,
        ...base,
        engine: url.engine,
        host: url.host,
        port: url.port,
        user: url.user,
        password: readSecretField(map, 'password', path, ctx),
        kmsKeyId: readString(map, 'kmsKeyId', path, ctx.issues),
      };
    }
  } else if (type === 'DynamoDB' || type === 'S3') {
    const endpoint = readEndpoint(map, path, ctx) ?? '';
    const endpointRegion = readString(map, 'endpointRegion', path, ctx.issues) ?? base.region;
    const credentials = readCredentials(map, path, ctx);
    found =
      type === 'S3'
        ? { type, ...base, endpoint, endpointRegion, credentials, forcePathStyle: readBoolean(map, 'forcePathStyle', path, ctx) ?? true }
        : { type, ...base, endpoint, endpointRegion, credentials };
  } else {
    ctx.issues.add(
      fieldPath(path, 'type'),
      type === undefined ? 'is required unless url names a database server (RDS, DynamoDB or S3)' : `must be RDS, DynamoDB or S3, got ${quote(type)}`,
    );
  }
  return ctx.issues.count === before ? found : undefined;
}

/** `url` (+ optional `engine`, which must agree with the URL's scheme). */
export function readUrl(map: RawMap, path: string, ctx: ConfigContext, needsDatabase: boolean): DatabaseUrl | undefined {
  const text = requireString(map, 'url', path, ctx.issues, true);
  if (text === undefined) return undefined;
  const url = parseDatabaseUrl(text);
  if (typeof url === 'string') return void ctx.issues.add(fieldPath(path, 'url'), url);
  if (needsDatabase && url.database === '')
    return void ctx.issues.add(fieldPath(path, 'url'), 'must name the database, e.g. postgres://postgres@127.0.0.1:5432/orders');
  const engine = readString(map, 'engine', path, ctx.issues);
  if (engine !== undefined && engine !== url.engine) {
    ctx.issues.add(
      fieldPath(path, 'engine'),
      engine === 'postgres' || engine === 'mariadb'
        ? `is ${engine} but the url's scheme says ${url.engine}`
        : `must be postgres or mariadb, got ${quote(engine)}`,
    );
    return undefined;
  }
  return url;
}

export function readEndpoint(map: RawMap, path: string, ctx: ConfigContext): string | undefined {
  const endpoint = requireString(map, 'endpoint', path, ctx.issues);
  if (endpoint === undefined) return undefined;
  if (!/^https?:\/\/[^/@\s]+(\/.*)?$/.test(endpoint))
    return void ctx.issues.add(fieldPath(path, 'endpoint'), 'must be an http:// or https:// URL without credentials, e.g. http://127.0.0.1:9000');
  return endpoint.replace(/\/+$/, '');
}

/** `accessKeyId` with `secretAccessKey` (inline, File or Env), or neither; also a region's storageCredentials. */
export function readCredentials(map: RawMap, path: string, ctx: ConfigContext): EndpointCredentials | undefined {
  const accessKeyId = readString(map, 'accessKeyId', path, ctx.issues);
  const secret: ConfigSecret | undefined = readSecretField(map, 'secretAccessKey', path, ctx, true);
  if (accessKeyId === undefined && secret === undefined) return undefined;
  // A secret field given but unreadable has its own issue already.
  if (secret === undefined && secretFields('secretAccessKey', true).some((f) => map[f] !== undefined && map[f] !== null)) return undefined;
  if (accessKeyId === undefined || secret === undefined) {
    return void ctx.issues.add(path, 'give both accessKeyId and one of secretAccessKey, secretAccessKeyFile, secretAccessKeyEnv (or neither)');
  }
  return { accessKeyId, secretAccessKey: secret };
}

export function readBoolean(map: RawMap, key: string, path: string, ctx: ConfigContext): boolean | undefined {
  const value = map[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  return void ctx.issues.add(fieldPath(path, key), `must be true or false, got ${quote(value)}`);
}

/** `account` and `region` fields (S3 resources, discovery entries). */
export function readScope(map: RawMap, path: string, known: KnownScopes, ctx: ConfigContext): { accountId: string; region: string } | undefined {
  const accountId = requireString(map, 'account', path, ctx.issues);
  const region = requireString(map, 'region', path, ctx.issues);
  if (accountId === undefined || region === undefined) return undefined;
  return checkScope({ accountId, region }, path, known, ctx, true);
}

function checkScope(
  parsed: { accountId: string; region: string },
  path: string,
  known: KnownScopes,
  ctx: ConfigContext,
  fields = false,
): { accountId: string; region: string } | undefined {
  if (!known.accountIds.has(parsed.accountId)) {
    return void ctx.issues.add(fields ? fieldPath(path, 'account') : path, `account ${parsed.accountId} is not configured (add it under accounts)`);
  }
  if (!known.regions.has(parsed.region)) {
    return void ctx.issues.add(fields ? fieldPath(path, 'region') : path, `region ${quote(parsed.region)} is not configured (add it under regions)`);
  }
  return parsed;
}

/** AWS tag rules: up to 50, keys 1..128 characters not starting with `aws:`, values up to 256. */
function readTags(value: unknown, path: string, ctx: ConfigContext): Readonly<Record<string, string>> | undefined {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    ctx.issues.add(path, 'must be a mapping of tag keys to values, e.g. { backup: daily }');
    return undefined;
  }
  const before = ctx.issues.count;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_TAGS) ctx.issues.add(path, `has ${entries.length} tags; at most ${MAX_TAGS} are allowed`);
  for (const [key, tag] of entries) checkTag(key, tag, fieldPath(path, key), ctx);
  return ctx.issues.count === before ? (Object.fromEntries(entries) as Record<string, string>) : undefined;
}

function checkTag(key: string, value: unknown, path: string, ctx: ConfigContext): void {
  if (key.length < 1 || key.length > 128) ctx.issues.add(path, 'tag keys must be 1 to 128 characters');
  else if (key.toLowerCase().startsWith('aws:')) ctx.issues.add(path, 'tag keys starting with aws: are reserved');
  if (typeof value !== 'string') ctx.issues.add(path, `tag values must be strings, got ${quote(value)}; put it in quotes`);
  else if (value.length > 256) ctx.issues.add(path, 'tag values must be at most 256 characters');
}
