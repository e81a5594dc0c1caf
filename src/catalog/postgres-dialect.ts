/**
 * PostgreSQL through `pg`: Kysely's PostgresDialect on a pool of this node's own, with what
 * the stores' portable queries need of it.
 * - bigint (int8) columns arrive as strings by default; every time here is a bigint of
 *   milliseconds and every count is int8, so this pool (only this one: the setting is per pool,
 *   not pg's global) parses type 20 as a number. Values stay far below 2^53.
 * - A unique violation is SQLSTATE 23505. Serialization failures and deadlocks (40001, 40P01)
 *   and a pool that cannot hand out a connection in time become CatalogBusyError: the same
 *   request may succeed in a moment.
 * - Connection errors name the server (host:port/db and user), never the password.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { PostgresDialect } from 'kysely';
import type { PostgresPool } from 'kysely';
import pg from 'pg';
import { CatalogBusyError } from './catalog-error.js';
import type { CatalogDialect } from './dialect.js';

export interface PostgresCatalogOptions {
  readonly kind: 'postgres';
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  /** Anything that reveals the password (config's Secret); undefined: trust, PGPASSWORD or ~/.pgpass. */
  readonly password?: { reveal(): string } | undefined;
  /** Connections in this node's pool; default 10. */
  readonly poolSize?: number | undefined;
  /** TLS (libpq's sslmode without fallbacks); undefined: unencrypted. */
  readonly ssl?: { readonly mode: 'require' | 'verify-ca' | 'verify-full'; readonly rootCertFile?: string | undefined } | undefined;
}

/**
 * pg's TLS options for an sslmode: require encrypts only (libpq checks no certificate then
 * either); verify-ca checks the chain (against sslrootcert, else the system's CAs) but not the
 * name; verify-full checks both. The CA file is read once, here, so a missing one fails the start.
 */
export function tlsOptions(ssl: PostgresCatalogOptions['ssl']): ConnectionOptions | false {
  if (ssl === undefined) return false;
  if (ssl.mode === 'require') return { rejectUnauthorized: false };
  let ca: Buffer | undefined;
  if (ssl.rootCertFile !== undefined) {
    try {
      ca = readFileSync(ssl.rootCertFile);
    } catch (err) {
      throw new Error(`cannot read the catalog's sslrootcert ${ssl.rootCertFile}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }
  return {
    rejectUnauthorized: true,
    ...(ca === undefined ? {} : { ca }),
    ...(ssl.mode === 'verify-ca' ? { checkServerIdentity: () => undefined } : {}),
  };
}

const INT8_OID = 20;
const BUSY_CODES = new Set(['40001', '40P01', '55P03']);
const CONNECT_TIMEOUT_MS = 10_000;

/** The server's name in messages. */
export function describePostgres(options: PostgresCatalogOptions): string {
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return `${options.user}@${host}:${options.port}/${options.database}${options.ssl === undefined ? '' : ` (sslmode=${options.ssl.mode})`}`;
}

export function createPostgresPool(options: PostgresCatalogOptions): pg.Pool {
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
  };
  const pool = new pg.Pool({
    host: options.host,
    port: options.port,
    user: options.user,
    database: options.database,
    ...(options.password === undefined ? {} : { password: options.password.reveal() }),
    ssl: tlsOptions(options.ssl),
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'coffer',
    types,
  });
  // An idle connection the server dropped (restart, failover) is discarded by the pool; the next
  // query opens a new one. Without a listener the process would die of the 'error' event.
  pool.on('error', () => undefined);
  return pool;
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && BUSY_CODES.has(code)) return true;
  return err instanceof Error && /timeout exceeded when trying to connect/i.test(err.message);
}

type Client = Pick<pg.PoolClient, 'query' | 'release'>;

/**
 * The pool as Kysely's driver sees it: the same clients (one wrapper each, kept while the client
 * lives, since the driver keys its connections by client), whose errors say what to do.
 */
function kyselyPool(pool: pg.Pool, name: string): PostgresPool {
  const wrappers = new WeakMap<pg.PoolClient, Client>();
  const wrap = (client: pg.PoolClient): Client => ({
    query: (async (text: string, values: unknown[]) => {
      try {
        return await client.query(text, values);
      } catch (err) {
        if (isBusy(err)) throw new CatalogBusyError();
        throw err;
      }
    }) as Client['query'],
    release: (destroy?: boolean | Error) => client.release(destroy),
  });
  return {
    async connect() {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        if (isBusy(err)) throw new CatalogBusyError();
        throw new Error(
          `cannot connect to the PostgreSQL catalog ${name}: ${(err as Error).message}; check the config's catalog field and that the server is running`,
          { cause: err },
        );
      }
      let wrapper = wrappers.get(client);
      if (wrapper === undefined) wrappers.set(client, (wrapper = wrap(client)));
      return wrapper as ReturnType<PostgresPool['connect']> extends Promise<infer C> ? C : never;
    },
    end: () => pool.end(),
  };
}

export class CofferPostgresDialect extends PostgresDialect {
  constructor(pool: pg.Pool, name: string) {
    super({ pool: kyselyPool(pool, name) });
  }
}

const UNIQUE_VIOLATION = '23505';

export const postgresDialect: CatalogDialect = {
  name: 'postgres',
  supportsSkipLocked: true,
  isUniqueViolation: (err) => (err as { code?: unknown } | null)?.code === UNIQUE_VIOLATION,
  placeholder: (n) => `$${n}`,
};
