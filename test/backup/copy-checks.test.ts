/**
 * The copy checks one by one, on a real catalog and KMS domain (no server): organization and
 * the global setting, the destination vault policy, the key protecting the source (AWS managed,
 * customer key with and without the destination account), DynamoDB advanced features, the
 * destination vault lock; and the copy lifecycle (-1 inherits the source's expiry). Also the
 * KMS-enveloped repository password: made once, opened again, refused with the key's state.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyLifecycle } from '../../src/backup/copy-jobs.js';
import {
  ACCESS_DENIED_MESSAGE,
  checkDynamoDbFeatures,
  checkKeyAccess,
  checkOrganization,
  checkVaultAccessPolicy,
  DYNAMODB_MESSAGE,
  firstCopyRefusal,
  KEY_NOT_ACCESSIBLE_MESSAGE,
  ORGANIZATION_MESSAGE,
  runCopyChecks,
} from '../../src/backup/copy-checks.js';
import type { CopyCase, CopyCheckDeps } from '../../src/backup/copy-checks.js';
import { createRepositoryPasswords, RepositoryKeyError } from '../../src/backup/repository-passwords.js';
import type { Catalog } from '../../src/catalog/catalog.js';
import { createKmsDomain } from '../../src/kms/kms-domain.js';
import type { KmsDomain } from '../../src/kms/kms-domain.js';
import { withCatalog } from '../catalog/catalog-fixture.js';

const A = '111111111111';
const B = '222222222222';
const REGION = 'us-east-1';
const T0 = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const clock = { now: () => new Date(T0) };
const ORG = { id: 'o-abcdefghij', managementAccountId: A, memberAccountIds: [A, B] };
const sourceVault = { name: 'prod', arn: `arn:aws:backup:${REGION}:${A}:backup-vault:prod` };
const destination = {
  accountId: B,
  region: REGION,
  name: 'central',
  arn: `arn:aws:backup:${REGION}:${B}:backup-vault:central`,
  accessPolicy: undefined,
  lock: undefined,
};
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'backup:CopyIntoBackupVault', Resource: '*' }],
});

function keyPolicy(accounts: readonly string[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'kms:*', Resource: '*' },
      ...accounts.map((id) => ({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${id}:root` }, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*' })),
    ],
  });
}

interface Fixture {
  readonly catalog: Catalog;
  readonly kms: KmsDomain;
  readonly deps: CopyCheckDeps;
  /** A recovery point of `type` in vault prod of account A whose repository is under `keyRef` (the vault's key). */
  point(keyRef: string, type?: string): Promise<CopyCase>;
}

function withFixture(body: (f: Fixture) => Promise<void>): Promise<void> {
  return withCatalog(async (catalog) => {
    const kms = createKmsDomain({ catalog, clock, rootKey: Buffer.alloc(32, 9) });
    const passwords = createRepositoryPasswords({ catalog, clock, kms });
    const deps: CopyCheckDeps = { catalog, kms, organization: ORG };
    await catalog.settings.updateGlobalSettings(A, { isCrossAccountBackupEnabled: 'true' }, T0);
    const point = async (keyRef: string, type = 'EFS'): Promise<CopyCase> => {
      const key = await passwords.keyFor({ accountId: A, region: REGION }, { ...sourceVault, encryptionKeyArn: keyRef }, { type });
      await passwords.passwordFor({ accountId: A, region: REGION }, sourceVault, key.keyId, key);
      return {
        source: {
          accountId: A,
          region: REGION,
          arn: `arn:aws:backup:${REGION}:${A}:recovery-point:1`,
          vaultName: 'prod',
          vaultArn: sourceVault.arn,
          resourceType: type,
          repositoryKeyId: key.keyId,
          createdAt: T0,
        },
        destination: { ...destination, accessPolicy: POLICY },
        calculated: { deleteAt: T0 + 30 * DAY, moveToColdStorageAt: undefined },
        now: T0,
      };
    };
    await body({ catalog, kms, deps, point });
  });
}

const asA = { accountId: A, region: REGION, principal: `arn:aws:iam::${A}:root`, requestId: 'test' };

