/**
 * `regions`: AWS-style names, each with the storage location of its vaults (default
 * `file:<dataDir>/vaults/<name>`). Names and storage locations must be unique: two regions
 * sharing a directory would mix their vaults. No regions means `us-east-1`.
 */
import { join } from 'node:path';
import { fieldPath, quote } from './config-error.js';
import type { ConfigContext } from './config-context.js';
import { DEFAULT_REGION, VAULTS_DIR } from './defaults.js';
import { readList, readMap, requireString, readString } from './raw-fields.js';
import type { RegionConfig, StorageLocation } from './schema.js';
import { parseStorageLocation } from './storage-location.js';

const REGION_FIELDS = ['name', 'storage'] as const;
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
  return regions.map(({ name, storage }) => ({ name, storage }));
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
  const url = readString(map, 'storage', path, ctx.issues);
  if (url === undefined) return defaultRegion(name, dataDir);
  const storage = parseStorageLocation(url, ctx.baseDir);
  if (typeof storage === 'string') {
    ctx.issues.add(fieldPath(path, 'storage'), storage);
    return undefined;
  }
  return { name, storage };
}

function checkUnique(regions: readonly (RegionConfig & { readonly path: string })[], ctx: ConfigContext): void {
  const names = new Map<string, string>();
  const stores = new Map<string, string>();
  for (const region of regions) {
    const first = names.get(region.name);
    if (first !== undefined) ctx.issues.add(fieldPath(region.path, 'name'), `region ${region.name} is already configured by ${first}`);
    else names.set(region.name, region.path);
    const key = storageKey(region.storage);
    const other = stores.get(key);
    if (other !== undefined) ctx.issues.add(fieldPath(region.path, 'storage'), `same location as ${other}; each region needs its own`);
    else stores.set(key, region.path);
  }
}

function storageKey(storage: StorageLocation): string {
  return `${storage.kind}:${storage.path}`;
}
