/** Tags by resource ARN within a scope: upsert, remove, list by pages, delete all. */
import assert from 'node:assert/strict';
import { allPages, OTHER_ACCOUNT, SCOPE, test, withCatalog } from './dialect-fixture.js';

const VAULT = 'arn:aws:backup:eu-central-1:111111111111:backup-vault:daily';

test('tagging adds and overwrites; untagging removes only the keys given', () =>
  withCatalog(async (catalog) => {
    assert.deepEqual(await catalog.tags.get(SCOPE, VAULT), {});
    await catalog.tags.tag(SCOPE, VAULT, { team: 'storage', env: 'prod' });
    await catalog.tags.tag(SCOPE, VAULT, { env: 'staging', cost: '42' });
    assert.deepEqual(await catalog.tags.get(SCOPE, VAULT), { cost: '42', env: 'staging', team: 'storage' });
    await catalog.tags.untag(SCOPE, VAULT, ['cost', 'missing']);
    await catalog.tags.untag(SCOPE, VAULT, []);
    assert.deepEqual(await catalog.tags.get(SCOPE, VAULT), { env: 'staging', team: 'storage' });
  }));

test('tags are scoped, paged by key, and deleted with their resource', () =>
  withCatalog(async (catalog) => {
    await catalog.tags.tag(SCOPE, VAULT, { a: '1', b: '2', c: '3', d: '4', e: '' });
    await catalog.tags.tag(OTHER_ACCOUNT, VAULT, { z: '9' });
    const pages = await allPages(2, (page) => catalog.tags.list(SCOPE, VAULT, page));
    assert.deepEqual(
      pages.map((p) => p.map((t) => t.key)),
      [['a', 'b'], ['c', 'd'], ['e']],
    );
    assert.equal(pages[2]![0]!.value, '');
    await catalog.tags.deleteAll(SCOPE, VAULT);
    assert.deepEqual(await catalog.tags.get(SCOPE, VAULT), {});
    assert.deepEqual(await catalog.tags.get(OTHER_ACCOUNT, VAULT), { z: '9' });
  }));
