/** Wiping the catalog (sandbox reset): every table empty afterwards, schema and migrations kept. */
import { MIGRATION_NAMES } from '../../src/catalog/migrations.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import SqliteDatabase from 'better-sqlite3';
import { WIPE_ORDER } from '../../src/catalog/wipe.js';
import { createVault, SCOPE, T0, withCatalog } from './catalog-fixture.js';

function tablesOf(file: string): string[] {
  const raw = new SqliteDatabase(file, { readonly: true });
  try {
    const rows = raw.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'catalog_migrations%'").all() as { name: string }[];
    return rows.map((r) => r.name).sort();
  } finally {
    raw.close();
  }
}

test('the wipe order names every table of the schema', () => withCatalog(async (_catalog, file) => {
  assert.deepEqual([...WIPE_ORDER].sort(), tablesOf(file));
}));

test('wipe empties every table and the catalog stays usable', () => withCatalog(async (catalog, file) => {
  await createVault(catalog, SCOPE, 'daily');
  await catalog.tags.tag(SCOPE, 'arn:vault', { a: '1' });
  await catalog.settings.updateRegionSettings(SCOPE, { resourceTypeOptIn: { EFS: false } }, T0);
  await catalog.plans.create(SCOPE, { id: 'p1', arn: 'arn:p1', name: 'p', versionId: 'v1', document: {}, createdAt: T0 });
  await catalog.wipe();
  const MIGRATION_COUNT = MIGRATION_NAMES.length;
  const raw = new SqliteDatabase(file, { readonly: true });
  try {
    for (const table of tablesOf(file)) {
      assert.equal((raw.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n, 0, table);
    }
    assert.equal((raw.prepare('select count(*) as n from catalog_migrations').get() as { n: number }).n, MIGRATION_COUNT, 'the migration history stays');
  } finally {
    raw.close();
  }
  await createVault(catalog, SCOPE, 'daily');
  assert.equal((await catalog.vaults.get(SCOPE, 'daily'))?.name, 'daily');
}));
