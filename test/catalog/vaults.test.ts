/** Vault rows: create, conflicts, scoping, listing by pages, policy/notification/lock setters, delete. */
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { CatalogConflictError, InvalidCursorError } from '../../src/catalog/catalog-error.js';
import { allPages, createVault, OTHER_ACCOUNT, OTHER_REGION, SCOPE, T0, test, vaultArn, withCatalog } from './dialect-fixture.js';

test('creates a vault and reads it back', () =>
  withCatalog(async (catalog) => {
    const created = await catalog.vaults.create(SCOPE, {
      name: 'daily',
      arn: vaultArn(SCOPE, 'daily'),
      encryptionKeyArn: 'arn:aws:kms:eu-central-1:111111111111:key/abc',
      creatorRequestId: 'req-1',
      createdAt: T0,
    });
    assert.deepEqual(created, {
      accountId: SCOPE.accountId,
      region: SCOPE.region,
      name: 'daily',
      arn: vaultArn(SCOPE, 'daily'),
      vaultType: 'BACKUP_VAULT',
      encryptionKeyArn: 'arn:aws:kms:eu-central-1:111111111111:key/abc',
      creatorRequestId: 'req-1',
      createdAt: T0,
      accessPolicy: undefined,
      notifications: undefined,
      lock: undefined,
      storageLocation: undefined,
    });
    assert.deepEqual(await catalog.vaults.get(SCOPE, 'daily'), created);
    assert.deepEqual(await catalog.vaults.findByCreatorRequestId(SCOPE, 'req-1'), created);
    assert.equal(await catalog.vaults.get(SCOPE, 'weekly'), undefined);
  }));

test('the catalog file is private to its owner', () =>
  withCatalog(async (_catalog, where) => {
    if (where.kind === 'sqlite') assert.equal((await stat(where.file)).mode & 0o777, 0o600);
  }));

test('a second vault of the same name in the same scope is a conflict; other scopes are separate', () =>
  withCatalog(async (catalog) => {
    await createVault(catalog, SCOPE, 'daily');
    await assert.rejects(createVault(catalog, SCOPE, 'daily'), CatalogConflictError);
    await createVault(catalog, OTHER_ACCOUNT, 'daily');
    await createVault(catalog, OTHER_REGION, 'daily');
    assert.equal((await catalog.vaults.list(SCOPE)).items.length, 1);
    assert.equal(await catalog.vaults.get(OTHER_ACCOUNT, 'weekly'), undefined);
    assert.equal((await catalog.vaults.get(OTHER_ACCOUNT, 'daily'))?.accountId, OTHER_ACCOUNT.accountId);
  }));

test('lists by name across pages without repeats, and refuses foreign cursors', () =>
  withCatalog(async (catalog) => {
    const names = Array.from({ length: 7 }, (_, i) => `vault-${String(i).padStart(2, '0')}`);
    for (const name of [...names].reverse()) await createVault(catalog, SCOPE, name);
    await createVault(catalog, OTHER_ACCOUNT, 'not-mine');
    const pages = await allPages(3, (page) => catalog.vaults.list(SCOPE, {}, page));
    assert.deepEqual(
      pages.map((p) => p.length),
      [3, 3, 1],
    );
    assert.deepEqual(
      pages.flat().map((v) => v.name),
      names,
    );
    await assert.rejects(catalog.vaults.list(SCOPE, {}, { cursor: 'garbage' }), InvalidCursorError);
    const tagPage = await catalog.tags.tag(SCOPE, 'arn:x', { a: '1', b: '2' }).then(() => catalog.tags.list(SCOPE, 'arn:x', { limit: 1 }));
    await assert.rejects(catalog.vaults.list(SCOPE, {}, { cursor: tagPage.nextCursor! }), InvalidCursorError);
  }));

test('stores access policy, notifications and lock, and clears them', () =>
  withCatalog(async (catalog) => {
    await createVault(catalog, SCOPE, 'daily');
    const policy = '{"Version":"2012-10-17","Statement":[]}';
    assert.equal((await catalog.vaults.setAccessPolicy(SCOPE, 'daily', policy))?.accessPolicy, policy);
    const notifications = { snsTopicArn: 'arn:aws:sns:eu-central-1:111111111111:t', events: ['BACKUP_JOB_COMPLETED'] };
    assert.deepEqual((await catalog.vaults.setNotifications(SCOPE, 'daily', notifications))?.notifications, notifications);
    const lock = { minRetentionDays: 7, maxRetentionDays: 400, changeableForDays: 3, lockDate: T0 + 3 * 86_400_000 };
    assert.deepEqual((await catalog.vaults.setLock(SCOPE, 'daily', lock))?.lock, lock);
    const cleared = await catalog.vaults.setAccessPolicy(SCOPE, 'daily', undefined);
    assert.equal(cleared?.accessPolicy, undefined);
    assert.equal((await catalog.vaults.setNotifications(SCOPE, 'daily', undefined))?.notifications, undefined);
    assert.equal((await catalog.vaults.setLock(SCOPE, 'daily', undefined))?.lock, undefined);
    assert.equal(await catalog.vaults.setAccessPolicy(OTHER_ACCOUNT, 'daily', policy), undefined);
  }));

test('delete removes only the named vault of the scope', () =>
  withCatalog(async (catalog) => {
    await createVault(catalog, SCOPE, 'daily');
    await createVault(catalog, OTHER_ACCOUNT, 'daily');
    assert.equal(await catalog.vaults.delete(SCOPE, 'daily'), true);
    assert.equal(await catalog.vaults.delete(SCOPE, 'daily'), false);
    assert.notEqual(await catalog.vaults.get(OTHER_ACCOUNT, 'daily'), undefined);
  }));

test('a vault with recovery points cannot be deleted underneath them', () =>
  withCatalog(async (catalog) => {
    await createVault(catalog, SCOPE, 'daily');
    await catalog.recoveryPoints.create(SCOPE, {
      arn: 'arn:aws:backup:eu-central-1:111111111111:recovery-point:rp-1',
      id: 'rp-1',
      vaultName: 'daily',
      vaultArn: vaultArn(SCOPE, 'daily'),
      resourceArn: 'arn:aws:elasticfilesystem:eu-central-1:111111111111:file-system/fs-1',
      resourceType: 'EFS',
      state: 'COMPLETED',
      createdAt: T0,
    });
    await assert.rejects(catalog.vaults.delete(SCOPE, 'daily'), /foreign key/i);
    assert.notEqual(await catalog.vaults.get(SCOPE, 'daily'), undefined);
  }));

test('a vault keeps the storage location it was created with', () =>
  withCatalog(async (catalog) => {
    const storageLocation = 'file:/srv/vaults/eu-central-1/111111111111/daily/';
    const created = await catalog.vaults.create(SCOPE, {
      name: 'daily',
      arn: vaultArn(SCOPE, 'daily'),
      encryptionKeyArn: 'arn:aws:kms:eu-central-1:111111111111:key/abc',
      createdAt: T0,
      storageLocation,
    });
    assert.equal(created.storageLocation, storageLocation);
    assert.equal((await catalog.vaults.get(SCOPE, 'daily'))?.storageLocation, storageLocation);
  }));