test('a customer key shared with the destination account passes every check', async () => {
  await withFixture(async ({ kms, deps, point }) => {
    const key = await kms.keys.create(asA, { policy: keyPolicy([B]) });
    const results = await runCopyChecks(deps, await point(key.arn));
    assert.deepEqual(
      results.map((r) => [r.check, r.passed]),
      [
        ['organization', true],
        ['vault-access-policy', true],
        ['key-access', true],
        ['dynamodb-advanced-features', true],
        ['vault-lock', true],
      ],
    );
  });
});

test('organization: no organization, an account outside, the setting off', async () => {
  await withFixture(async ({ catalog, kms, deps, point }) => {
    const copy = await point((await kms.keys.create(asA, { policy: keyPolicy([B]) })).arn);
    const none = await checkOrganization({ ...deps, organization: undefined }, copy);
    assert.equal(none.message, ORGANIZATION_MESSAGE);
    const outside = await checkOrganization({ ...deps, organization: { ...ORG, memberAccountIds: [A] } }, copy);
    assert.equal(outside.passed, false);
    assert.match(outside.reason, new RegExp(`Account ${B} is not in organization`));
    await catalog.settings.updateGlobalSettings(A, { isCrossAccountBackupEnabled: 'false' }, T0);
    const off = await firstCopyRefusal(deps, copy);
    assert.equal(off?.check, 'organization');
    assert.match(off?.fix ?? '', /isCrossAccountBackupEnabled=true/);
  });
});

test('vault access policy: none, or one that denies, refuses with the statement to add', async () => {
  await withFixture(async ({ kms, deps, point }) => {
    const copy = await point((await kms.keys.create(asA, { policy: keyPolicy([B]) })).arn);
    const none = await checkVaultAccessPolicy(deps, { ...copy, destination: { ...copy.destination, accessPolicy: undefined } });
    assert.equal(none.message, ACCESS_DENIED_MESSAGE);
    assert.match(none.fix ?? '', /"Action":"backup:CopyIntoBackupVault"/);
    const deny = JSON.stringify({
      Version: '2012-10-17',
      Statement: [JSON.parse(POLICY).Statement[0], { Effect: 'Deny', Principal: '*', Action: 'backup:*', Resource: '*' }],
    });
    const denied = await checkVaultAccessPolicy(deps, { ...copy, destination: { ...copy.destination, accessPolicy: deny } });
    assert.equal(denied.passed, false);
    assert.match(denied.reason, /explicitly denies/);
  });
});

test('key: the AWS managed key never crosses accounts; a customer key must allow the destination account', async () => {
  await withFixture(async ({ kms, deps, point }) => {
    const managed = await checkKeyAccess(deps, await point(`arn:aws:kms:${REGION}:${A}:alias/aws/backup`));
    assert.equal(managed.message, KEY_NOT_ACCESSIBLE_MESSAGE);
    assert.match(managed.reason, /AWS managed key/);
    const rds = await checkKeyAccess(deps, await point('ignored', 'RDS'));
    assert.equal(rds.passed, false, 'an RDS resource without kmsKeyId is under aws/rds');
    assert.match(rds.fix ?? '', /re-create the database/);
    const unshared = await checkKeyAccess(deps, await point((await kms.keys.create(asA, { policy: keyPolicy([]) })).arn));
    assert.equal(unshared.message, KEY_NOT_ACCESSIBLE_MESSAGE);
    assert.match(unshared.reason, /not authorized to perform: kms:Decrypt/);
  });
});

test('DynamoDB needs advanced features in the source account and region', async () => {
  await withFixture(async ({ catalog, kms, deps, point }) => {
    const copy = await point((await kms.keys.create(asA, { policy: keyPolicy([B]) })).arn, 'DynamoDB');
    const off = await firstCopyRefusal(deps, copy);
    assert.equal(off?.check, 'dynamodb-advanced-features');
    assert.equal(off?.message, DYNAMODB_MESSAGE);
    await catalog.settings.updateRegionSettings({ accountId: A, region: REGION }, { resourceTypeManagement: { DynamoDB: true } }, T0);
    assert.equal((await checkDynamoDbFeatures(deps, copy)).passed, true);
    assert.equal(await firstCopyRefusal(deps, copy), undefined);
  });
});

