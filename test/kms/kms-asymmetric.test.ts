/** Asymmetric and HMAC keys: Sign/Verify (RAW and DIGEST, checked by node:crypto), RSA encryption, ECDH, MACs, data key pairs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  constants,
  createECDH,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  publicEncrypt,
  verify,
} from 'node:crypto';
import { A, B, policyAllowing, rejectsWith, withKms } from './kms-fixture.js';

const MESSAGE = Buffer.from('the manifest of recovery point 42');

const SIGNING: readonly [string, string, 'sha256' | 'sha384' | 'sha512'][] = [
  ['RSA_2048', 'RSASSA_PSS_SHA_256', 'sha256'],
  ['RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_512', 'sha512'],
  ['ECC_NIST_P256', 'ECDSA_SHA_256', 'sha256'],
  ['ECC_NIST_P384', 'ECDSA_SHA_384', 'sha384'],
  ['ECC_NIST_P521', 'ECDSA_SHA_512', 'sha512'],
  ['ECC_SECG_P256K1', 'ECDSA_SHA_256', 'sha256'],
];

test('Sign answers signatures node:crypto verifies with GetPublicKey, for RAW and DIGEST messages; Verify checks both ways', () =>
  withKms(async ({ kms }) => {
    for (const [keySpec, algorithm, hash] of SIGNING) {
      const key = await kms.keys.create(A, { keySpec, keyUsage: 'SIGN_VERIFY' });
      assert.equal(key.keyUsage, 'SIGN_VERIFY');
      const pub = await kms.signing.publicKey(A, key.keyId);
      assert.ok(pub.signingAlgorithms?.includes(algorithm));
      const publicKey = createPublicKey({ key: pub.publicKey, format: 'der', type: 'spki' });
      const pss = algorithm.startsWith('RSASSA_PSS') ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : {};
      const digest = createHash(hash).update(MESSAGE).digest();
      for (const messageType of ['RAW', 'DIGEST'] as const) {
        const { signature, keyArn } = await kms.signing.sign(A, key.keyId, { message: messageType === 'RAW' ? MESSAGE : digest, messageType, algorithm });
        assert.equal(keyArn, key.arn);
        assert.ok(verify(hash, MESSAGE, { key: publicKey, ...pss }, signature), `${keySpec} ${algorithm} ${messageType}: node:crypto verifies`);
        // a signature made over the message verifies as one over its digest, and the other way round
        const other = messageType === 'RAW' ? 'DIGEST' : 'RAW';
        await kms.signing.verify(A, key.keyId, { message: other === 'RAW' ? MESSAGE : digest, messageType: other, algorithm, signature });
        await rejectsWith(
          kms.signing.verify(A, key.keyId, { message: Buffer.from('another message'), algorithm, signature }),
          'InvalidSignature',
          'The signature is not valid for this message, key and signing algorithm.',
        );
      }
    }
  }));

test('Sign refuses keys, algorithms and digests that do not fit, in AWS order', () =>
  withKms(async ({ kms }) => {
    const ec = await kms.keys.create(A, { keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' });
    const sym = await kms.keys.create(A, {});
    await rejectsWith(kms.signing.sign(A, ec.keyId, { message: MESSAGE, algorithm: 'ECDSA_SHA_384' }), 'InvalidKeyUsage', /ECDSA_SHA_384 is not valid/);
    await rejectsWith(kms.signing.sign(A, sym.keyId, { message: MESSAGE, algorithm: 'ECDSA_SHA_256' }), 'InvalidKeyUsage', /KeyUsage is ENCRYPT_DECRYPT/);
    await rejectsWith(
      kms.signing.sign(A, ec.keyId, { message: MESSAGE, messageType: 'DIGEST', algorithm: 'ECDSA_SHA_256' }),
      'InvalidParameter',
      /32-byte digest/,
    );
    await rejectsWith(kms.signing.publicKey(A, sym.keyId), 'UnsupportedOperation');
    await rejectsWith(kms.signing.sign(A, ec.keyId, { message: MESSAGE, algorithm: 'ECDSA_SHA_256', dryRun: true }), 'DryRun');
    await kms.keys.disable(A, ec.keyId);
    await rejectsWith(kms.signing.sign(A, ec.keyId, { message: MESSAGE, algorithm: 'ECDSA_SHA_256' }), 'Disabled');
    await rejectsWith(kms.signing.sign(B, ec.arn, { message: MESSAGE, algorithm: 'ECDSA_SHA_256' }), 'AccessDenied', /kms:Sign/);
    await rejectsWith(kms.keys.create(A, { keySpec: 'ECC_SECG_P256K1', keyUsage: 'KEY_AGREEMENT' }), 'InvalidParameter', /allows SIGN_VERIFY/);
  }));

test('key policies decide Sign for another account, per action', () =>
  withKms(async ({ kms }) => {
    const policy = policyAllowing(A.accountId, { Principal: { AWS: B.principal }, Action: ['kms:Verify', 'kms:GetPublicKey'] });
    const key = await kms.keys.create(A, { keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY', policy });
    const { signature } = await kms.signing.sign(A, key.keyId, { message: MESSAGE, algorithm: 'ECDSA_SHA_256' });
    await kms.signing.verify(B, key.arn, { message: MESSAGE, algorithm: 'ECDSA_SHA_256', signature });
    await kms.signing.publicKey(B, key.arn);
    await rejectsWith(kms.signing.sign(B, key.arn, { message: MESSAGE, algorithm: 'ECDSA_SHA_256' }), 'AccessDenied', /kms:Sign on resource/);
  }));

test('RSA encryption keys: OAEP ciphertexts open with Decrypt given the KeyId, and a public-key ciphertext made outside KMS opens too', () =>
  withKms(async ({ kms }) => {
    const key = await kms.keys.create(A, { keySpec: 'RSA_2048', keyUsage: 'ENCRYPT_DECRYPT' });
    const sealed = await kms.crypto.encrypt(A, key.keyId, MESSAGE, { algorithm: 'RSAES_OAEP_SHA_256' });
    assert.equal(sealed.ciphertext.length, 256);
    const opened = await kms.crypto.decrypt(A, sealed.ciphertext, { keyRef: key.keyId, algorithm: 'RSAES_OAEP_SHA_256' });
    assert.deepEqual(opened.plaintext, MESSAGE);
    const pub = createPublicKey({ key: (await kms.signing.publicKey(A, key.keyId)).publicKey, format: 'der', type: 'spki' });
    const outside = publicEncrypt({ key: pub, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, MESSAGE);
    assert.deepEqual((await kms.crypto.decrypt(A, outside, { keyRef: key.arn, algorithm: 'RSAES_OAEP_SHA_1' })).plaintext, MESSAGE);
    await rejectsWith(kms.crypto.decrypt(A, outside, { keyRef: key.arn, algorithm: 'RSAES_OAEP_SHA_256' }), 'InvalidCiphertext');
    await rejectsWith(kms.crypto.decrypt(A, sealed.ciphertext), 'InvalidCiphertext');
    await rejectsWith(kms.crypto.encrypt(A, key.keyId, MESSAGE), 'InvalidKeyUsage', /SYMMETRIC_DEFAULT is not valid/);
    await rejectsWith(kms.crypto.encrypt(A, key.keyId, Buffer.alloc(200), { algorithm: 'RSAES_OAEP_SHA_256' }), 'InvalidParameter', /at most 190 bytes/);
    await rejectsWith(kms.crypto.encrypt(A, key.keyId, MESSAGE, { algorithm: 'RSAES_OAEP_SHA_256', context: { a: 'b' } }), 'InvalidParameter');
    await rejectsWith(kms.crypto.generateDataKey(A, key.keyId, { keySpec: 'AES_256' }), 'InvalidKeyUsage');
    // ReEncrypt from the RSA key to a symmetric one
    const sym = await kms.keys.create(A, {});
    const moved = await kms.crypto.reEncrypt(A, sealed.ciphertext, sym.keyId, { sourceKeyRef: key.keyId, sourceAlgorithm: 'RSAES_OAEP_SHA_256' });
    assert.equal(moved.sourceAlgorithm, 'RSAES_OAEP_SHA_256');
    assert.deepEqual((await kms.crypto.decrypt(A, moved.ciphertext)).plaintext, MESSAGE);
  }));

test('DeriveSharedSecret agrees with the other party computing ECDH from the KMS public key', () =>
  withKms(async ({ kms }) => {
    const key = await kms.keys.create(A, { keySpec: 'ECC_NIST_P384', keyUsage: 'KEY_AGREEMENT' });
    const mine = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const peerDer = mine.publicKey.export({ type: 'spki', format: 'der' });
    const { secret } = await kms.signing.deriveSharedSecret(A, key.keyId, 'ECDH', peerDer);
    const kmsPublic = createPublicKey({ key: (await kms.signing.publicKey(A, key.keyId)).publicKey, format: 'der', type: 'spki' });
    assert.deepEqual(secret, diffieHellman({ privateKey: mine.privateKey, publicKey: kmsPublic }));
    const otherCurve = createECDH('prime256v1');
    otherCurve.generateKeys();
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' });
    await rejectsWith(kms.signing.deriveSharedSecret(A, key.keyId, 'ECDH', p256), 'InvalidParameter', /curve/);
    await rejectsWith(kms.signing.deriveSharedSecret(A, key.keyId, 'ECDH', Buffer.from('nonsense')), 'InvalidParameter', /SubjectPublicKeyInfo/);
  }));

test('HMAC keys: GenerateMac matches an HMAC over the same key size; VerifyMac refuses another message', () =>
  withKms(async ({ kms }) => {
    for (const bits of [224, 256, 384, 512]) {
      const key = await kms.keys.create(A, { keySpec: `HMAC_${bits}`, keyUsage: 'GENERATE_VERIFY_MAC' });
      const algorithm = `HMAC_SHA_${bits}`;
      const { mac } = await kms.signing.generateMac(A, key.keyId, algorithm, MESSAGE);
      assert.equal(mac.length, bits / 8);
      await kms.signing.verifyMac(A, key.keyId, algorithm, MESSAGE, mac);
      await rejectsWith(kms.signing.verifyMac(A, key.keyId, algorithm, Buffer.from('x'), mac), 'InvalidMac');
      assert.notDeepEqual(
        mac,
        createHmac(`sha${bits}`, Buffer.alloc(bits / 8))
          .update(MESSAGE)
          .digest(),
      );
    }
    const key = await kms.keys.create(A, { keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC' });
    await rejectsWith(kms.signing.generateMac(A, key.keyId, 'HMAC_SHA_512', MESSAGE), 'InvalidKeyUsage');
    await rejectsWith(kms.crypto.encrypt(A, key.keyId, MESSAGE), 'InvalidKeyUsage');
  }));

test('GenerateDataKeyPair: the private key decrypts under the symmetric key and matches the public key', () =>
  withKms(async ({ kms }) => {
    const key = await kms.keys.create(A, {});
    const context = { purpose: 'signing' };
    const pair = await kms.crypto.generateDataKeyPair(A, key.keyId, 'ECC_NIST_P256', { context });
    const opened = await kms.crypto.decrypt(A, pair.privateKeyCiphertext, { context });
    assert.deepEqual(opened.plaintext, pair.privateKeyPlaintext);
    const derived = createPublicKey(createPrivateKey({ key: opened.plaintext, format: 'der', type: 'pkcs8' })).export({ type: 'spki', format: 'der' });
    assert.deepEqual(derived, pair.publicKey);
    await rejectsWith(kms.crypto.generateDataKeyPair(A, key.keyId, 'SM2'), 'UnsupportedOperation');
    const rsa = await kms.keys.create(A, { keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY' });
    await rejectsWith(kms.crypto.generateDataKeyPair(A, rsa.keyId, 'ECC_NIST_P256'), 'InvalidKeyUsage');
    assert.equal(kms.crypto.generateRandom(64).length, 64);
    assert.throws(() => kms.crypto.generateRandom(16, 'cks-1234567890abcdef0'), /Custom key store cks-1234567890abcdef0 does not exist/);
  }));

test('grants follow the key kind: Sign grants on signing keys, constraints only with encryption-context operations', () =>
  withKms(async ({ kms }) => {
    const key = await kms.keys.create(A, { keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' });
    await rejectsWith(
      kms.grants.create(A, key.keyId, { granteePrincipal: B.principal, operations: ['Encrypt'] }),
      'InvalidParameter',
      /Grant operation Encrypt is not valid/,
    );
    await rejectsWith(
      kms.grants.create(A, key.keyId, { granteePrincipal: B.principal, operations: ['Sign'], constraints: { encryptionContextEquals: { a: 'b' } } }),
      'InvalidParameter',
      /Sign takes none/,
    );
    await kms.grants.create(A, key.keyId, { granteePrincipal: B.principal, operations: ['Sign'] });
    await kms.signing.sign(B, key.arn, { message: MESSAGE, algorithm: 'ECDSA_SHA_256' });
  }));
