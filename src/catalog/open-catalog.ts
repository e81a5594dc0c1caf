/**
 * Opening the catalog, with every pending migration applied before it is handed out:
 * - embedded: an SQLite file (created mode 0600, its directory 0700) in WAL mode with a busy
 *   timeout and foreign keys on;
 * - shared by many nodes: a PostgreSQL database through a pool of this node's own. Nodes that
 *   start together migrate one at a time (a session advisory lock); the others find the work done.
 */
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely } from 'kysely';
import { createCatalog } from './catalog.js';
import type { Catalog } from './catalog.js';
import type { Database } from './database.js';
import { migrateToLatest } from './migrations.js';

export type { PostgresCatalogOptions } from './postgres-dialect.js';
import { CofferPostgresDialect, createPostgresPool, describePostgres, postgresDialect } from './postgres-dialect.js';
import type { PostgresCatalogOptions } from './postgres-dialect.js';
import { CofferSqliteDialect, sqliteDialect } from './sqlite-dialect.js';

export interface SqliteCatalogOptions {
  readonly kind: 'sqlite';
  /** The database file, or `:memory:` (tests). */
  readonly file: string;
  /** How long a writer waits for another connection's lock before failing; default 5 s. */
  readonly busyTimeoutMs?: number;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

export type CatalogOptions = SqliteCatalogOptions | PostgresCatalogOptions;

export async function openCatalog(options: CatalogOptions): Promise<Catalog> {
  const [db, dialect] =
    options.kind === 'postgres'
      ? [new Kysely<Database>({ dialect: new CofferPostgresDialect(createPostgresPool(options), describePostgres(options)) }), postgresDialect]
      : [new Kysely<Database>({ dialect: new CofferSqliteDialect({ database: openSqlite(options) }) }), sqliteDialect];
  try {
    await migrateToLatest(db, dialect);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return createCatalog(db, dialect);
}

function openSqlite(options: SqliteCatalogOptions): SqliteDatabase.Database {
  if (options.file !== ':memory:') createPrivateFile(options.file);
  const database = new SqliteDatabase(options.file, { timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
  try {
    database.pragma('journal_mode = WAL');
    // FULL: a committed job state or recovery point survives power loss, not only a crash.
    database.pragma('synchronous = FULL');
    database.pragma('foreign_keys = ON');
    return database;
  } catch (err) {
    database.close();
    throw err;
  }
}

/** Creates the file owner-only if missing; SQLite gives its -wal and -shm files the same mode. */
function createPrivateFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
}
