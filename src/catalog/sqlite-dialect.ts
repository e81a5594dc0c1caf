/**
 * SQLite through better-sqlite3: Kysely's SqliteDialect with two corrections.
 * - Transactions begin IMMEDIATE: a deferred one that reads first and writes later fails at once
 *   with SQLITE_BUSY when another connection wrote meanwhile; IMMEDIATE takes the write lock up
 *   front and waits for it (busy_timeout) instead.
 * - SQLite has transactional DDL, so migrations run in a transaction and a crash cannot leave
 *   one half applied (Kysely's adapter says otherwise to be safe for all setups).
 * - SQLITE_BUSY (the write lock stayed taken past busy_timeout) becomes CatalogBusyError, so
 *   callers can tell "retry in a moment" from a real failure.
 * - Prepared statements are kept by SQL text (the most recent few hundred): the same queries
 *   run again and again (job claims, the scheduler's bulk inserts), and preparing costs more
 *   than running them.
 */
import { CompiledQuery, SqliteAdapter, SqliteDialect, SqliteDriver } from 'kysely';
import type { DatabaseConnection, DialectAdapter, Driver, QueryResult, SqliteDialectConfig } from 'kysely';
import { CatalogBusyError } from './catalog-error.js';
import type { CatalogDialect } from './dialect.js';

const BUSY_CODES = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY', 'SQLITE_BUSY_TIMEOUT']);

const STATEMENT_CACHE_SIZE = 256;

type RawDatabase = Extract<SqliteDialectConfig['database'], { prepare: unknown }>;
type RawStatement = ReturnType<RawDatabase['prepare']>;

/** Runs queries as Kysely's own SQLite connection does, with statements prepared once per SQL text. */
function cachedStatements(db: RawDatabase): (query: CompiledQuery) => QueryResult<unknown> {
  const cache = new Map<string, RawStatement>();
  return ({ sql, parameters }) => {
    let stmt = cache.get(sql);
    if (stmt === undefined) {
      stmt = db.prepare(sql);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(sql, stmt);
    }
    if (stmt.reader) return { rows: stmt.all(parameters as unknown[]) };
    const { changes, lastInsertRowid } = stmt.run(parameters as unknown[]);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  };
}

function busyAware(connection: DatabaseConnection, run: ((query: CompiledQuery) => QueryResult<unknown>) | undefined): DatabaseConnection {
  return {
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      try {
        return run === undefined ? await connection.executeQuery<R>(query) : (run(query) as QueryResult<R>);
      } catch (err) {
        if (BUSY_CODES.has((err as { code?: unknown } | null)?.code as string)) throw new CatalogBusyError();
        throw err;
      }
    },
    streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
  };
}

class ImmediateSqliteDriver extends SqliteDriver {
  #wrapped: DatabaseConnection | undefined;

  constructor(
    private readonly rawDatabase: RawDatabase | undefined,
    config: SqliteDialectConfig,
  ) {
    super(config);
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection();
    return (this.#wrapped ??= busyAware(connection, this.rawDatabase === undefined ? undefined : cachedStatements(this.rawDatabase)));
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

export class CofferSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    const database = typeof this.#config.database === 'function' ? undefined : this.#config.database;
    return new ImmediateSqliteDriver(database, this.#config);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

const UNIQUE_CODES = new Set(['SQLITE_CONSTRAINT_PRIMARYKEY', 'SQLITE_CONSTRAINT_UNIQUE']);

export const sqliteDialect: CatalogDialect = {
  name: 'sqlite',
  supportsSkipLocked: false,
  isUniqueViolation: (err) => UNIQUE_CODES.has((err as { code?: unknown } | null)?.code as string),
  placeholder: () => '?',
};
