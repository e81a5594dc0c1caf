/** Opening the SQLite catalog: WAL, migrations applied once, reopening keeps data, transactions. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { MIGRATION_NAMES } from '../../src/catalog/migrations.js';
import { openCatalog } from '../../src/catalog/open-catalog.js';
import { createVault, SCOPE, T0, withCatalogDir } from './catalog-fixture.js';

test('creates the file and its directory, in WAL mode, with the schema migrated once', () =>
  withCatalogDir(async (dir) => {
    const file = join(dir, 'nested', 'data', 'catalog.sqlite');
    const first = await openCatalog({ kind: 'sqlite', file });
    await createVault(first, SCOPE, 'daily');
    await first.close();
    const second = await openCatalog({ kind: 'sqlite', file });
    assert.equal((await second.vaults.get(SCOPE, 'daily'))?.name, 'daily');
    await second.close();
    const raw = new SqliteDatabase(file, { readonly: true });
    try {
      assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
      const migrations = raw.prepare('select name from catalog_migrations').all() as { name: string }[];
      assert.deepEqual(
        migrations.map((m) => m.name),
        MIGRATION_NAMES,
      );
      assert.deepEqual(
        migrations.slice(0, 3).map((m) => m.name),
        ['0001-initial-schema', '0002-vault-storage-location', '0003-repository-keys'],
      );
    } finally {
      raw.close();
    }
  }));

test('a transaction commits all its writes or none', () =>
  withCatalogDir(async (dir) => {
    const catalog = await openCatalog({ kind: 'sqlite', file: join(dir, 'catalog.sqlite') });
    try {
      await assert.rejects(
        catalog.transaction(async (tx) => {
          await createVault(tx, SCOPE, 'daily');
          await tx.tags.tag(SCOPE, 'arn:vault', { a: '1' });
          throw new Error('changed my mind');
        }),
        /changed my mind/,
      );
      assert.equal(await catalog.vaults.get(SCOPE, 'daily'), undefined);
      assert.deepEqual(await catalog.tags.get(SCOPE, 'arn:vault'), {});
      await catalog.transaction(async (tx) => {
        await tx.plans.create(SCOPE, { id: 'p1', arn: 'arn:p1', name: 'p', versionId: 'v1', document: {}, createdAt: T0 });
        await tx.plans.update(SCOPE, 'p1', { versionId: 'v2', name: 'p', document: { x: 1 }, updatedAt: T0 + 1 });
      });
      assert.equal((await catalog.plans.get(SCOPE, 'p1'))?.versionId, 'v2');
      assert.equal((await catalog.plans.listVersions(SCOPE, 'p1')).items.length, 2);
    } finally {
      await catalog.close();
    }
  }));

test("a write waits for another process's transaction instead of failing", () =>
  withCatalogDir(async (dir) => {
    const file = join(dir, 'catalog.sqlite');
    const catalog = await openCatalog({ kind: 'sqlite', file });
    try {
      const holder = holdWriteLock(file, 300);
      await holder.locked;
      const started = Date.now();
      await createVault(catalog, SCOPE, 'daily');
      assert.ok(Date.now() - started >= 200, 'the write waited for the lock');
      assert.equal(await holder.exited, 0);
      assert.notEqual(await catalog.vaults.get(SCOPE, 'daily'), undefined);
    } finally {
      await catalog.close();
    }
  }));

/** A child process that takes SQLite's write lock on `file` and holds it for `ms`. */
function holdWriteLock(file: string, ms: number): { locked: Promise<void>; exited: Promise<number | null> } {
  const code = `const D = require('better-sqlite3'); const db = new D(process.argv[1]); db.exec('begin immediate');
    process.stdout.write('locked\\n'); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${ms}); db.exec('commit'); db.close();`;
  const child = spawn(process.execPath, ['-e', code, file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('error', reject);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { locked, exited };
}
