/**
 * Opening the embedded catalog: an SQLite file (created mode 0600, its directory 0700) in WAL
 * mode with a busy timeout, foreign keys on, and every pending migration applied before the
 * catalog is handed out.
 */
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely } from 'kysely';
import { createCatalog } from './catalog.js';
import type { Catalog } from './catalog.js';
import type { Database } from './database.js';
import { migrateToLatest } from './migrations.js';
import { CofferSqliteDialect, sqliteDialect } from './sqlite-dialect.js';

export interface SqliteCatalogOptions {
  readonly kind: 'sqlite';
  /** The database file, or `:memory:` (tests). */
  readonly file: string;
  /** How long a writer waits for another connection's lock before failing; default 5 s. */
  readonly busyTimeoutMs?: number;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

export async function openCatalog(options: SqliteCatalogOptions): Promise<Catalog> {
  const database = openSqlite(options);
  const db = new Kysely<Database>({ dialect: new CofferSqliteDialect({ database }) });
  try {
    await migrateToLatest(db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return createCatalog(db, sqliteDialect);
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
