/** Recovery points: lifecycle fields, lists by vault and by resource, counts, due lists, updates. */
import assert from 'node:assert/strict';
import type { Catalog } from '../../src/catalog/catalog.js';
import { CatalogConflictError } from '../../src/catalog/catalog-error.js';
import type { NewRecoveryPoint } from '../../src/catalog/recovery-points.js';
import type { CatalogScope } from '../../src/catalog/scope.js';
import { allPages, createVault, DAY, OTHER_ACCOUNT, SCOPE, T0, test, vaultArn, withCatalog } from './dialect-fixture.js';

const FS = (id: string) => `arn:aws:elasticfilesystem:eu-central-1:111111111111:file-system/${id}`;
const rpArn = (scope: CatalogScope, id: string) => `arn:aws:backup:${scope.region}:${scope.accountId}:recovery-point:${id}`;

function point(scope: CatalogScope, id: string, overrides: Partial<NewRecoveryPoint> = {}): NewRecoveryPoint {
  return {
    arn: rpArn(scope, id),
    id,
    vaultName: 'daily',
    vaultArn: vaultArn(scope, 'daily'),
    resourceArn: FS('fs-uploads'),
    resourceType: 'EFS',
    state: 'COMPLETED',
    createdAt: T0,
    ...overrides,
  };
}

async function withVaults(catalog: Catalog): Promise<void> {
  await createVault(catalog, SCOPE, 'daily');
  await createVault(catalog, SCOPE, 'weekly');
  await createVault(catalog, OTHER_ACCOUNT, 'daily');
}

test('creates a recovery point with its lifecycle, and fills in the engine fields later', () =>
  withCatalog(async (catalog) => {
    await withVaults(catalog);
    const created = await catalog.recoveryPoints.create(
      SCOPE,
      point(SCOPE, 'rp1', {
        state: 'CREATING',
        lifecycle: { deleteAfterDays: 7 },
        calculatedLifecycle: { deleteAt: T0 + 7 * DAY, moveToColdStorageAt: undefined },
        jobId: 'job-1',
        createdBy: { planId: 'p1', planArn: 'arn:p1', planVersion: 'v1', ruleId: 'r1' },
        encryptionKeyArn: 'arn:key',
      }),
    );
    assert.equal(created.storageClass, 'WARM');
    assert.deepEqual(created.lifecycle, { deleteAfterDays: 7, moveToColdStorageAfterDays: undefined });
    assert.deepEqual(created.calculatedLifecycle, { deleteAt: T0 + 7 * DAY, moveToColdStorageAt: undefined });
    const done = await catalog.recoveryPoints.update(
      SCOPE,
      rpArn(SCOPE, 'rp1'),
      {
        updatedAt: T0 + 60_000,
        state: 'COMPLETED',
        completedAt: T0 + 60_000,
        backupSizeBytes: 12345,
        snapshotId: 'ab'.repeat(32),
        repositoryKeyId: 'key-1',
        restoreMetadata: { RestorePath: '/srv/uploads' },
      },
      ['CREATING'],
    );
    assert.equal(done?.state, 'COMPLETED');
    assert.equal(done?.snapshotId, 'ab'.repeat(32));
    assert.equal(done?.repositoryKeyId, 'key-1');
    assert.deepEqual(done?.restoreMetadata, { RestorePath: '/srv/uploads' });
    assert.equal(await catalog.recoveryPoints.update(SCOPE, rpArn(SCOPE, 'rp1'), { updatedAt: T0, state: 'COMPLETED' }, ['CREATING']), undefined);
    assert.deepEqual(await catalog.recoveryPoints.get(SCOPE, rpArn(SCOPE, 'rp1')), done);
    assert.equal(await catalog.recoveryPoints.get(OTHER_ACCOUNT, rpArn(SCOPE, 'rp1')), undefined);
    await assert.rejects(catalog.recoveryPoints.create(SCOPE, point(SCOPE, 'rp1')), CatalogConflictError);
  }));

