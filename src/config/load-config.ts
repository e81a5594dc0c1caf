/**
 * Loading the deployment config: read the YAML file, fill in the defaults, resolve relative
 * paths against the file's directory, read secrets from files and the environment, and check
 * everything. A config with problems is refused as a whole with a ConfigError naming each bad
 * field; nothing half-valid reaches the service.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { ConfigError, IssueList } from './config-error.js';
import type { ConfigContext } from './config-context.js';
import { DEFAULT_DATA_DIR, DEFAULT_LISTEN } from './defaults.js';
import { parseListenAddress } from './listen-address.js';
import { readMap, readString } from './raw-fields.js';
import type { RawMap } from './raw-fields.js';
import { readAccounts } from './read-accounts.js';
import { readCatalog } from './read-catalog.js';
import { readLog } from './read-log.js';
import { readMetrics } from './read-metrics.js';
import { readNotifications } from './read-notifications.js';
import { readOrganization } from './read-organization.js';
import { readRegions } from './read-regions.js';
import { readReports } from './read-reports.js';
import { readResources } from './read-resources.js';
import { readRestoreRoots } from './read-restore-roots.js';
import { readRestoreTargets } from './read-restore-targets.js';
import { ownDirectories } from './own-directories.js';
import type { CofferConfig, ListenAddress } from './schema.js';

const TOP_FIELDS = [
  'listen',
  'dataDir',
  'catalog',
  'organization',
  'accounts',
  'regions',
  'resources',
  'restoreRoots',
  'restoreTargets',
  'rootKeyFile',
  'notifications',
  'metrics',
  'log',
  'reports',
] as const;

export interface LoadConfigOptions {
  /** Where `secretEnv` variables are read; default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Base of relative paths when there is no file; default process.cwd(). */
  readonly cwd?: string;
}

/** Loads `file`, or the embedded default when `file` is undefined. Throws ConfigError. */
export async function loadConfig(file: string | undefined, options: LoadConfigOptions = {}): Promise<CofferConfig> {
  const cwd = options.cwd ?? process.cwd();
  if (file === undefined) return parseConfig('', { baseDir: cwd, env: options.env });
  const source = isAbsolute(file) ? file : resolve(cwd, file);
  let text: string;
  try {
    text = await readFile(source, 'utf8');
  } catch (err) {
    throw new ConfigError(source, [{ path: '', message: `cannot read ${source}: ${(err as NodeJS.ErrnoException).code ?? 'error'}` }]);
  }
  return parseConfig(text, { source, baseDir: dirname(source), env: options.env });
}

export interface ParseConfigOptions {
  readonly source?: string;
  readonly baseDir: string;
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
}

/** Parses config YAML text (empty text gives the embedded default). Throws ConfigError. */
export function parseConfig(text: string, options: ParseConfigOptions): CofferConfig {
  const ctx: ConfigContext = { baseDir: options.baseDir, env: options.env ?? process.env, issues: new IssueList() };
  const raw = parseYaml(text, ctx);
  ctx.issues.throwIfAny(options.source);
  const config = readConfig(raw, options.source, ctx);
  ctx.issues.throwIfAny(options.source);
  return config;
}

function parseYaml(text: string, ctx: ConfigContext): unknown {
  const lineCounter = new LineCounter();
  // prettyErrors would quote the offending source line, which may hold a secret.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  for (const error of doc.errors) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    ctx.issues.add('', `YAML syntax error at line ${line}, column ${col}: ${error.message}`);
  }
  return doc.errors.length > 0 ? undefined : doc.toJS({ maxAliasCount: 100 });
}

function readConfig(raw: unknown, source: string | undefined, ctx: ConfigContext): CofferConfig {
  const map = raw === undefined || raw === null ? {} : (readMap(raw, '', TOP_FIELDS, ctx.issues) ?? {});
  // Fields are read in the order the documentation lists them, so issues come in that order.
  const listen = readListen(map, ctx);
  const dataDir = readDataDir(map, ctx);
  const catalog = readCatalog(map, dataDir, ctx);
  const accounts = readAccounts(map['accounts'], ctx);
  const accountIds = new Set(accounts.map((a) => a.id));
  const organization = readOrganization(map['organization'], accountIds, ctx);
  const regions = readRegions(map['regions'], dataDir, ctx);
  const known = { accountIds, regions: new Set(regions.map((r) => r.name)) };
  const { resources, discoveries } = readResources(map['resources'], known, ctx);
  const own = ownDirectories({ dataDir, regions, catalog });
  const restoreRoots = readRestoreRoots(map['restoreRoots'], own, ctx);
  const restoreTargets = readRestoreTargets(map['restoreTargets'], known, own, ctx);
  const rootKeyFile = readRootKeyFile(map, ctx);
  const notifications = readNotifications(map['notifications'], accountIds, ctx);
  const metrics = readMetrics(map['metrics'], ctx);
  const log = readLog(map['log'], ctx);
  const reports = readReports(map['reports'], dataDir, ctx);
  return {
    source,
    listen,
    dataDir,
    catalog,
    organization,
    accounts,
    regions,
    resources,
    discoveries,
    restoreRoots,
    restoreTargets,
    rootKeyFile,
    notifications,
    metrics,
    log,
    reports,
  };
}

/** `rootKeyFile`: where the root key is (read at start by server/root-key.ts, not here). */
function readRootKeyFile(map: RawMap, ctx: ConfigContext): string | undefined {
  const value = readString(map, 'rootKeyFile', '', ctx.issues);
  if (value === undefined) return undefined;
  if (value.trim() === '') {
    ctx.issues.add('rootKeyFile', 'must name a file (holding the base64 of 32 bytes, e.g. from `openssl rand -base64 32`)');
    return undefined;
  }
  return resolve(ctx.baseDir, value);
}

function readDataDir(map: RawMap, ctx: ConfigContext): string {
  const value = readString(map, 'dataDir', '', ctx.issues) ?? DEFAULT_DATA_DIR;
  if (value === '') ctx.issues.add('dataDir', 'must name a directory');
  return resolve(ctx.baseDir, value || DEFAULT_DATA_DIR);
}

function readListen(map: RawMap, ctx: ConfigContext): ListenAddress {
  const parsed = parseListenAddress(readString(map, 'listen', '', ctx.issues) ?? DEFAULT_LISTEN);
  if (typeof parsed !== 'string') return parsed;
  ctx.issues.add('listen', parsed);
  return { host: '127.0.0.1', port: 0 };
}
