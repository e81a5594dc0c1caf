/** Wiping the catalog (sandbox reset): every table empty afterwards, schema and migrations kept. */
import { MIGRATION_NAMES } from '../../src/catalog/migrations.js';
import assert from 'node:assert/strict';
import { WIPE_ORDER } from '../../src/catalog/wipe.js';
import { createVault, rawRows, SCOPE, T0, tablesOf, test, withCatalog } from './dialect-fixture.js';

test('the wipe order names every table of the schema', () =>
  withCatalog(async (_catalog, where) => {
    assert.deepEqual([...WIPE_ORDER].sort(), await tablesOf(where));
  }));

test('wipe empties every table and the catalog stays usable', () =>
  withCatalog(async (catalog, where) => {
    await createVault(catalog, SCOPE, 'daily');
    await catalog.tags.tag(SCOPE, 'arn:vault', { a: '1' });
    await catalog.settings.updateRegionSettings(SCOPE, { resourceTypeOptIn: { EFS: false } }, T0);
    await catalog.plans.create(SCOPE, { id: 'p1', arn: 'arn:p1', name: 'p', versionId: 'v1', document: {}, createdAt: T0 });
    await catalog.wipe();
    const MIGRATION_COUNT = MIGRATION_NAMES.length;
    const count = async (table: string) => Number((await rawRows(where, `select count(*) as n from ${table}`))[0]?.['n']);
    for (const table of await tablesOf(where)) assert.equal(await count(table), 0, table);
    assert.equal(await count('catalog_migrations'), MIGRATION_COUNT, 'the migration history stays');
    await createVault(catalog, SCOPE, 'daily');
    assert.equal((await catalog.vaults.get(SCOPE, 'daily'))?.name, 'daily');
  }));
