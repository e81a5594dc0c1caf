/** Encrypt, Decrypt, ReEncrypt and data keys: round trips, encryption contexts, tampered blobs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createKmsDomain } from '../../src/kms/kms-domain.js';
import { A, rejectsWith, withKms } from './kms-fixture.js';

const PLAINTEXT = Buffer.from('the repository password of vault daily');

test('encrypt and decrypt round trip; Decrypt needs no KeyId and answers the key ARN', () =>
  withKms(async ({ kms }) => {
    const key = await kms.keys.create(A, { description: 'vault key' });
    assert.match(key.arn, /^arn:aws:kms:us-east-1:111111111111:key\/[0-9a-f-]{36}$/);
    const context = { vault: 'daily', account: '111111111111' };
    const sealed = await kms.crypto.encrypt(A, key.keyId, PLAINTEXT, { context });
    assert.equal(sealed.keyArn, key.arn);
    assert.ok(!sealed.ciphertext.includes(PLAINTEXT));
    const opened = await kms.crypto.decrypt(A, sealed.ciphertext, { context: { account: '111111111111', vault: 'daily' } });
    assert.deepEqual(opened.plaintext, PLAINTEXT);
    assert.equal(opened.keyArn, key.arn);
    const byArn = await kms.crypto.decrypt(A, sealed.ciphertext, { context, keyRef: key.arn });
    assert.deepEqual(byArn.plaintext, PLAINTEXT);
  }));

test('a different, missing or extra encryption context is InvalidCiphertext', () =>
  withKms(async ({ kms }) => {
    const key = await kms.keys.create(A, {});
    const { ciphertext } = await kms.crypto.encrypt(A, key.keyId, PLAINTEXT, { context: { vault: 'daily' } });
    await rejectsWith(kms.crypto.decrypt(A, ciphertext, { context: { vault: 'weekly' } }), 'InvalidCiphertext');
    await rejectsWith(kms.crypto.decrypt(A, ciphertext), 'InvalidCiphertext');
    await rejectsWith(kms.crypto.decrypt(A, ciphertext, { context: { vault: 'daily', extra: 'x' } }), 'InvalidCiphertext');
  }));

test('a changed byte anywhere in the blob is InvalidCiphertext; so is garbage', () =>
  withKms(async ({ kms }) => {
    const key = await kms.keys.create(A, {});
    const { ciphertext } = await kms.crypto.encrypt(A, key.keyId, PLAINTEXT);
    for (const at of [0, 1, 10, ciphertext.length - 30, ciphertext.length - 1]) {
      const tampered = Buffer.from(ciphertext);
      tampered[at] = tampered[at]! ^ 0x01;
      const error = await kms.crypto.decrypt(A, tampered).then(
        () => undefined,
        (e: unknown) => e as { code?: string },
      );
      assert.ok(error !== undefined, `byte ${at}: a tampered blob must not open`);
      assert.ok(['InvalidCiphertext', 'NotFound', 'AccessDenied'].includes(error.code ?? ''), `byte ${at}: ${String(error)}`);
    }
    const body = Buffer.from(ciphertext);
    body[body.length - 1] = body[body.length - 1]! ^ 0xff;
    await rejectsWith(kms.crypto.decrypt(A, body), 'InvalidCiphertext');
    await rejectsWith(kms.crypto.decrypt(A, Buffer.from('not a kms ciphertext at all')), 'InvalidCiphertext');
    await rejectsWith(kms.crypto.decrypt(A, ciphertext.subarray(0, 20)), 'InvalidCiphertext');
  }));

test("Decrypt with a KeyId other than the blob's key is IncorrectKey", () =>
  withKms(async ({ kms }) => {
    const one = await kms.keys.create(A, {});
    const two = await kms.keys.create(A, {});
    const { ciphertext } = await kms.crypto.encrypt(A, one.keyId, PLAINTEXT);
    await rejectsWith(kms.crypto.decrypt(A, ciphertext, { keyRef: two.keyId }), 'IncorrectKey');
  }));

test('ReEncrypt moves a ciphertext to another key and context', () =>
  withKms(async ({ kms }) => {
    const one = await kms.keys.create(A, {});
    const two = await kms.keys.create(A, {});
    await kms.aliases.create(A, 'alias/two', two.keyId);
    const { ciphertext } = await kms.crypto.encrypt(A, one.arn, PLAINTEXT, { context: { a: '1' } });
    const moved = await kms.crypto.reEncrypt(A, ciphertext, 'alias/two', { sourceContext: { a: '1' }, destinationContext: { b: '2' } });
    assert.equal(moved.sourceKeyArn, one.arn);
    assert.equal(moved.keyArn, two.arn);
    assert.deepEqual((await kms.crypto.decrypt(A, moved.ciphertext, { context: { b: '2' } })).plaintext, PLAINTEXT);
  }));

test('data keys: AES_256, AES_128, NumberOfBytes; exactly one size; the ciphertext opens to the plaintext', () =>
  withKms(async ({ kms }) => {
    const key = await kms.keys.create(A, {});
    const context = { purpose: 'test' };
    const big = await kms.crypto.generateDataKey(A, key.keyId, { keySpec: 'AES_256' }, { context });
    assert.equal(big.plaintext.length, 32);
    assert.deepEqual((await kms.crypto.decrypt(A, big.ciphertext, { context })).plaintext, big.plaintext);
    assert.equal((await kms.crypto.generateDataKey(A, key.keyId, { keySpec: 'AES_128' })).plaintext.length, 16);
    assert.equal((await kms.crypto.generateDataKey(A, key.keyId, { numberOfBytes: 1024 })).plaintext.length, 1024);
    const hidden = await kms.crypto.generateDataKeyWithoutPlaintext(A, key.keyId, { numberOfBytes: 64 });
    assert.equal(Object.hasOwn(hidden, 'plaintext'), false);
    assert.equal((await kms.crypto.decrypt(A, hidden.ciphertext)).plaintext.length, 64);
    await rejectsWith(kms.crypto.generateDataKey(A, key.keyId, {}), 'InvalidParameter');
    await rejectsWith(kms.crypto.generateDataKey(A, key.keyId, { keySpec: 'AES_256', numberOfBytes: 32 }), 'InvalidParameter');
    await rejectsWith(kms.crypto.generateDataKey(A, key.keyId, { numberOfBytes: 1025 }), 'InvalidParameter');
  }));

test('plaintext over 4096 bytes, asymmetric algorithms and DryRun', () =>
  withKms(async ({ kms }) => {
    const key = await kms.keys.create(A, {});
    await rejectsWith(kms.crypto.encrypt(A, key.keyId, Buffer.alloc(4097)), 'InvalidParameter');
    await rejectsWith(kms.crypto.encrypt(A, key.keyId, PLAINTEXT, { algorithm: 'RSAES_OAEP_SHA_256' }), 'InvalidKeyUsage');
    await rejectsWith(
      kms.crypto.encrypt(A, key.keyId, PLAINTEXT, { dryRun: true }),
      'DryRun',
      'The request would have succeeded, but the DryRun option is set.',
    );
  }));

test('key material is enveloped under the root key: another root key cannot use the keys', () =>
  withKms(async ({ kms, catalog, clock }) => {
    const key = await kms.keys.create(A, {});
    const { ciphertext } = await kms.crypto.encrypt(A, key.keyId, PLAINTEXT);
    const row = await catalog.kmsKeys.get(A, key.keyId);
    assert.match(row?.wrappedMaterial ?? '', /^v1:/);
    const other = createKmsDomain({ catalog, clock, rootKey: Buffer.alloc(32, 7) });
    await assert.rejects(other.crypto.decrypt(A, ciphertext), /does not open under this root key/);
  }));

test("a ciphertext whose key is gone answers AWS's AccessDenied for unknown ciphertext keys", () =>
  withKms(async ({ kms, clock }) => {
    const key = await kms.keys.create(A, {});
    const { ciphertext } = await kms.crypto.encrypt(A, key.keyId, PLAINTEXT);
    await kms.keys.scheduleDeletion(A, key.keyId, 7);
    clock.advanceDays(7);
    await kms.keys.purgeDue(clock.now());
    await rejectsWith(
      kms.crypto.decrypt(A, ciphertext),
      'AccessDenied',
      'The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.',
    );
  }));