test('destination vault lock: the copy retention must fall inside the range (also within one account)', async () => {
  await withFixture(async ({ kms, deps, point }) => {
    const copy = await point((await kms.keys.create(asA, { policy: keyPolicy([B]) })).arn);
    const lock = { minRetentionDays: 90, maxRetentionDays: 365, changeableForDays: undefined, lockDate: undefined };
    const refused = await firstCopyRefusal(deps, { ...copy, destination: { ...copy.destination, lock } });
    assert.equal(refused?.check, 'vault-lock');
    assert.match(refused?.message ?? '', /MinRetentionDays 90/);
    const sameAccount = {
      ...copy,
      destination: { ...copy.destination, accountId: A, lock },
      calculated: { deleteAt: undefined, moveToColdStorageAt: undefined },
    };
    assert.match((await firstCopyRefusal(deps, sameAccount))?.message ?? '', /MaxRetentionDays 365/);
  });
});

test('copy lifecycle: -1 keeps the source expiry, days count from the source creation date', () => {
  const source = { createdAt: T0, lifecycle: { deleteAfterDays: 35 }, calculatedLifecycle: { deleteAt: T0 + 35 * DAY, moveToColdStorageAt: undefined } };
  assert.deepEqual(copyLifecycle(source, { deleteAfterDays: -1 }), {
    lifecycle: { deleteAfterDays: 35 },
    calculated: { deleteAt: T0 + 35 * DAY, moveToColdStorageAt: undefined },
  });
  assert.equal(copyLifecycle(source, { deleteAfterDays: 100 }).calculated.deleteAt, T0 + 100 * DAY);
  assert.deepEqual(copyLifecycle(source, undefined).calculated, { deleteAt: undefined, moveToColdStorageAt: undefined });
});

test('repository passwords: enveloped by KMS, stable, refused naming the key when it is disabled', async () => {
  await withFixture(async ({ catalog, kms }) => {
    const passwords = createRepositoryPasswords({ catalog, clock, kms });
    const key = await kms.keys.create(asA, {});
    const scope = { accountId: A, region: REGION };
    const repoKey = await passwords.keyFor(scope, { ...sourceVault, encryptionKeyArn: key.arn }, { type: 'EFS' });
    assert.equal(repoKey.keyId, key.keyId);
    const first = await passwords.passwordFor(scope, sourceVault, repoKey.keyId, repoKey);
    assert.deepEqual(await passwords.passwordFor(scope, sourceVault, repoKey.keyId), first);
    const stored = await catalog.repositoryKeys.get(scope, 'prod', repoKey.keyId);
    assert.match(stored ?? '', /^kms1:backup:/);
    assert.ok(!stored!.includes(first.toString()), 'the password is never stored in the clear');
    await assert.rejects(
      passwords.passwordFor(scope, { ...sourceVault, arn: `${sourceVault.arn}-other` }, repoKey.keyId),
      /InvalidCiphertext|altered/,
      'bound to the vault ARN',
    );
    await kms.keys.disable(asA, key.arn);
    await assert.rejects(
      passwords.passwordFor(scope, sourceVault, repoKey.keyId),
      (err: Error) => err instanceof RepositoryKeyError && err.message.includes(`KMS key ${key.arn}`) && /is disabled/.test(err.message),
    );
  });
});

test('repository passwords: rows from before KMS (root-key envelope) still open', async () => {
  await withFixture(async ({ catalog, kms }) => {
    const rootKey = Buffer.alloc(32, 5);
    const scope = { accountId: A, region: REGION };
    const password = Buffer.from('a'.repeat(64));
    const { wrapPassword } = await import('../../src/backup/password-envelope.js');
    await catalog.repositoryKeys.putIfAbsent(
      scope,
      'prod',
      'aws-backup-default',
      wrapPassword(rootKey, password, { ...scope, vaultName: 'prod', keyId: 'aws-backup-default' }),
      T0,
    );
    const passwords = createRepositoryPasswords({ catalog, clock, kms, rootKey });
    assert.deepEqual(await passwords.passwordFor(scope, sourceVault, 'aws-backup-default'), password);
  });
});
