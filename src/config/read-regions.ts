/**
 * `regions`: AWS-style names, each with the storage location of its vaults (default
 * `file:<dataDir>/vaults/<name>`) and optionally a cold storage location (`coldStorage`, same URL
 * forms; no default) where recovery points move at their MoveToColdStorageAt. Names and every
 * location (warm or cold) must be unique: two regions, or a region's warm and cold data, sharing
 * a directory would mix their repositories. No regions means `us-east-1`.
 */
import { join } from 'node:path';
import { fieldPath, quote } from './config-error.js';
import type { ConfigContext } from './config-context.js';
import { DEFAULT_REGION, VAULTS_DIR } from './defaults.js';
import { readList, readMap, requireString, readString } from './raw-fields.js';
import type { RawMap } from './raw-fields.js';
import type { RegionConfig, StorageLocation } from './schema.js';
import { readCredentials } from './read-resources.js';
import { secretFields } from './read-secret-field.js';
import type { EndpointCredentials } from './resource-config.js';
import { formatStorageLocation, parseStorageLocation } from './storage-location.js';

const REGION_FIELDS = ['name', 'storage', 'coldStorage', 'storageCredentials'] as const;
const CREDENTIAL_FIELDS = ['accessKeyId', ...secretFields('secretAccessKey', true)];
/** us-east-1, eu-central-1, us-gov-west-1, ap-southeast-4, eusc-de-east-1 ... */
const REGION_NAME = /^[a-z]{2,4}(-[a-z]+){1,2}-\d{1,2}$/;

export function isRegionName(name: string): boolean {
  return REGION_NAME.test(name);
}

export function readRegions(value: unknown, dataDir: string, ctx: ConfigContext): readonly RegionConfig[] {
  const items = readList(value, 'regions', ctx.issues);
  if (items.length === 0) return [defaultRegion(DEFAULT_REGION, dataDir)];
  const regions: (RegionConfig & { readonly path: string })[] = [];
  for (const [item, path] of items) {
    const region = readRegion(item, path, dataDir, ctx);
    if (region !== undefined) regions.push({ ...region, path });
  }
  checkUnique(regions, ctx);
  return regions.map(({ name, storage, coldStorage, storageCredentials }) => ({
    name,
    storage,
    ...(coldStorage === undefined ? {} : { coldStorage }),
    ...(storageCredentials === undefined ? {} : { storageCredentials }),
  }));
}

function defaultRegion(name: string, dataDir: string): RegionConfig {
  return { name, storage: { kind: 'file', path: join(dataDir, VAULTS_DIR, name) } };
}

function readRegion(value: unknown, path: string, dataDir: string, ctx: ConfigContext): RegionConfig | undefined {
  const map = readMap(value, path, REGION_FIELDS, ctx.issues);
  if (map === undefined) return undefined;
  const name = requireString(map, 'name', path, ctx.issues);
  if (name === undefined) return undefined;
  if (!isRegionName(name)) {
    ctx.issues.add(fieldPath(path, 'name'), `must be an AWS-style region name such as eu-central-1, got ${quote(name)}`);
    return undefined;
  }
  const storage = readLocation(map, 'storage', path, ctx);
  const coldStorage = readLocation(map, 'coldStorage', path, ctx);
  const storageCredentials = readStorageCredentials(map, path, [storage, coldStorage], ctx);
  if (storage === null || coldStorage === null || storageCredentials === null) return undefined;
  return {
    name,
    storage: storage ?? defaultRegion(name, dataDir).storage,
    ...(coldStorage === undefined ? {} : { coldStorage }),
    ...(storageCredentials === undefined ? {} : { storageCredentials }),
  };
}

/**
 * `storageCredentials: { accessKeyId, secretAccessKey | secretAccessKeyFile | secretAccessKeyEnv }`:
 * for the region's s3: locations (warm and cold); absent, the process's AWS credentials are used.
 */
function readStorageCredentials(
  map: RawMap,
  path: string,
  locations: readonly (StorageLocation | undefined | null)[],
  ctx: ConfigContext,
): EndpointCredentials | undefined | null {
  if (map['storageCredentials'] === undefined || map['storageCredentials'] === null) return undefined;
  const at = fieldPath(path, 'storageCredentials');
  const fields = readMap(map['storageCredentials'], at, CREDENTIAL_FIELDS, ctx.issues);
  if (fields === undefined) return null;
  const credentials = readCredentials(fields, at, ctx);
  if (credentials === undefined) {
    if (Object.keys(fields).length === 0) ctx.issues.add(at, 'give accessKeyId and one of secretAccessKey, secretAccessKeyFile, secretAccessKeyEnv');
    return null;
  }
  if (!locations.some((l) => l?.kind === 's3')) {
    ctx.issues.add(at, 'applies to s3: storage only; neither storage nor coldStorage of this region is an s3: URL');
    return null;
  }
  return credentials;
}

/** The location a field names; undefined when absent, null when wrong (the issue is recorded). */
function readLocation(map: RawMap, field: 'storage' | 'coldStorage', path: string, ctx: ConfigContext): StorageLocation | undefined | null {
  const url = readString(map, field, path, ctx.issues);
  if (url === undefined) return undefined;
  const location = parseStorageLocation(url, ctx.baseDir);
  if (typeof location === 'string') {
    ctx.issues.add(fieldPath(path, field), location);
    return null;
  }
  return location;
}

function checkUnique(regions: readonly (RegionConfig & { readonly path: string })[], ctx: ConfigContext): void {
  const names = new Map<string, string>();
  const stores = new Map<string, string>();
  for (const region of regions) {
    const first = names.get(region.name);
    if (first !== undefined) ctx.issues.add(fieldPath(region.path, 'name'), `region ${region.name} is already configured by ${first}`);
    else names.set(region.name, region.path);
    for (const field of ['storage', 'coldStorage'] as const) {
      const location = region[field];
      if (location === undefined) continue;
      const here = field === 'storage' ? region.path : fieldPath(region.path, field);
      const other = stores.get(storageKey(location));
      const needs = field === 'storage' && !other?.endsWith('.coldStorage') ? 'each region needs its own' : 'cold storage needs a location of its own';
      if (other !== undefined) ctx.issues.add(fieldPath(region.path, field), `same location as ${other}; ${needs}`);
      else stores.set(storageKey(location), here);
    }
  }
}

function storageKey(storage: StorageLocation): string {
  return formatStorageLocation(storage);
}
