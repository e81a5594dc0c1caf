/**
 * A database server URL in a resource entry: `postgres://user@host:port/db` or
 * `mysql://user@host:port/db` (`postgresql:`, `mariadb:` too). The password never goes in the
 * URL (passwordFile / passwordEnv); messages about a URL never quote it, it may hold one.
 */
import type { DatabaseEngine } from './resource-config.js';

export interface DatabaseUrl {
  readonly engine: DatabaseEngine;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** '' when the URL names none. */
  readonly database: string;
}

const SCHEMES: Readonly<Record<string, DatabaseEngine>> = {
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
  'mysql:': 'mariadb',
  'mariadb:': 'mariadb',
};
const DEFAULTS: Readonly<Record<DatabaseEngine, { readonly port: number; readonly user: string }>> = {
  postgres: { port: 5432, user: 'postgres' },
  mariadb: { port: 3306, user: 'root' },
};

/** The parsed URL, or why it is refused (without quoting it). */
export function parseDatabaseUrl(text: string): DatabaseUrl | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be a URL like postgres://user@host:5432/dbname or mysql://user@host:3306/dbname';
  }
  const engine = SCHEMES[url.protocol];
  if (engine === undefined) return 'must start with postgres://, postgresql://, mysql:// or mariadb://';
  if (url.password !== '') return 'must not hold a password; give it with passwordFile or passwordEnv';
  if (url.hostname === '') return 'must name a host';
  if (url.search !== '' || url.hash !== '') return 'must not have query parameters or a fragment';
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database.includes('/')) return 'names a database with a slash; a URL names at most one database';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port === '' ? DEFAULTS[engine].port : Number(url.port);
  const user = url.username === '' ? DEFAULTS[engine].user : decodeURIComponent(url.username);
  return { engine, host, port, user, database };
}
