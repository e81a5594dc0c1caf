/**
 * The vault rules without HTTP: times from the clock, the storage location, idempotency by
 * CreatorRequestId (including a concurrent twin and a reused token), all-or-nothing creates,
 * deletion of non-empty vaults, and scoping.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BackupError } from '../../src/backup/backup-error.js';
import type { BackupErrorCode } from '../../src/backup/backup-error.js';
import { KNOWN_RESOURCE_TYPES } from '../../src/backup/resource-types.js';
import { OTHER, SCOPE, T0, withDomain } from './backup-fixture.js';

async function code(promise: Promise<unknown>): Promise<BackupErrorCode> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof BackupError, `expected a BackupError, got ${String(error)}`);
  return error.code;
}

test('a vault takes its creation date from the clock and records where its bytes will go', () =>
  withDomain(async (domain, catalog, clock) => {
    clock.advance(1234);
    const created = await domain.vaults.create(SCOPE, { name: 'daily' });
    assert.deepEqual(created, { name: 'daily', arn: 'arn:aws:backup:eu-central-1:111111111111:backup-vault:daily', creationDate: new Date(T0 + 1234) });
    const vault = await domain.vaults.describe(SCOPE, 'daily');
    assert.equal(vault.storageLocation, 'file:/srv/coffer/vaults/eu-central-1/111111111111/daily/');
    assert.equal(vault.encryptionKeyArn, 'arn:aws:kms:eu-central-1:111111111111:alias/aws/backup');
    assert.equal((await catalog.vaults.get(SCOPE, 'daily'))?.storageLocation, vault.storageLocation);
  }));

test('CreatorRequestId: a repeat answers the first result, even for a concurrent twin; reuse for another name is refused', () =>
  withDomain(async (domain, _catalog, clock) => {
    const request = { name: 'weekly', creatorRequestId: 'token-1' };
    const [a, b] = await Promise.all([domain.vaults.create(SCOPE, request), domain.vaults.create(SCOPE, request)]);
    assert.deepEqual(a, b);
    clock.advance(60_000);
    assert.deepEqual(await domain.vaults.create(SCOPE, request), a, 'a later repeat too, with the first creation date');
    assert.equal(await code(domain.vaults.create(SCOPE, { name: 'weekly', creatorRequestId: 'token-2' })), 'VaultAlreadyExists');
    assert.equal(await code(domain.vaults.create(SCOPE, { name: 'weekly' })), 'VaultAlreadyExists');
    assert.equal(await code(domain.vaults.create(SCOPE, { name: 'monthly', creatorRequestId: 'token-1' })), 'CreatorRequestIdReused');
    assert.equal((await domain.vaults.create(OTHER, request)).arn, 'arn:aws:backup:eu-central-1:222222222222:backup-vault:weekly', 'tokens are per account');
  }));

test('a create with bad tags or key leaves nothing behind', () =>
  withDomain(async (domain) => {
    assert.equal(await code(domain.vaults.create(SCOPE, { name: 'tagged', tags: { 'aws:x': '1' } })), 'InvalidTag');
    assert.equal(await code(domain.vaults.create(SCOPE, { name: 'tagged', encryptionKeyArn: 'arn:aws:s3:::bucket' })), 'InvalidEncryptionKey');
    assert.equal(await code(domain.vaults.create(SCOPE, { name: 'x' })), 'InvalidVaultName');
    assert.equal(await code(domain.vaults.describe(SCOPE, 'tagged')), 'VaultNotFound');
  }));

test('a vault with recovery points is not deleted; an empty one is, with its tags', () =>
  withDomain(async (domain, catalog) => {
    const { arn } = await domain.vaults.create(SCOPE, { name: 'full', tags: { k: 'v' } });
    await catalog.recoveryPoints.create(SCOPE, {
      arn: 'arn:aws:backup:eu-central-1:111111111111:recovery-point:rp-1',
      id: 'rp-1',
      vaultName: 'full',
      vaultArn: arn,
      resourceArn: 'arn:aws:elasticfilesystem:eu-central-1:111111111111:file-system/fs-1',
      resourceType: 'EFS',
      state: 'COMPLETED',
      createdAt: T0,
    });
    const refused = await domain.vaults.delete(SCOPE, 'full').catch((e: unknown) => e);
    assert.ok(refused instanceof BackupError && refused.code === 'VaultNotEmpty');
    assert.match(refused.message, /^Backup vault cannot be deleted \(contains 1 recovery points\)/);
    assert.equal((await domain.vaults.describe(SCOPE, 'full')).numberOfRecoveryPoints, 1);
    await catalog.recoveryPoints.delete(SCOPE, 'arn:aws:backup:eu-central-1:111111111111:recovery-point:rp-1');
    await domain.vaults.delete(SCOPE, 'full');
    assert.deepEqual(await catalog.tags.get(SCOPE, arn), {});
    assert.equal(await code(domain.vaults.delete(SCOPE, 'full')), 'VaultNotFound');
  }));

test('tags by ARN: scope checks come before existence, so other accounts learn nothing', () =>
  withDomain(async (domain) => {
    const { arn } = await domain.vaults.create(SCOPE, { name: 'mine' });
    assert.equal(await code(domain.tags.list(OTHER, arn, {})), 'ResourceInOtherAccount');
    assert.equal(await code(domain.tags.list(OTHER, arn.replace('mine', 'absent'), {})), 'ResourceInOtherAccount');
    assert.equal(await code(domain.tags.list(SCOPE, arn.replace('eu-central-1', 'eu-west-1'), {})), 'ResourceInOtherRegion');
    assert.equal(await code(domain.tags.list(SCOPE, 'arn:aws:backup:eu-central-1:111111111111:backup-plan:nope', {})), 'ResourceNotFound');
    assert.equal(await code(domain.tags.list(SCOPE, 'arn:aws', {})), 'InvalidArn');
    await domain.tags.tag(SCOPE, arn, Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v'])));
    assert.equal(await code(domain.tags.tag(SCOPE, arn, { one: 'more' })), 'TooManyTags');
    await domain.tags.tag(SCOPE, arn, { k0: 'changed' });
  }));

test('region settings merge over the defaults and refuse unknown types', () =>
  withDomain(async (domain) => {
    await domain.regionSettings.update(SCOPE, { resourceTypeOptInPreference: { DynamoDB: true, S3: false } });
    await domain.regionSettings.update(SCOPE, { resourceTypeManagementPreference: { DynamoDB: true } });
    assert.deepEqual(await domain.regionSettings.describe(SCOPE), {
      resourceTypeOptInPreference: { ...Object.fromEntries(KNOWN_RESOURCE_TYPES.map((t) => [t, true])), S3: false },
      resourceTypeManagementPreference: { DynamoDB: true, EFS: true },
    });
    assert.equal(await code(domain.regionSettings.update(SCOPE, { resourceTypeManagementPreference: { RDS: true } })), 'UnknownResourceType');
  }));
