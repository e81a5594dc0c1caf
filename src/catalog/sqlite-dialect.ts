/**
 * SQLite through better-sqlite3: Kysely's SqliteDialect with two corrections.
 * - Transactions begin IMMEDIATE: a deferred one that reads first and writes later fails at once
 *   with SQLITE_BUSY when another connection wrote meanwhile; IMMEDIATE takes the write lock up
 *   front and waits for it (busy_timeout) instead.
 * - SQLite has transactional DDL, so migrations run in a transaction and a crash cannot leave
 *   one half applied (Kysely's adapter says otherwise to be safe for all setups).
 */
import { CompiledQuery, SqliteAdapter, SqliteDialect, SqliteDriver } from 'kysely';
import type { DatabaseConnection, DialectAdapter, Driver, SqliteDialectConfig } from 'kysely';
import type { CatalogDialect } from './dialect.js';

class ImmediateSqliteDriver extends SqliteDriver {
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
    return new ImmediateSqliteDriver(this.#config);
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
};
