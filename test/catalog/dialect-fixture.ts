/**
 * The catalog's tests on both dialects: a fresh catalog per test, removed afterwards. `test` here
 * registers its body twice, `name [sqlite]` and `name [postgres]`, and `withCatalog` inside it
 * opens a catalog of that run's dialect: an SQLite file in a temp directory, or this test
 * process's own PostgreSQL database (named with the process's run id, migrated once, every table
 * emptied before each test, dropped after the file's last test; making a database per test
 * costs seconds on a busy machine).
 */
// test-needs: postgres
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, test as nodeTest } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import type { Catalog } from '../../src/catalog/catalog.js';
import { openCatalog } from '../../src/catalog/open-catalog.js';
import type { CatalogOptions, PostgresCatalogOptions } from '../../src/catalog/open-catalog.js';
import { withCatalogDir } from './catalog-fixture.js';

export { allPages, createVault, DAY, MINUTE, OTHER_ACCOUNT, OTHER_REGION, SCOPE, T0, vaultArn, withCatalogDir } from './catalog-fixture.js';

export type DialectName = CatalogOptions['kind'];
export const DIALECTS: readonly DialectName[] = ['sqlite', 'postgres'];

/** The test server: 127.0.0.1:5432, user postgres, trust (scripts/test-setup.sh). */
export const POSTGRES_SERVER = { host: '127.0.0.1', port: 5432, user: 'postgres' } as const;

const running = new AsyncLocalStorage<DialectName>();

/** Registers `body` once per dialect; `withCatalog` in it opens that dialect's catalog. */
export function test(name: string, body: () => Promise<void>): void {
  for (const dialect of DIALECTS) nodeTest(`${name} [${dialect}]`, () => running.run(dialect, body));
}

/** The dialect of the test running now (sqlite outside `test`). */
export function currentDialect(): DialectName {
  return running.getStore() ?? 'sqlite';
}

/** A fresh, empty (migrated) catalog location of the running dialect, gone after `body`. */
export async function withCatalogLocation<T>(body: (where: CatalogOptions) => Promise<T>): Promise<T> {
  if (currentDialect() === 'sqlite') return withCatalogDir((dir) => body({ kind: 'sqlite', file: join(dir, 'catalog.sqlite') }));
  return body(await emptyPostgresDatabase());
}

/** `body` gets the open catalog and where it is (an SQLite file's options carry `file`). */
export function withCatalog<T>(body: (catalog: Catalog, where: CatalogOptions) => Promise<T>): Promise<T> {
  return withCatalogLocation(async (where) => {
    const catalog = await openCatalog(where);
    try {
      return await body(catalog, where);
    } finally {
      await catalog.close();
    }
  });
}

/** Rows of hand-written SQL run outside the catalog (to look at the schema itself). */
export async function rawRows(where: CatalogOptions, text: string): Promise<Record<string, unknown>[]> {
  if (where.kind === 'sqlite') {
    const raw = new SqliteDatabase(where.file, { readonly: true });
    try {
      return raw.prepare(text).all() as Record<string, unknown>[];
    } finally {
      raw.close();
    }
  }
  const client = new pg.Client({ ...POSTGRES_SERVER, database: where.database });
  await client.connect();
  try {
    return (await client.query(text)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

/** The catalog's own tables (not the migration history's). */
export async function tablesOf(where: CatalogOptions): Promise<string[]> {
  const rows =
    where.kind === 'sqlite'
      ? await rawRows(where, "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'catalog_migrations%'")
      : await rawRows(
          where,
          "select table_name as name from information_schema.tables where table_schema = 'public' and table_name not like 'catalog_migrations%'",
        );
  return rows.map((r) => String(r['name'])).sort();
}

const RUN = `coffer_t_${process.pid}_${randomBytes(3).toString('hex')}`;
let database: Promise<PostgresCatalogOptions> | undefined;

// Registered at load, outside any test: runs once, after the file's last test.
after(async () => {
  if (database !== undefined) await admin(async (client) => client.query(`drop database if exists "${(await database!).database}" with (force)`));
});

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...POSTGRES_SERVER, database: 'postgres' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** This process's database, migrated, with every catalog table empty. */
export async function emptyPostgresDatabase(): Promise<PostgresCatalogOptions> {
  database ??= (async () => {
    const where = { kind: 'postgres', ...POSTGRES_SERVER, database: RUN } as const;
    await admin((client) => client.query(`create database "${RUN}"`));
    await (await openCatalog(where)).close();
    return where;
  })();
  const where = await database;
  const tables = await tablesOf(where);
  await rawRows(where, `truncate table ${tables.map((t) => `"${t}"`).join(', ')}`);
  return where;
}
