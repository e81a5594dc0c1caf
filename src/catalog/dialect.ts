/**
 * What differs between the SQL databases the catalog runs on, kept to this one seam so that the
 * stores' queries are the same for all: row locks for claiming jobs, and recognising a unique
 * violation. Transactions come from Kysely (SQLite's driver begins them IMMEDIATE).
 *
 * For the PostgreSQL dialect to come: `pg` returns bigint (int8) columns as strings, and every
 * time here is a bigint of milliseconds, so its pool must parse type 20 as a number
 * (`types.setTypeParser(20, Number)`); unique violations are SQLSTATE 23505.
 */
import type { Kysely } from 'kysely';
import type { Database } from './database.js';

export interface CatalogDialect {
  readonly name: 'sqlite' | 'postgres';
  /**
   * Whether `FOR UPDATE SKIP LOCKED` exists. PostgreSQL: yes, so concurrent claimers skip each
   * other's rows. SQLite: no, and none is needed: a write statement holds the database lock.
   */
  readonly supportsSkipLocked: boolean;
  /** Whether `err` is a primary key or unique constraint violation. */
  isUniqueViolation(err: unknown): boolean;
  /** The `n`th (1-based) parameter in hand-written SQL: `?` on SQLite, `$n` on PostgreSQL. */
  placeholder(n: number): string;
}

/** What every store is built from. */
export interface StoreContext {
  readonly db: Kysely<Database>;
  readonly dialect: CatalogDialect;
}

/**
 * Runs `fn` in a transaction, or inside the caller's when `db` already is one (so a store's
 * multi-statement write joins an enclosing `catalog.transaction`).
 */
export function inTransaction<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
