/**
 * AWS managed keys (aws/backup, aws/rds): created on first use, fixed policy, usable only by
 * their own account through their service, never changed, disabled or deleted. Also the entry
 * point Coffer's Backup uses (forService).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { A, B, policyAllowing, rejectsWith, withKms } from './kms-fixture.js';

const on = (scope: typeof A) => ({ accountId: scope.accountId, region: scope.region, requestId: 'job-1' });

test('alias/aws/backup comes into being on first use, once per account and region', () =>
  withKms(async ({ kms }) => {
    assert.equal((await kms.keys.list(A, {})).items.length, 0);
    const described = await kms.keys.describe(A, 'alias/aws/backup');
    assert.equal(described.keyManager, 'AWS');
    assert.equal(described.state, 'Enabled');
    assert.equal((await kms.keys.describe(A, 'alias/aws/backup')).arn, described.arn);
    assert.equal((await kms.awsManagedKey(A, 'backup')).arn, described.arn);
    const [first, second] = await Promise.all([kms.awsManagedKey(B, 'rds'), kms.awsManagedKey(B, 'rds')]);
    assert.equal(first.arn, second.arn, 'two first uses agree on one key');
    assert.notEqual((await kms.awsManagedKey(B, 'backup')).arn, described.arn, 'each account has its own');
    assert.deepEqual(
      (await kms.aliases.list(A, undefined, {})).items.map((a) => [a.name, a.targetKeyId]),
      [['alias/aws/backup', described.keyId]],
    );
    assert.equal((await kms.rotation.status(A, described.keyId)).enabled, true);
    const policy = JSON.parse(await kms.keyPolicies.get(A, 'alias/aws/backup', undefined)) as { Statement: { Condition?: unknown }[] };
    assert.deepEqual(policy.Statement[0]?.Condition, {
      StringEquals: { 'kms:ViaService': 'backup.us-east-1.amazonaws.com', 'kms:CallerAccount': '111111111111' },
    });
  }));

test('an AWS managed key cannot be changed, disabled, deleted, tagged or aliased', () =>
  withKms(async ({ kms }) => {
    const key = await kms.awsManagedKey(A, 'backup');
    const open = policyAllowing(A.accountId, { Principal: { AWS: '*' }, Action: 'kms:*' });
    await rejectsWith(
      kms.keyPolicies.put(A, key.keyId, { policy: open }),
      'AccessDenied',
      `User: arn:aws:iam::111111111111:root is not authorized to perform: kms:PutKeyPolicy on resource: ${key.arn} because no resource-based policy allows the kms:PutKeyPolicy action`,
    );
    await rejectsWith(kms.keyPolicies.put(A, key.keyId, { policy: open, bypassPolicyLockoutSafetyCheck: true }), 'AccessDenied');
    await rejectsWith(kms.keys.disable(A, key.keyId), 'AccessDenied');
    await rejectsWith(kms.keys.scheduleDeletion(A, key.keyId, 7), 'AccessDenied');
    await rejectsWith(kms.tags.tag(A, key.keyId, [{ key: 'a', value: 'b' }]), 'AccessDenied');
    await rejectsWith(kms.aliases.create(A, 'alias/mine', key.keyId), 'AccessDenied');
    await rejectsWith(kms.aliases.delete(A, 'alias/aws/backup'), 'InvalidAliasName');
    assert.equal((await kms.keys.describe(A, key.keyId)).state, 'Enabled');
  }));

test('direct cryptography with aws/backup is refused: only Backup acting for the account may use it', () =>
  withKms(async ({ kms }) => {
    await rejectsWith(kms.crypto.encrypt(A, 'alias/aws/backup', Buffer.from('x')), 'AccessDenied', /kms:Encrypt/);
    await rejectsWith(kms.crypto.generateDataKey(A, 'alias/aws/backup', { keySpec: 'AES_256' }), 'AccessDenied', /kms:GenerateDataKey/);
    const backup = kms.forService('backup');
    const context = { 'aws:backup:vault': 'arn:aws:backup:us-east-1:111111111111:backup-vault:daily' };
    const dataKey = await backup.generateDataKey(on(A), 'alias/aws/backup', context);
    assert.equal(dataKey.plaintext.length, 32);
    assert.equal(dataKey.keyArn, (await kms.awsManagedKey(A, 'backup')).arn);
    assert.deepEqual((await backup.decrypt(on(A), dataKey.ciphertext, context)).plaintext, dataKey.plaintext);
    await rejectsWith(kms.crypto.decrypt(A, dataKey.ciphertext, { context }), 'AccessDenied', /kms:Decrypt/);
    await rejectsWith(backup.decrypt(on(A), dataKey.ciphertext, {}), 'InvalidCiphertext');
    await rejectsWith(kms.forService('rds').generateDataKey(on(A), 'alias/aws/backup', context), 'AccessDenied', /kms:GenerateDataKey/); // RDS is not Backup
  }));

test('an AWS managed key refuses every other account, even through Backup and by ARN', () =>
  withKms(async ({ kms }) => {
    const key = await kms.awsManagedKey(A, 'backup');
    const backup = kms.forService('backup');
    const dataKey = await backup.generateDataKey(on(A), key.arn, {});
    await rejectsWith(
      backup.generateDataKey(on(B), key.arn, {}),
      'AccessDenied',
      /User: arn:aws:iam::222222222222:root is not authorized to perform: kms:GenerateDataKey/,
    );
    await rejectsWith(backup.decrypt(on(B), dataKey.ciphertext, {}), 'AccessDenied', /kms:Decrypt/);
    await rejectsWith(backup.describeKey(on(B), 'arn:aws:kms:us-east-1:111111111111:alias/aws/backup'), 'AccessDenied');
    assert.notEqual((await backup.describeKey(on(B), 'alias/aws/backup')).arn, key.arn, "B's own alias names B's own key");
  }));

test("Backup acting for an account uses a customer key the policy allows, including another account's", () =>
  withKms(async ({ kms }) => {
    const key = await kms.keys.create(A, {});
    const backup = kms.forService('backup');
    const dataKey = await backup.generateDataKey(on(A), key.arn, { vault: 'v' });
    assert.deepEqual((await backup.decrypt(on(A), dataKey.ciphertext, { vault: 'v' })).plaintext, dataKey.plaintext);
    await rejectsWith(backup.decrypt(on(B), dataKey.ciphertext, { vault: 'v' }), 'AccessDenied');
    await kms.keyPolicies.put(A, key.keyId, {
      policy: policyAllowing(A.accountId, {
        Principal: { AWS: `arn:aws:iam::${B.accountId}:root` },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        Condition: { StringEquals: { 'kms:ViaService': 'backup.us-east-1.amazonaws.com' } },
      }),
    });
    assert.deepEqual((await backup.decrypt(on(B), dataKey.ciphertext, { vault: 'v' })).plaintext, dataKey.plaintext);
    await rejectsWith(kms.crypto.decrypt(B, dataKey.ciphertext, { context: { vault: 'v' } }), 'AccessDenied'); // only through Backup
    await kms.keys.disable(A, key.keyId);
    await rejectsWith(backup.generateDataKey(on(A), key.arn, {}), 'Disabled');
  }));
