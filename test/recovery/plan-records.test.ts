/**
 * Plans and selections kept in storage (recovery/plan-records.ts): the exporter writes a plan
 * with its versions, selections and tags to every region's storage root on change and removes it
 * when the plan is deleted; `coffer recover`'s recoverFromStorage puts it back into an empty
 * catalog exactly (ids, versions, dates, selections, tags), once, from the newest record; a record
 * moved to another plan's name does not open.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { Catalog } from '../../src/catalog/catalog.js';
import { everyItem } from '../../src/catalog/pagination.js';
import type { CofferConfig } from '../../src/config/schema.js';
import { PlanRecords } from '../../src/recovery/plan-records.js';
import { recoverFromStorage } from '../../src/recovery/recover.js';
import { createStorageExporter } from '../../src/recovery/storage-exporter.js';
import { MemoryBlobStore } from '../../src/storage/memory-blob-store.js';
import type { StorageFactory } from '../../src/storage/storage-factory.js';
import { SCOPE, T0, withCatalog } from '../catalog/catalog-fixture.js';

const ROOT_KEY = randomBytes(32);
const URLS = ['s3:http://127.0.0.1:1/central/vaults', 's3:http://127.0.0.1:2/west/vaults'];
const config = {
  accounts: [{ id: SCOPE.accountId }],
  regions: [
    { name: 'eu-central-1', storage: { kind: 's3', url: URLS[0] } },
    { name: 'eu-west-1', storage: { kind: 's3', url: URLS[1] } },
  ],
} as unknown as CofferConfig;

function memoryStorage(): { factory: StorageFactory; stores: Map<string, MemoryBlobStore> } {
  const stores = new Map(URLS.map((url) => [url, new MemoryBlobStore(url)]));
  const open = (url: string) => {
    const store = stores.get(url);
    if (store === undefined) throw new Error(`no store at ${url}`);
    return store;
  };
  const factory = {
    open,
    folders: async () => [],
    removeAll: async () => undefined,
    isMissing: async () => false,
    create: async () => undefined,
    faultOf: (_u: string, e: unknown) => e,
  };
  return { factory, stores };
}

async function planState(catalog: Catalog, id: string) {
  const versions = [];
  for await (const v of everyItem((page) => catalog.plans.listVersions(SCOPE, id, page))) versions.push(v);
  const selections = [];
  for await (const s of everyItem((page) => catalog.selections.list(SCOPE, id, page))) selections.push(s);
  const plan = await catalog.plans.get(SCOPE, id);
  return { plan, versions, selections, tags: plan === undefined ? {} : await catalog.tags.get(SCOPE, plan.arn) };
}

test('a plan goes to every region storage on change, comes back exactly from any one of them, and a deleted plan is removed', async () => {
  const { factory, stores } = memoryStorage();
  const warnings: string[] = [];
  await withCatalog(async (source) => {
    const arn = `arn:aws:backup:${SCOPE.region}:${SCOPE.accountId}:backup-plan:p1`;
    await source.plans.create(SCOPE, { id: 'p1', arn, name: 'daily', versionId: 'v1', document: { BackupPlanName: 'daily', Rules: [] }, createdAt: T0 });
    await source.plans.update(SCOPE, 'p1', {
      versionId: 'v2',
      name: 'daily',
      document: { BackupPlanName: 'daily', Rules: [{ RuleName: 'r' }] },
      updatedAt: T0 + 5,
    });
    await source.plans.setLastExecution(SCOPE, 'p1', T0 + 9);
    await source.selections.create(SCOPE, {
      id: 's1',
      planId: 'p1',
      name: 'all',
      iamRoleArn: 'arn:aws:iam::111111111111:role/b',
      document: { Resources: ['*'] },
      createdAt: T0 + 1,
      creatorRequestId: 'req',
    });
    await source.tags.tag(SCOPE, arn, { team: 'orders' });
    await source.plans.create(SCOPE, { id: 'gone', arn: `${arn}-gone`, name: 'gone', versionId: 'g1', document: {}, createdAt: T0 });
    const exporter = createStorageExporter({
      catalog: source,
      rootKey: ROOT_KEY,
      vaultStore: () => undefined,
      regionStores: () => URLS.map((url) => factory.open(url)),
      warn: (line) => warnings.push(line),
    });
    await exporter.exportPlan(SCOPE, 'p1');
    await exporter.exportPlan(SCOPE, 'gone');
    for (const url of URLS) assert.equal((await new PlanRecords(factory.open(url), ROOT_KEY).list()).length, 2, url);
    await source.plans.markDeleted(SCOPE, 'gone', T0 + 20);
    await exporter.exportPlan(SCOPE, 'gone');
    for (const url of URLS) assert.deepEqual(await new PlanRecords(factory.open(url), ROOT_KEY).list(), [{ ...SCOPE, planId: 'p1' }], url);
    await exporter.idle();
    const expected = await planState(source, 'p1');

    // eu-central-1's storage is lost: the plan comes back from eu-west-1's, once.
    for (const name of (await stores.get(URLS[0]!)!.list('')).map((b) => b.name)) await stores.get(URLS[0]!)!.remove(name);
    await withCatalog(async (target) => {
      const deps = { catalog: target, ledger: { recoverPoint: async () => undefined }, config, storage: factory, rootKey: ROOT_KEY, now: () => T0 + 100 };
      const report = await recoverFromStorage(deps as unknown as Parameters<typeof recoverFromStorage>[0]);
      assert.deepEqual(
        report.map((r) => [r.region, r.plans, r.problems]),
        [
          ['eu-central-1', { found: 0, added: 0 }, []],
          ['eu-west-1', { found: 1, added: 1 }, []],
        ],
      );
      assert.deepEqual(await planState(target, 'p1'), expected);
      assert.equal(await target.plans.get(SCOPE, 'gone'), undefined);
      const again = await recoverFromStorage(deps as unknown as Parameters<typeof recoverFromStorage>[0]);
      assert.deepEqual(again[1]!.plans, { found: 1, added: 0 });
    });
  });
  assert.deepEqual(warnings, []);
});

test('a plan record moved to another plan id does not open, and recover reports it', async () => {
  const { factory, stores } = memoryStorage();
  await withCatalog(async (source) => {
    const arn = `arn:aws:backup:${SCOPE.region}:${SCOPE.accountId}:backup-plan:p1`;
    await source.plans.create(SCOPE, { id: 'p1', arn, name: 'daily', versionId: 'v1', document: {}, createdAt: T0 });
    const exporter = createStorageExporter({
      catalog: source,
      rootKey: ROOT_KEY,
      vaultStore: () => undefined,
      regionStores: () => [factory.open(URLS[1]!)],
      warn: () => undefined,
    });
    await exporter.exportPlan(SCOPE, 'p1');
    const west = stores.get(URLS[1]!)!;
    const [file] = await west.list('.coffer/plans/');
    await west.write(file!.name.replace('p1.sealed', 'p2.sealed'), await west.read(file!.name));
    await west.remove(file!.name);
  });
  await withCatalog(async (target) => {
    const deps = { catalog: target, ledger: { recoverPoint: async () => undefined }, config, storage: factory, rootKey: ROOT_KEY, now: () => T0 };
    const report = await recoverFromStorage(deps as unknown as Parameters<typeof recoverFromStorage>[0]);
    assert.equal(report[1]!.plans.added, 0);
    assert.match(report[1]!.problems.join('\n'), /the record of backup plan p2 \(111111111111, eu-central-1\) cannot be read/);
  });
});
