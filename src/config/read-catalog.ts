/**
 * `catalog`: where the catalog lives.
 * - `sqlite` (the file `<dataDir>/catalog.sqlite`) or `sqlite:<file>`: the embedded default;
 * - `postgres://USER[:PASS]@HOST[:PORT]/DB[?sslmode=...&sslrootcert=FILE]` (`postgresql:` too): a
 *   PostgreSQL database that any number of nodes share;
 * - the mapping `{ url: postgres://USER@HOST:PORT/DB, passwordFile | passwordEnv | password, poolSize }`,
 *   so that the password need not be in the config file.
 * A database URL is never quoted back in a message: it may hold a password.
 */
import { resolve } from 'node:path';
import type { ConfigContext } from './config-context.js';
import { fieldPath } from './config-error.js';
import { CATALOG_FILE, DEFAULT_CATALOG } from './defaults.js';
import { readMap, readString } from './raw-fields.js';
import type { RawMap } from './raw-fields.js';
import { readSecretField, secretFields } from './read-secret-field.js';
import type { CatalogLocation, PostgresCatalogLocation, PostgresSsl } from './schema.js';
import { Secret } from './secret.js';

export const DEFAULT_POOL_SIZE = 10;
const MAX_POOL_SIZE = 1000;
const MAPPING_FIELDS = ['url', ...secretFields('password', true), 'poolSize'] as const;
const POSTGRES_SCHEME = /^postgres(ql)?:\/\//i;
const SSL_PARAMETERS: readonly string[] = ['sslmode', 'sslrootcert'];

export function readCatalog(map: RawMap, dataDir: string, ctx: ConfigContext): CatalogLocation {
  const fallback: CatalogLocation = { kind: 'sqlite', file: resolve(dataDir, CATALOG_FILE) };
  const value = map['catalog'];
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return readMapping(value, ctx) ?? fallback;
  const text = readString(map, 'catalog', '', ctx.issues, true) ?? DEFAULT_CATALOG;
  if (text === 'sqlite') return fallback;
  if (text.startsWith('sqlite:') && text.length > 'sqlite:'.length) return { kind: 'sqlite', file: resolve(ctx.baseDir, text.slice('sqlite:'.length)) };
  if (POSTGRES_SCHEME.test(text)) return readPostgresUrl(text, 'catalog', ctx) ?? fallback;
  ctx.issues.add('catalog', 'must be sqlite, sqlite:<file> or postgres://USER@HOST:PORT/DB');
  return fallback;
}

function readMapping(value: object, ctx: ConfigContext): CatalogLocation | undefined {
  const map = readMap(value, 'catalog', MAPPING_FIELDS, ctx.issues);
  if (map === undefined) return undefined;
  const url = readString(map, 'url', 'catalog', ctx.issues, true);
  const at = fieldPath('catalog', 'url');
  if (url === undefined) {
    ctx.issues.add(at, 'is required: postgres://USER@HOST:PORT/DB');
    return undefined;
  }
  if (!POSTGRES_SCHEME.test(url)) {
    ctx.issues.add(at, 'must be postgres://USER@HOST:PORT/DB (the mapping form is for PostgreSQL; an SQLite catalog is `catalog: sqlite:<file>`)');
    return undefined;
  }
  const location = readPostgresUrl(url, at, ctx);
  const given = readSecretField(map, 'password', 'catalog', ctx, true);
  const poolSize = readPoolSize(map, ctx);
  if (location === undefined) return undefined;
  if (given !== undefined && location.password !== undefined) {
    ctx.issues.add('catalog', 'the password is given twice (in the url and as a password field); give one');
    return undefined;
  }
  return { ...location, password: given?.secret ?? location.password, poolSize };
}

function readPoolSize(map: RawMap, ctx: ConfigContext): number {
  const value = map['poolSize'];
  if (value === undefined || value === null) return DEFAULT_POOL_SIZE;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_POOL_SIZE) return value;
  ctx.issues.add(fieldPath('catalog', 'poolSize'), `must be a whole number from 1 to ${MAX_POOL_SIZE}`);
  return DEFAULT_POOL_SIZE;
}

function readPostgresUrl(text: string, at: string, ctx: ConfigContext): PostgresCatalogLocation | undefined {
  const refuse = (reason: string): undefined => void ctx.issues.add(at, reason);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse('must be a URL like postgres://coffer@db.example.com:5432/coffer');
  }
  if (url.hostname === '') return refuse('must name a host: postgres://USER@HOST:PORT/DB');
  if (url.hash !== '') return refuse('must not have a fragment');
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database === '') return refuse('must name a database: postgres://USER@HOST:PORT/DB');
  if (database.includes('/')) return refuse('names a database with a slash; the URL names one database');
  const ssl = readSslParameters(url.searchParams, at, ctx);
  if (ssl === null) return undefined;
  return {
    kind: 'postgres',
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? 5432 : Number(url.port),
    user: url.username === '' ? 'postgres' : decodeURIComponent(url.username),
    database,
    password: url.password === '' ? undefined : new Secret(decodeURIComponent(url.password)),
    poolSize: DEFAULT_POOL_SIZE,
    ...(ssl === undefined ? {} : { ssl }),
  };
}

/**
 * The URL's query: `sslmode` (disable, require, verify-ca, verify-full) and `sslrootcert` (a CA
 * file, relative to the config's directory). libpq's `allow` and `prefer` fall back to an
 * unencrypted connection, which Coffer does not do: they are refused, naming the choices. null:
 * refused (the issue is recorded); undefined: no TLS.
 */
function readSslParameters(params: URLSearchParams, at: string, ctx: ConfigContext): PostgresSsl | undefined | null {
  const refuse = (reason: string): null => {
    ctx.issues.add(at, reason);
    return null;
  };
  for (const name of new Set(params.keys())) {
    if (!SSL_PARAMETERS.includes(name)) return refuse(`has the query parameter ${JSON.stringify(name)}; only ${SSL_PARAMETERS.join(' and ')} are understood`);
    if (params.getAll(name).length > 1) return refuse(`gives ${name} twice`);
  }
  const mode = params.get('sslmode') ?? 'disable';
  const rootCert = params.get('sslrootcert');
  if (mode === 'allow' || mode === 'prefer')
    return refuse(
      `sslmode=${mode} may fall back to an unencrypted connection, which Coffer does not do: use sslmode=require, verify-ca or verify-full (or disable)`,
    );
  if (mode === 'disable') {
    if (rootCert !== null) return refuse('gives sslrootcert with sslmode=disable; use sslmode=verify-ca or verify-full to check the server against it');
    return undefined;
  }
  if (mode !== 'require' && mode !== 'verify-ca' && mode !== 'verify-full') return refuse(`sslmode must be disable, require, verify-ca or verify-full`);
  if (rootCert === '') return refuse('gives an empty sslrootcert');
  return { mode, ...(rootCert === null ? {} : { rootCertFile: resolve(ctx.baseDir, rootCert) }) };
}

/** How the catalog is named in lines for the operator: never the password. */
export function describeCatalog(catalog: CatalogLocation): string {
  if (catalog.kind === 'sqlite') return `sqlite ${catalog.file}`;
  const host = catalog.host.includes(':') ? `[${catalog.host}]` : catalog.host;
  return `postgres ${catalog.user}@${host}:${catalog.port}/${catalog.database}${catalog.ssl === undefined ? '' : ` (sslmode=${catalog.ssl.mode})`}`;
}
