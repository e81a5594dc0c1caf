/** Keys: what CreateKey accepts, the state machine (Disabled, PendingDeletion, purge), rotation, tags, paging, aliases. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { A, B, rejectsWith, withKms } from './kms-fixture.js';

const DATA = Buffer.from('secret');

test('CreateKey makes an Enabled symmetric key with the default key policy for the account root', () =>
  withKms(async ({ kms }) => {
    const key = await kms.keys.create(A, { description: 'd', tags: [{ key: 'team', value: 'ops' }] });
    assert.equal(key.state, 'Enabled');
    assert.equal(key.keyManager, 'CUSTOMER');
    assert.equal(key.keySpec, 'SYMMETRIC_DEFAULT');
    const policy = JSON.parse(await kms.keyPolicies.get(A, key.keyId, undefined)) as { Statement: { Sid: string; Principal: unknown; Action: string }[] };
    assert.deepEqual(policy.Statement[0], {
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111111111111:root' },
      Action: 'kms:*',
      Resource: '*',
    });
    assert.deepEqual(await kms.keyPolicies.list(A, key.keyId), ['default']);
    assert.deepEqual((await kms.tags.list(A, key.arn, {})).items, [{ key: 'team', value: 'ops' }]);
    assert.equal((await kms.rotation.status(A, key.keyId)).enabled, false);
  }));

test('CreateKey refuses what Coffer cannot make, with AWS-shaped errors', () =>
  withKms(async ({ kms }) => {
    await rejectsWith(
      kms.keys.create(A, { keySpec: 'SM2' }),
      'UnsupportedOperation',
      /KeySpec SM2 is not supported by Coffer: SM2 keys exist only in the AWS China Regions/,
    );
    await rejectsWith(kms.keys.create(A, { keySpec: 'HMAC_256' }), 'InvalidParameter', /KeyUsage defaults to ENCRYPT_DECRYPT/);
    await rejectsWith(
      kms.keys.create(A, { keyUsage: 'SIGN_VERIFY' }),
      'InvalidParameter',
      /KeyUsage SIGN_VERIFY is not compatible with KeySpec SYMMETRIC_DEFAULT/,
    );
    await rejectsWith(kms.keys.create(A, { origin: 'EXTERNAL', keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY' }), 'UnsupportedOperation');
    await rejectsWith(kms.keys.create(A, { policy: '{"Version":"2012-10-17"}' }), 'MalformedPolicyDocument');
    await rejectsWith(kms.keys.create(A, { tags: [{ key: 'aws:x', value: '1' }] }), 'InvalidTag');
    assert.equal((await kms.keys.list(A, {})).items.length, 0, 'nothing was created');
  }));

test('Disabled keys refuse cryptography with DisabledException until enabled again', () =>
  withKms(async ({ kms }) => {
    const key = await kms.keys.create(A, {});
    const { ciphertext } = await kms.crypto.encrypt(A, key.keyId, DATA);
    await kms.keys.disable(A, key.keyId);
    assert.equal((await kms.keys.describe(A, key.keyId)).state, 'Disabled');
    await rejectsWith(kms.crypto.encrypt(A, key.keyId, DATA), 'Disabled', `${key.arn} is disabled.`);
    await rejectsWith(kms.crypto.decrypt(A, ciphertext), 'Disabled');
    await rejectsWith(kms.crypto.generateDataKey(A, key.keyId, { keySpec: 'AES_256' }), 'Disabled');
    await kms.keys.enable(A, key.keyId);
    assert.deepEqual((await kms.crypto.decrypt(A, ciphertext)).plaintext, DATA);
  }));

test('ScheduleKeyDeletion: 7..30 days, PendingDeletion refuses use, cancel leaves it Disabled', () =>
  withKms(async ({ kms, clock }) => {
    const key = await kms.keys.create(A, {});
    await rejectsWith(kms.keys.scheduleDeletion(A, key.keyId, 6), 'InvalidParameter');
    await rejectsWith(kms.keys.scheduleDeletion(A, key.keyId, 31), 'InvalidParameter');
    const pending = await kms.keys.scheduleDeletion(A, key.keyId, 7);
    assert.equal(pending.state, 'PendingDeletion');
    assert.equal(pending.deletionDate?.toISOString(), new Date(clock.now().getTime() + 7 * 86_400_000).toISOString());
    await rejectsWith(kms.crypto.encrypt(A, key.keyId, DATA), 'InvalidState', `${key.arn} is pending deletion.`);
    await rejectsWith(kms.keys.enable(A, key.keyId), 'InvalidState');
    await rejectsWith(kms.keys.scheduleDeletion(A, key.keyId, 7), 'InvalidState');
    const cancelled = await kms.keys.cancelDeletion(A, key.keyId);
    assert.equal(cancelled.state, 'Disabled');
    assert.equal((await kms.keys.describe(A, key.keyId)).deletionDate, undefined);
    await rejectsWith(kms.keys.cancelDeletion(A, key.keyId), 'InvalidState', `${key.arn} is not pending deletion.`);
  }));

test('a key past its deletion date is gone: purgeDue deletes it with its aliases; naming it is NotFound', () =>
  withKms(async ({ kms, clock, catalog }) => {
    const doomed = await kms.keys.create(A, {});
    const kept = await kms.keys.create(A, {});
    await kms.aliases.create(A, 'alias/doomed', doomed.keyId);
    await kms.keys.scheduleDeletion(A, doomed.keyId, 7);
    clock.advanceDays(6);
    assert.deepEqual(await kms.keys.purgeDue(clock.now()), []);
    clock.advanceDays(1);
    assert.deepEqual(await kms.keys.purgeDue(clock.now()), [doomed.arn]);
    await rejectsWith(kms.keys.describe(A, doomed.keyId), 'NotFound', `Key '${doomed.arn}' does not exist`);
    await rejectsWith(kms.keys.describe(A, 'alias/doomed'), 'NotFound', 'Alias arn:aws:kms:us-east-1:111111111111:alias/doomed is not found.');
    assert.equal((await kms.keys.describe(A, kept.keyId)).state, 'Enabled');
    assert.equal((await catalog.kmsAliases.list(A, undefined)).items.length, 0);

    const lazy = await kms.keys.create(A, {});
    await kms.keys.scheduleDeletion(A, lazy.keyId, 30);
    clock.advanceDays(30);
    await rejectsWith(kms.keys.describe(A, lazy.arn), 'NotFound');
  }));

test("key references: id, ARN, alias name, alias ARN; another region's ARN is refused naming the region", () =>
  withKms(async ({ kms }) => {
    const key = await kms.keys.create(A, {});
    await kms.aliases.create(A, 'alias/app', key.arn);
    for (const ref of [key.keyId, key.arn, 'alias/app', 'arn:aws:kms:us-east-1:111111111111:alias/app']) {
      assert.equal((await kms.keys.describe(A, ref)).arn, key.arn, ref);
    }
    await rejectsWith(kms.keys.describe(A, key.arn.replace('us-east-1', 'eu-west-1')), 'InvalidArn', /region eu-west-1/);
    await rejectsWith(kms.keys.describe(A, 'not-a-key'), 'NotFound', "Invalid keyId 'not-a-key'");
    // A bare key id is always in the caller's own account.
    await rejectsWith(kms.keys.describe(B, key.keyId), 'NotFound', /arn:aws:kms:us-east-1:222222222222:key\//);
  }));

test('aliases: reserved prefix, duplicates, update, delete, list by key', () =>
  withKms(async ({ kms }) => {
    const one = await kms.keys.create(A, {});
    const two = await kms.keys.create(A, {});
    await rejectsWith(kms.aliases.create(A, 'alias/aws/mine', one.keyId), 'InvalidAliasName', /reserved for AWS managed keys/);
    await rejectsWith(kms.aliases.create(A, 'mine', one.keyId), 'InvalidAliasName');
    await kms.aliases.create(A, 'alias/a', one.keyId);
    await kms.aliases.create(A, 'alias/b', one.keyId);
    await rejectsWith(
      kms.aliases.create(A, 'alias/a', two.keyId),
      'AlreadyExists',
      'An alias with the name arn:aws:kms:us-east-1:111111111111:alias/a already exists',
    );
    await kms.aliases.update(A, 'alias/b', two.keyId);
    assert.deepEqual(
      (await kms.aliases.list(A, one.keyId, {})).items.map((a) => a.name),
      ['alias/a'],
    );
    assert.deepEqual(
      (await kms.aliases.list(A, 'alias/b', {})).items.map((a) => [a.name, a.targetKeyId]),
      [['alias/b', two.keyId]],
    );
    await kms.aliases.delete(A, 'alias/a');
    await rejectsWith(kms.aliases.delete(A, 'alias/a'), 'NotFound');
    assert.deepEqual(
      (await kms.aliases.list(A, undefined, {})).items.map((a) => a.arn),
      ['arn:aws:kms:us-east-1:111111111111:alias/b'],
    );
    await rejectsWith(kms.aliases.create(B, 'alias/steal', one.arn), 'AccessDenied');
  }));

test('ListKeys, ListAliases and ListResourceTags page with Limit and Marker', () =>
  withKms(async ({ kms }) => {
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await kms.keys.create(A, {}));
    const first = await kms.keys.list(A, { limit: 2 });
    assert.equal(first.items.length, 2);
    assert.ok(first.nextMarker !== undefined);
    const second = await kms.keys.list(A, { limit: 2, marker: first.nextMarker });
    assert.equal(second.items.length, 1);
    assert.equal(second.nextMarker, undefined);
    assert.deepEqual([...first.items, ...second.items].map((k) => k.keyId).sort(), made.map((k) => k.keyId).sort());
    await rejectsWith(kms.keys.list(A, { marker: 'garbage' }), 'InvalidMarker');
    assert.equal((await kms.keys.list(B, {})).items.length, 0);
    const tags = Array.from({ length: 5 }, (_, i) => ({ key: `k${i}`, value: `v${i}` }));
    await kms.tags.tag(A, made[0]!.keyId, tags);
    const page = await kms.tags.list(A, made[0]!.keyId, { limit: 3 });
    assert.deepEqual(
      page.items.map((t) => t.key),
      ['k0', 'k1', 'k2'],
    );
    await kms.tags.untag(A, made[0]!.keyId, ['k0', 'k1']);
    assert.deepEqual(
      (await kms.tags.list(A, made[0]!.keyId, {})).items.map((t) => t.key),
      ['k2', 'k3', 'k4'],
    );
  }));

test('rotation can be switched on and off on a customer key', () =>
  withKms(async ({ kms }) => {
    const key = await kms.keys.create(A, {});
    await kms.rotation.enable(A, key.keyId, undefined);
    assert.deepEqual(await kms.rotation.status(A, key.keyId), {
      keyArn: key.arn,
      enabled: true,
      rotationPeriodInDays: 365,
      nextRotationDate: new Date('2027-01-01T00:00:00Z'),
    });
    await kms.rotation.disable(A, key.keyId);
    assert.equal((await kms.rotation.status(A, key.keyId)).enabled, false);
  }));
