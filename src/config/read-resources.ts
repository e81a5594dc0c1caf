/**
 * `resources`: the registry of what can be backed up. Each has an ARN (whose account and region
 * must be configured), the local directory behind it, and tags that selections match on. The
 * directory is not checked here: a missing one fails its backup job, not the service start.
 */
import { isAbsolute, resolve } from 'node:path';
import { fieldPath, quote } from './config-error.js';
import type { ConfigContext } from './config-context.js';
import { readList, readMap, requireString } from './raw-fields.js';
import { parseResourceArn } from './resource-arn.js';
import type { ResourceArn } from './resource-arn.js';
import type { ResourceConfig } from './schema.js';

const RESOURCE_FIELDS = ['arn', 'path', 'tags'] as const;
const MAX_TAGS = 50;

export interface KnownScopes {
  readonly accountIds: ReadonlySet<string>;
  readonly regions: ReadonlySet<string>;
}

export function readResources(value: unknown, known: KnownScopes, ctx: ConfigContext): readonly ResourceConfig[] {
  const resources: ResourceConfig[] = [];
  const seen = new Map<string, string>();
  for (const [item, path] of readList(value, 'resources', ctx.issues)) {
    const resource = readResource(item, path, known, ctx);
    if (resource === undefined) continue;
    const first = seen.get(resource.arn);
    if (first !== undefined) ctx.issues.add(fieldPath(path, 'arn'), `resource ${resource.arn} is already configured by ${first}`);
    else seen.set(resource.arn, path);
    resources.push(resource);
  }
  return resources;
}

function readResource(value: unknown, path: string, known: KnownScopes, ctx: ConfigContext): ResourceConfig | undefined {
  const map = readMap(value, path, RESOURCE_FIELDS, ctx.issues);
  if (map === undefined) return undefined;
  const arn = requireString(map, 'arn', path, ctx.issues);
  const parsed = arn === undefined ? undefined : readArn(arn, fieldPath(path, 'arn'), known, ctx);
  const dir = requireString(map, 'path', path, ctx.issues);
  const tags = readTags(map['tags'], fieldPath(path, 'tags'), ctx);
  if (arn === undefined || parsed === undefined || dir === undefined || tags === undefined) return undefined;
  const absolute = isAbsolute(dir) ? resolve(dir) : resolve(ctx.baseDir, dir);
  return { type: parsed.type, arn, accountId: parsed.accountId, region: parsed.region, name: parsed.name, path: absolute, tags };
}

function readArn(arn: string, path: string, known: KnownScopes, ctx: ConfigContext): ResourceArn | undefined {
  const parsed = parseResourceArn(arn);
  if (typeof parsed === 'string') {
    ctx.issues.add(path, `${parsed}, got ${quote(arn)}`);
    return undefined;
  }
  if (!known.accountIds.has(parsed.accountId)) {
    ctx.issues.add(path, `account ${parsed.accountId} is not configured (add it under accounts)`);
    return undefined;
  }
  if (!known.regions.has(parsed.region)) {
    ctx.issues.add(path, `region ${quote(parsed.region)} is not configured (add it under regions)`);
    return undefined;
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
  return ctx.issues.count === before ? Object.fromEntries(entries) as Record<string, string> : undefined;
}

function checkTag(key: string, value: unknown, path: string, ctx: ConfigContext): void {
  if (key.length < 1 || key.length > 128) ctx.issues.add(path, 'tag keys must be 1 to 128 characters');
  else if (key.toLowerCase().startsWith('aws:')) ctx.issues.add(path, 'tag keys starting with aws: are reserved');
  if (typeof value !== 'string') ctx.issues.add(path, `tag values must be strings, got ${quote(value)}; put it in quotes`);
  else if (value.length > 256) ctx.issues.add(path, 'tag values must be at most 256 characters');
}
