/** Key rotation (automatic, on demand, old material still decrypts), imported key material, retiring grants, custom key stores, last usage. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createCipheriv, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto';
import { A, B, rejectsWith, withKms } from './kms-fixture.js';

const DATA = Buffer.from('repository password');

test('rotation: on demand and when due; ciphertexts of every earlier material still decrypt; ListKeyRotations lists them', () =>
  withKms(async ({ kms, clock }) => {
    const key = await kms.keys.create(A, {});
    const before = await kms.crypto.encrypt(A, key.keyId, DATA);
    await kms.rotation.rotateOnDemand(A, key.keyId);
    const after = await kms.crypto.encrypt(A, key.keyId, DATA);
    assert.notDeepEqual(after.ciphertext.subarray(0, 1), before.ciphertext.subarray(0, 1), 'a rotated material writes the version-2 blob');
    await kms.rotation.enable(A, key.keyId, 90);
    const status = await kms.rotation.status(A, key.keyId);
    assert.equal(status.rotationPeriodInDays, 90);
    assert.deepEqual(status.nextRotationDate, new Date('2026-04-01T00:00:00Z'));
    clock.advanceDays(91);
    await kms.maintain(clock.now());
    await kms.maintain(clock.now()); // a second tick on the same day rotates nothing more
    const third = await kms.crypto.encrypt(A, key.keyId, DATA);
    for (const { ciphertext } of [before, after, third]) assert.deepEqual((await kms.crypto.decrypt(A, ciphertext)).plaintext, DATA);
    const rotations = await kms.rotation.list(A, key.keyId, false, {});
    assert.deepEqual(
      rotations.items.map((r) => [r.type, r.current]),
      [
        ['ON_DEMAND', false],
        ['AUTOMATIC', true],
      ],
    );
    const all = await kms.rotation.list(A, key.keyId, true, {});
    assert.equal(all.items.length, 3);
    assert.equal(all.items[0]!.rotatedAt, undefined);
    assert.match(all.items[0]!.materialId, /^[0-9a-f]{64}$/);
    assert.deepEqual((await kms.rotation.status(A, key.keyId)).nextRotationDate, new Date(clock.now().getTime() + 90 * 86_400_000));
    // a data key made before the rotation still opens
    await rejectsWith(kms.rotation.enable(A, key.keyId, 30), 'InvalidParameter', /between 90 and 2560/);
  }));

test('rotation is refused where AWS refuses it', () =>
  withKms(async ({ kms }) => {
    const rsa = await kms.keys.create(A, { keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY' });
    await rejectsWith(kms.rotation.enable(A, rsa.keyId, undefined), 'UnsupportedOperation', /symmetric encryption keys/);
    await rejectsWith(kms.rotation.rotateOnDemand(A, rsa.keyId), 'UnsupportedOperation');
    await rejectsWith(kms.rotation.list(A, rsa.keyId, false, {}), 'UnsupportedOperation');
    const managed = await kms.awsManagedKey(A, 'backup');
    await rejectsWith(kms.rotation.rotateOnDemand(A, managed.arn), 'AccessDenied', /kms:RotateKeyOnDemand/); // its fixed policy allows no one
    const key = await kms.keys.create(A, {});
    await kms.keys.disable(A, key.keyId);
    await rejectsWith(kms.rotation.rotateOnDemand(A, key.keyId), 'Disabled');
    await kms.keys.enable(A, key.keyId);
    for (let i = 0; i < 25; i++) await kms.rotation.rotateOnDemand(A, key.keyId);
    await rejectsWith(kms.rotation.rotateOnDemand(A, key.keyId), 'LimitExceeded');
  }));

function wrapForImport(publicKeyDer: Buffer, material: Buffer, algorithm: string): Buffer {
  const key = createPublicKey({ key: publicKeyDer, format: 'der', type: 'spki' });
  const hash = algorithm.endsWith('SHA_1') ? 'sha1' : 'sha256';
  if (!algorithm.startsWith('RSA_AES_KEY_WRAP')) return publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, material);
  const aes = randomBytes(32);
  const wrap = createCipheriv('id-aes256-wrap-pad', aes, Buffer.from('a65959a6', 'hex'));
  return Buffer.concat([publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, aes), wrap.update(material), wrap.final()]);
}

test('imported key material: PendingImport until imported, usable after, back to PendingImport when deleted or expired; only the same material again', () =>
  withKms(async ({ kms, clock }) => {
    const key = await kms.keys.create(A, { origin: 'EXTERNAL' });
    assert.equal(key.state, 'PendingImport');
    await rejectsWith(kms.crypto.encrypt(A, key.keyId, DATA), 'InvalidState', /pending import/);
    const material = randomBytes(32);
    for (const algorithm of ['RSAES_OAEP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_256']) {
      const params = await kms.imports.parameters(A, key.keyId, algorithm, 'RSA_2048');
      assert.deepEqual(params.validTo, new Date(clock.now().getTime() + 24 * 3_600_000));
      await rejectsWith(
        kms.imports.importMaterial(A, key.keyId, {
          importToken: randomBytes(64),
          encryptedKeyMaterial: wrapForImport(params.publicKey, material, algorithm),
          expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
        }),
        'InvalidImportToken',
      );
      const done = await kms.imports.importMaterial(A, key.keyId, {
        importToken: params.importToken,
        encryptedKeyMaterial: wrapForImport(params.publicKey, material, algorithm),
        validTo: new Date(clock.now().getTime() + 10 * 86_400_000),
      });
      assert.match(done.materialId, /^[0-9a-f]{64}$/);
      assert.equal((await kms.keys.describe(A, key.keyId)).state, 'Enabled');
    }
    const sealed = await kms.crypto.encrypt(A, key.keyId, DATA);
    const other = await kms.imports.parameters(A, key.keyId, 'RSAES_OAEP_SHA_1', 'RSA_2048');
    await rejectsWith(
      kms.imports.importMaterial(A, key.keyId, {
        importToken: other.importToken,
        encryptedKeyMaterial: wrapForImport(other.publicKey, randomBytes(32), 'RSAES_OAEP_SHA_1'),
        expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      }),
      'IncorrectKeyMaterial',
    );
    await kms.imports.deleteMaterial(A, key.keyId);
    assert.equal((await kms.keys.describe(A, key.keyId)).state, 'PendingImport');
    await rejectsWith(kms.crypto.decrypt(A, sealed.ciphertext), 'InvalidState');
    const again = await kms.imports.parameters(A, key.keyId, 'RSAES_OAEP_SHA_1', 'RSA_2048');
    await kms.imports.importMaterial(A, key.keyId, {
      importToken: again.importToken,
      encryptedKeyMaterial: wrapForImport(again.publicKey, material, 'RSAES_OAEP_SHA_1'),
      validTo: new Date(clock.now().getTime() + 86_400_000),
    });
    assert.deepEqual((await kms.crypto.decrypt(A, sealed.ciphertext)).plaintext, DATA, 'the same material, re-imported, opens the old ciphertext');
    clock.advanceDays(2);
    await kms.maintain(clock.now());
    assert.equal((await kms.keys.describe(A, key.keyId)).state, 'PendingImport', 'expired material is deleted');
    clock.advanceDays(2);
    const stale = await kms.imports.parameters(A, key.keyId, 'RSAES_OAEP_SHA_256', 'RSA_2048');
    clock.advanceDays(2);
    await rejectsWith(
      kms.imports.importMaterial(A, key.keyId, {
        importToken: stale.importToken,
        encryptedKeyMaterial: wrapForImport(stale.publicKey, material, 'RSAES_OAEP_SHA_256'),
        expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      }),
      'ExpiredImportToken',
    );
    const own = await kms.keys.create(A, {});
    await rejectsWith(kms.imports.parameters(A, own.keyId, 'RSAES_OAEP_SHA_256', 'RSA_2048'), 'UnsupportedOperation', /Origin EXTERNAL/);
  }));

test('RetireGrant by token or by key and grant id, by the retiring principal or a grantee allowed to; ListRetirableGrants', () =>
  withKms(async ({ kms }) => {
    const key = await kms.keys.create(A, {});
    const one = await kms.grants.create(A, key.keyId, { granteePrincipal: B.principal, retiringPrincipal: B.principal, operations: ['Decrypt'] });
    const two = await kms.grants.create(A, key.keyId, { granteePrincipal: B.principal, operations: ['Encrypt', 'RetireGrant'] });
    const three = await kms.grants.create(A, key.keyId, { granteePrincipal: B.principal, operations: ['Encrypt'] });
    const retirable = await kms.grants.listRetirable(A, B.principal, {});
    assert.deepEqual(
      retirable.items.map((g) => g.grantId),
      [one.grantId],
    );
    await kms.grants.retire(B, { grantToken: one.grantToken });
    await kms.grants.retire(B, { keyRef: key.arn, grantId: two.grantId });
    await rejectsWith(kms.grants.retire(B, { keyRef: key.arn, grantId: three.grantId }), 'AccessDenied', /kms:RetireGrant/);
    await kms.grants.retire(A, { grantToken: three.grantToken });
    assert.equal((await kms.grants.list(A, key.keyId, {}, {})).items.length, 0);
    await rejectsWith(kms.grants.retire(A, { grantToken: 'bm90IGEgdG9rZW4=' }), 'InvalidGrantToken');
    await rejectsWith(kms.grants.retire(A, { grantToken: one.grantToken }), 'InvalidGrantId');
  }));

test('custom key stores answer as for an account with none; UpdateKeyDescription; GetKeyLastUsage', () =>
  withKms(async ({ kms, clock }) => {
    assert.deepEqual(kms.customKeyStores.describe({}), []);
    assert.throws(() => kms.customKeyStores.describe({ id: 'cks-1234567890abcdef0' }), { code: 'CustomKeyStoreNotFound' });
    assert.throws(() => kms.customKeyStores.create({ name: 'hsm', cloudHsmClusterId: 'cluster-1234567890a' }), { code: 'CloudHsmClusterNotFound' });
    assert.throws(() => kms.customKeyStores.named('cks-1234567890abcdef0'), { code: 'CustomKeyStoreNotFound' });
    await rejectsWith(kms.keys.create(A, { customKeyStoreId: 'cks-1234567890abcdef0' }), 'CustomKeyStoreNotFound');

    const key = await kms.keys.create(A, { description: 'old' });
    await kms.keys.updateDescription(A, key.keyId, 'new words');
    assert.equal((await kms.keys.describe(A, key.keyId)).description, 'new words');
    assert.equal((await kms.keys.lastUsage(A, key.keyId)).last, undefined);
    clock.advanceDays(1);
    await kms.crypto.generateDataKey({ ...A, requestId: 'req-42' }, key.keyId, { keySpec: 'AES_256' });
    const usage = await kms.keys.lastUsage(A, key.keyId);
    assert.deepEqual(usage.last, { operation: 'GenerateDataKey', at: clock.now(), requestId: 'req-42' });
  }));
