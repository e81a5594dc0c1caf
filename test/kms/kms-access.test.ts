/** Authorization: key policies (via iam/'s keyPolicyAllows), cross-account rules, the lockout check, grants. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { A, B, policyAllowing, rejectsWith, withKms } from './kms-fixture.js';

const DATA = Buffer.from('shared secret');

test('another account is denied until the key policy allows it, and must name the key by ARN', () =>
  withKms(async ({ kms }) => {
    const key = await kms.keys.create(A, {});
    const { ciphertext } = await kms.crypto.encrypt(A, key.keyId, DATA, { context: { v: '1' } });
    await rejectsWith(
      kms.crypto.decrypt(B, ciphertext, { context: { v: '1' } }),
      'AccessDenied',
      `User: arn:aws:iam::222222222222:root is not authorized to perform: kms:Decrypt on resource: ${key.arn} because no resource-based policy allows the kms:Decrypt action`,
    );
    await rejectsWith(kms.keys.describe(B, key.arn), 'AccessDenied');

    await kms.keyPolicies.put(A, key.keyId, {
      policy: policyAllowing(A.accountId, {
        Principal: { AWS: `arn:aws:iam::${B.accountId}:root` },
        Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:DescribeKey'],
      }),
    });
    assert.deepEqual((await kms.crypto.decrypt(B, ciphertext, { context: { v: '1' } })).plaintext, DATA);
    assert.equal((await kms.keys.describe(B, key.arn)).arn, key.arn);
    const mine = await kms.crypto.encrypt(B, key.arn, DATA);
    assert.equal(mine.keyArn, key.arn);
    // By bare id the key is looked up in B's own account.
    await rejectsWith(kms.crypto.encrypt(B, key.keyId, DATA), 'NotFound', /222222222222/);
    await rejectsWith(kms.crypto.generateDataKey(B, key.arn, { keySpec: 'AES_256' }), 'AccessDenied', /kms:GenerateDataKey on resource/);
  }));

test('an organization-wide statement (aws:PrincipalOrgID) lets member accounts in', () =>
  withKms(async ({ kms }) => {
    const key = await kms.keys.create(A, {
      policy: policyAllowing(A.accountId, {
        Principal: { AWS: '*' },
        Action: 'kms:Decrypt',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-cofferorg01' } },
      }),
    });
    const { ciphertext } = await kms.crypto.encrypt(A, key.keyId, DATA);
    assert.deepEqual((await kms.crypto.decrypt(B, ciphertext)).plaintext, DATA);
  }));

test('management operations never cross accounts, whatever the policy says', () =>
  withKms(async ({ kms }) => {
    const key = await kms.keys.create(A, { policy: policyAllowing(A.accountId, { Principal: { AWS: '*' }, Action: 'kms:*' }) });
    await rejectsWith(
      kms.keyPolicies.put(B, key.arn, { policy: policyAllowing(B.accountId, { Principal: '*', Action: 'kms:*' }) }),
      'AccessDenied',
      /kms:PutKeyPolicy/,
    );
    await rejectsWith(kms.keys.disable(B, key.arn), 'AccessDenied');
    await rejectsWith(kms.keys.scheduleDeletion(B, key.arn, 7), 'AccessDenied');
    await rejectsWith(kms.tags.tag(B, key.arn, [{ key: 'a', value: 'b' }]), 'AccessDenied');
    assert.equal((await kms.keys.describe(A, key.keyId)).state, 'Enabled');
  }));

test("another account's missing key answers AccessDenied, like an existing unshared one", () =>
  withKms(async ({ kms }) => {
    const ghost = 'arn:aws:kms:us-east-1:111111111111:key/00000000-0000-4000-8000-000000000000';
    await rejectsWith(
      kms.keys.describe(B, ghost),
      'AccessDenied',
      `User: arn:aws:iam::222222222222:root is not authorized to perform: kms:DescribeKey on resource: ${ghost} because no resource-based policy allows the kms:DescribeKey action`,
    );
    await rejectsWith(kms.keys.describe(A, ghost), 'NotFound');
  }));

test("an explicit Deny wins over the account's Allow and over grants", () =>
  withKms(async ({ kms }) => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*', Resource: '*' },
        { Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*' },
      ],
    });
    const key = await kms.keys.create(A, { policy });
    const { ciphertext } = await kms.crypto.encrypt(A, key.keyId, DATA);
    await rejectsWith(kms.crypto.decrypt(A, ciphertext), 'AccessDenied', /with an explicit deny in a resource-based policy/);
    await kms.grants.create(A, key.keyId, { granteePrincipal: A.principal, operations: ['Decrypt'] });
    await rejectsWith(kms.crypto.decrypt(A, ciphertext), 'AccessDenied');
  }));

test('PutKeyPolicy: only "default", a valid document, and no lockout unless bypassed', () =>
  withKms(async ({ kms }) => {
    const key = await kms.keys.create(A, {});
    const lockout = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: ['kms:Decrypt', 'kms:GetKeyPolicy'], Resource: '*' }],
    });
    await rejectsWith(kms.keyPolicies.put(A, key.keyId, { policy: lockout, policyName: 'other' }), 'NotFound');
    await rejectsWith(kms.keyPolicies.put(A, key.keyId, { policy: 'not json' }), 'MalformedPolicyDocument', /not valid JSON/);
    await rejectsWith(
      kms.keyPolicies.put(A, key.keyId, { policy: lockout }),
      'MalformedPolicyDocument',
      /will not allow you to update the key policy in the future/,
    );
    await kms.keyPolicies.put(A, key.keyId, { policy: lockout, bypassPolicyLockoutSafetyCheck: true });
    assert.equal(await kms.keyPolicies.get(A, key.keyId, 'default'), lockout);
    await rejectsWith(kms.keyPolicies.put(A, key.keyId, { policy: lockout }), 'AccessDenied', /kms:PutKeyPolicy/);
    await rejectsWith(kms.keys.describe(A, key.keyId), 'AccessDenied', /kms:DescribeKey/);
  }));

test('grants: a grant lets its grantee (another account) use the listed operations until revoked', () =>
  withKms(async ({ kms }) => {
    const key = await kms.keys.create(A, {});
    const { ciphertext } = await kms.crypto.encrypt(A, key.keyId, DATA, { context: { vault: 'v' } });
    await rejectsWith(kms.crypto.decrypt(B, ciphertext, { context: { vault: 'v' } }), 'AccessDenied');
    const grant = await kms.grants.create(A, key.keyId, {
      granteePrincipal: B.principal,
      operations: ['Decrypt'],
      constraints: { encryptionContextEquals: { vault: 'v' } },
      name: 'b-reads',
    });
    assert.match(grant.grantId, /^[0-9a-f]{64}$/);
    assert.deepEqual((await kms.crypto.decrypt(B, ciphertext, { context: { vault: 'v' } })).plaintext, DATA);
    // Encrypt was not granted.
    await rejectsWith(kms.crypto.encrypt(B, key.arn, DATA, { context: { vault: 'v' } }), 'AccessDenied', /kms:Encrypt/);

    const { ciphertext: other } = await kms.crypto.encrypt(A, key.keyId, DATA, { context: { vault: 'w' } });
    await rejectsWith(kms.crypto.decrypt(B, other, { context: { vault: 'w' } }), 'AccessDenied');

    const listed = await kms.grants.list(A, key.keyId, {}, {});
    assert.deepEqual(
      listed.items.map((g) => [g.grantId, g.granteePrincipal, g.operations, g.name, g.issuingAccount]),
      [[grant.grantId, B.principal, ['Decrypt'], 'b-reads', 'arn:aws:iam::111111111111:root']],
    );
    await rejectsWith(kms.grants.create(A, key.keyId, { granteePrincipal: 'bob', operations: ['Decrypt'] }), 'InvalidArn');
    await rejectsWith(kms.grants.create(A, key.keyId, { granteePrincipal: B.principal, operations: ['Sign'] }), 'InvalidParameter');
    await kms.grants.revoke(A, key.keyId, grant.grantId);
    await rejectsWith(kms.grants.revoke(A, key.keyId, grant.grantId), 'InvalidGrantId');
    await rejectsWith(kms.crypto.decrypt(B, ciphertext, { context: { vault: 'v' } }), 'AccessDenied');
  }));