test('a copy keeps its source and lives in the destination scope', () =>
  withCatalog(async (catalog) => {
    await withVaults(catalog);
    await catalog.recoveryPoints.create(SCOPE, point(SCOPE, 'rp1'));
    const copy = await catalog.recoveryPoints.create(
      OTHER_ACCOUNT,
      point(OTHER_ACCOUNT, 'rp9', {
        vaultArn: vaultArn(OTHER_ACCOUNT, 'daily'),
        sourceRecoveryPointArn: rpArn(SCOPE, 'rp1'),
        sourceVaultArn: vaultArn(SCOPE, 'daily'),
      }),
    );
    assert.equal(copy.sourceRecoveryPointArn, rpArn(SCOPE, 'rp1'));
    assert.equal(copy.createdAt, T0);
    assert.equal((await catalog.recoveryPoints.listByVault(SCOPE, 'daily')).items.length, 1);
  }));

test('lists by vault newest first with filters, and by resource across vaults', () =>
  withCatalog(async (catalog) => {
    await withVaults(catalog);
    for (let i = 0; i < 5; i++) await catalog.recoveryPoints.create(SCOPE, point(SCOPE, `d${i}`, { createdAt: T0 + i * DAY }));
    await catalog.recoveryPoints.create(SCOPE, point(SCOPE, 'w0', { vaultName: 'weekly', vaultArn: vaultArn(SCOPE, 'weekly'), createdAt: T0 + 10 * DAY }));
    await catalog.recoveryPoints.create(
      SCOPE,
      point(SCOPE, 'other-fs', {
        resourceArn: FS('fs-other'),
        createdAt: T0 + 20 * DAY,
        createdBy: { planId: 'p7', planArn: 'arn:p7', planVersion: 'v', ruleId: 'r' },
      }),
    );
    const pages = await allPages(2, (page) => catalog.recoveryPoints.listByVault(SCOPE, 'daily', { resourceArn: FS('fs-uploads') }, page));
    assert.deepEqual(
      pages.flat().map((p) => p.id),
      ['d4', 'd3', 'd2', 'd1', 'd0'],
    );
    const window = await catalog.recoveryPoints.listByVault(SCOPE, 'daily', { createdAfter: T0, createdBefore: T0 + 3 * DAY });
    assert.deepEqual(
      window.items.map((p) => p.id),
      ['d2', 'd1'],
    );
    assert.deepEqual(
      (await catalog.recoveryPoints.listByVault(SCOPE, 'daily', { planId: 'p7' })).items.map((p) => p.id),
      ['other-fs'],
    );
    const byResource = await catalog.recoveryPoints.listByResource(SCOPE, FS('fs-uploads'));
    assert.deepEqual(
      byResource.items.map((p) => p.id),
      ['w0', 'd4', 'd3', 'd2', 'd1', 'd0'],
    );
    assert.deepEqual([...(await catalog.recoveryPoints.countByVault(SCOPE))].sort(), [
      ['daily', 6],
      ['weekly', 1],
    ]);
    assert.equal((await catalog.recoveryPoints.countByVault(OTHER_ACCOUNT)).size, 0);
  }));

test('protected resources show each resource once with its latest recovery point', () =>
  withCatalog(async (catalog) => {
    await withVaults(catalog);
    await catalog.recoveryPoints.create(SCOPE, point(SCOPE, 'a1', { createdAt: T0 }));
    await catalog.recoveryPoints.create(SCOPE, point(SCOPE, 'a2', { vaultName: 'weekly', vaultArn: vaultArn(SCOPE, 'weekly'), createdAt: T0 + DAY }));
    await catalog.recoveryPoints.create(SCOPE, point(SCOPE, 'b1', { resourceArn: FS('fs-b'), createdAt: T0 + 2 * DAY }));
    await catalog.recoveryPoints.create(OTHER_ACCOUNT, point(OTHER_ACCOUNT, 'x', { resourceArn: FS('fs-x') }));
    const pages = await allPages(1, (page) => catalog.recoveryPoints.listProtectedResources(SCOPE, page));
    assert.deepEqual(pages.flat(), [
      {
        resourceArn: FS('fs-b'),
        resourceType: 'EFS',
        resourceName: undefined,
        lastBackupAt: T0 + 2 * DAY,
        lastRecoveryPointArn: rpArn(SCOPE, 'b1'),
        lastVaultArn: vaultArn(SCOPE, 'daily'),
      },
      {
        resourceArn: FS('fs-uploads'),
        resourceType: 'EFS',
        resourceName: undefined,
        lastBackupAt: T0 + DAY,
        lastRecoveryPointArn: rpArn(SCOPE, 'a2'),
        lastVaultArn: vaultArn(SCOPE, 'weekly'),
      },
    ]);
  }));

test('finds what lifecycle must expire or move to cold storage, across scopes', () =>
  withCatalog(async (catalog) => {
    await withVaults(catalog);
    const life = (deleteAt?: number, moveToColdStorageAt?: number) => ({ calculatedLifecycle: { deleteAt, moveToColdStorageAt } });
    await catalog.recoveryPoints.create(SCOPE, point(SCOPE, 'keep', life(T0 + 30 * DAY)));
    await catalog.recoveryPoints.create(SCOPE, point(SCOPE, 'expire-2', life(T0 + 2 * DAY)));
    await catalog.recoveryPoints.create(OTHER_ACCOUNT, point(OTHER_ACCOUNT, 'expire-1', life(T0 + DAY)));
    await catalog.recoveryPoints.create(SCOPE, point(SCOPE, 'forever'));
    await catalog.recoveryPoints.create(SCOPE, point(SCOPE, 'cold', life(T0 + 200 * DAY, T0 + 3 * DAY)));
    const due = await allPages(1, (page) => catalog.recoveryPoints.listDueForDeletion(T0 + 5 * DAY, page));
    assert.deepEqual(
      due.flat().map((p) => p.id),
      ['expire-1', 'expire-2'],
    );
    assert.deepEqual(
      (await catalog.recoveryPoints.listDueForColdStorage(T0 + 5 * DAY)).items.map((p) => p.id),
      ['cold'],
    );
    await catalog.recoveryPoints.update(SCOPE, rpArn(SCOPE, 'cold'), { updatedAt: T0 + 5 * DAY, storageClass: 'COLD' });
    assert.equal((await catalog.recoveryPoints.listDueForColdStorage(T0 + 5 * DAY)).items.length, 0);
    const shortened = await catalog.recoveryPoints.update(SCOPE, rpArn(SCOPE, 'keep'), {
      updatedAt: T0,
      lifecycle: { deleteAfterDays: 1 },
      calculatedLifecycle: { deleteAt: T0 + DAY, moveToColdStorageAt: undefined },
    });
    assert.deepEqual(shortened?.lifecycle, { deleteAfterDays: 1, moveToColdStorageAfterDays: undefined });
    assert.equal((await catalog.recoveryPoints.listDueForDeletion(T0 + 5 * DAY)).items.length, 3);
  }));

test('delete removes the recovery point of the scope only', () =>
  withCatalog(async (catalog) => {
    await withVaults(catalog);
    await catalog.recoveryPoints.create(SCOPE, point(SCOPE, 'rp1'));
    assert.equal(await catalog.recoveryPoints.delete(OTHER_ACCOUNT, rpArn(SCOPE, 'rp1')), false);
    assert.equal(await catalog.recoveryPoints.delete(SCOPE, rpArn(SCOPE, 'rp1')), true);
    assert.equal(await catalog.recoveryPoints.get(SCOPE, rpArn(SCOPE, 'rp1')), undefined);
    assert.equal(await catalog.vaults.delete(SCOPE, 'daily'), true);
  }));

test('a recovery point needs its vault', () =>
  withCatalog(async (catalog) => {
    await assert.rejects(catalog.recoveryPoints.create(SCOPE, point(SCOPE, 'rp1')), /foreign key/i);
  }));
