/**
 * Asymmetric and HMAC keys, rotation, imports and custom key stores through the real clients
 * against `coffer serve`: the AWS SDK for JavaScript v3 and the AWS CLI, with the signatures
 * checked by openssl and node:crypto outside Coffer, as a user verifies a KMS signature.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { constants, createHash, createPublicKey, publicEncrypt, randomBytes, verify } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateCustomKeyStoreCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeCustomKeyStoresCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyPairCommand,
  GenerateRandomCommand,
  GetKeyRotationStatusCommand,
  GetParametersForImportCommand,
  GetPublicKeyCommand,
  ImportKeyMaterialCommand,
  KMSClient,
  ListKeyRotationsCommand,
  ListRetirableGrantsCommand,
  RetireGrantCommand,
  RotateKeyOnDemandCommand,
  SignCommand,
  VerifyCommand,
  EnableKeyRotationCommand,
} from '@aws-sdk/client-kms';
import { accountsYaml, ALPHA, BETA, REGIONS } from './support/accounts.js';
import type { TestAccount } from './support/accounts.js';
import { awsCli, cliJson, keysOf } from './support/clients.js';
import { useCoffer } from './support/server-fixture.js';

const YAML = `listen: 127.0.0.1:0
dataDir: ./data
organization: { managementAccount: "${ALPHA.accountId}" }
${accountsYaml([ALPHA, BETA])}regions:
${REGIONS.map((r) => `  - { name: ${r}, storage: "file:./data/vaults/${r}" }`).join('\n')}
`;

const server = useCoffer({ yaml: YAML });

function kms(account: TestAccount): KMSClient {
  return new KMSClient({ endpoint: server().endpoint, region: 'us-east-1', maxAttempts: 1, credentials: keysOf(account) });
}

async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e as { name: string; message: string },
  );
  assert.ok(error !== undefined, 'the call should have failed');
  return error;
}

const cli = (account: TestAccount, args: readonly string[]) => awsCli(server().endpoint, keysOf(account), ['kms', ...args]);

test('AWS CLI: sign a file with an RSA key, openssl verifies the signature with the public key from get-public-key', async (t) => {
  const key = cliJson(await cli(ALPHA, ['create-key', '--key-spec', 'RSA_2048', '--key-usage', 'SIGN_VERIFY', '--description', 'release signing']));
  const metadata = key['KeyMetadata'] as Record<string, unknown>;
  assert.deepEqual(metadata['SigningAlgorithms'], [
    'RSASSA_PSS_SHA_256',
    'RSASSA_PSS_SHA_384',
    'RSASSA_PSS_SHA_512',
    'RSASSA_PKCS1_V1_5_SHA_256',
    'RSASSA_PKCS1_V1_5_SHA_384',
    'RSASSA_PKCS1_V1_5_SHA_512',
  ]);
  const keyId = String(metadata['KeyId']);
  const dir = server().dir;
  const file = join(dir, 'release.tar');
  await writeFile(file, randomBytes(3000));
  const signed = cliJson(
    await cli(ALPHA, ['sign', '--key-id', keyId, '--message', `fileb://${file}`, '--message-type', 'RAW', '--signing-algorithm', 'RSASSA_PKCS1_V1_5_SHA_256']),
  );
  const sigFile = join(dir, 'release.sig');
  await writeFile(sigFile, Buffer.from(String(signed['Signature']), 'base64'));
  const pub = cliJson(await cli(ALPHA, ['get-public-key', '--key-id', keyId]));
  const pubFile = join(dir, 'release.pub.der');
  await writeFile(pubFile, Buffer.from(String(pub['PublicKey']), 'base64'));
  const verified = cliJson(
    await cli(ALPHA, [
      'verify',
      '--key-id',
      keyId,
      '--message',
      `fileb://${file}`,
      '--signature',
      `fileb://${sigFile}`,
      '--signing-algorithm',
      'RSASSA_PKCS1_V1_5_SHA_256',
    ]),
  );
  assert.equal(verified['SignatureValid'], true);
  const openssl = spawnSync('openssl', ['dgst', '-sha256', '-keyform', 'DER', '-verify', pubFile, '-signature', sigFile, file], { encoding: 'utf8' });
  if (openssl.error !== undefined) return t.skip('openssl is not installed');
  assert.equal(openssl.status, 0, openssl.stderr);
  assert.match(openssl.stdout, /Verified OK/);

  // a digest signed with ECDSA: the CLI's --message-type DIGEST
  const ec = cliJson(await cli(ALPHA, ['create-key', '--key-spec', 'ECC_NIST_P256', '--key-usage', 'SIGN_VERIFY']));
  const ecId = String((ec['KeyMetadata'] as Record<string, unknown>)['KeyId']);
  const digestFile = join(dir, 'release.sha256');
  const content = randomBytes(100);
  await writeFile(digestFile, createHash('sha256').update(content).digest());
  const ecSigned = cliJson(
    await cli(ALPHA, ['sign', '--key-id', ecId, '--message', `fileb://${digestFile}`, '--message-type', 'DIGEST', '--signing-algorithm', 'ECDSA_SHA_256']),
  );
  const ecPub = cliJson(await cli(ALPHA, ['get-public-key', '--key-id', ecId]));
  const publicKey = createPublicKey({ key: Buffer.from(String(ecPub['PublicKey']), 'base64'), format: 'der', type: 'spki' });
  assert.ok(
    verify('sha256', content, publicKey, Buffer.from(String(ecSigned['Signature']), 'base64')),
    'node:crypto verifies the ECDSA signature over the content',
  );

  const bad = await cli(ALPHA, [
    'verify',
    '--key-id',
    ecId,
    '--message',
    `fileb://${file}`,
    '--signature',
    `fileb://${sigFile}`,
    '--signing-algorithm',
    'ECDSA_SHA_256',
  ]);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /KMSInvalidSignatureException/);
});

test('AWS CLI: HMAC keys make and check MACs; generate-random', async () => {
  const key = cliJson(await cli(ALPHA, ['create-key', '--key-spec', 'HMAC_384', '--key-usage', 'GENERATE_VERIFY_MAC']));
  const keyId = String((key['KeyMetadata'] as Record<string, unknown>)['KeyId']);
  assert.deepEqual((key['KeyMetadata'] as Record<string, unknown>)['MacAlgorithms'], ['HMAC_SHA_384']);
  const file = join(server().dir, 'mac-message.txt');
  await writeFile(file, 'the message');
  const made = cliJson(await cli(ALPHA, ['generate-mac', '--key-id', keyId, '--message', `fileb://${file}`, '--mac-algorithm', 'HMAC_SHA_384']));
  const macFile = join(server().dir, 'message.mac');
  await writeFile(macFile, Buffer.from(String(made['Mac']), 'base64'));
  const ok = cliJson(
    await cli(ALPHA, ['verify-mac', '--key-id', keyId, '--message', `fileb://${file}`, '--mac', `fileb://${macFile}`, '--mac-algorithm', 'HMAC_SHA_384']),
  );
  assert.equal(ok['MacValid'], true);
  await writeFile(file, 'another message');
  const bad = await cli(ALPHA, [
    'verify-mac',
    '--key-id',
    keyId,
    '--message',
    `fileb://${file}`,
    '--mac',
    `fileb://${macFile}`,
    '--mac-algorithm',
    'HMAC_SHA_384',
  ]);
  assert.match(bad.stderr, /KMSInvalidMacException/);
  const random = cliJson(await cli(ALPHA, ['generate-random', '--number-of-bytes', '48']));
  assert.equal(Buffer.from(String(random['Plaintext']), 'base64').length, 48);
});

test('SDK: RSA encryption, data key pairs, rotation that keeps old ciphertexts readable, another account signing through a grant', async () => {
  const alpha = kms(ALPHA);
  const rsa = await alpha.send(new CreateKeyCommand({ KeySpec: 'RSA_3072', KeyUsage: 'ENCRYPT_DECRYPT' }));
  const rsaId = rsa.KeyMetadata!.KeyId!;
  const { PublicKey } = await alpha.send(new GetPublicKeyCommand({ KeyId: rsaId }));
  const outside = publicEncrypt(
    { key: createPublicKey({ key: Buffer.from(PublicKey!), format: 'der', type: 'spki' }), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    Buffer.from('encrypted offline'),
  );
  const opened = await alpha.send(new DecryptCommand({ KeyId: rsaId, CiphertextBlob: outside, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }));
  assert.equal(Buffer.from(opened.Plaintext!).toString(), 'encrypted offline');
  assert.equal(opened.EncryptionAlgorithm, 'RSAES_OAEP_SHA_256');

  const sym = (await alpha.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  const pair = await alpha.send(new GenerateDataKeyPairCommand({ KeyId: sym, KeyPairSpec: 'ECC_NIST_P384' }));
  const back = await alpha.send(new DecryptCommand({ CiphertextBlob: pair.PrivateKeyCiphertextBlob }));
  assert.deepEqual(Buffer.from(back.Plaintext!), Buffer.from(pair.PrivateKeyPlaintext!));

  const old = await alpha.send(new EncryptCommand({ KeyId: sym, Plaintext: Buffer.from('before rotation') }));
  await alpha.send(new EnableKeyRotationCommand({ KeyId: sym, RotationPeriodInDays: 180 }));
  const status = await alpha.send(new GetKeyRotationStatusCommand({ KeyId: sym }));
  assert.equal(status.KeyRotationEnabled, true);
  assert.equal(status.RotationPeriodInDays, 180);
  assert.ok(status.NextRotationDate instanceof Date);
  await alpha.send(new RotateKeyOnDemandCommand({ KeyId: sym }));
  const rotations = await alpha.send(new ListKeyRotationsCommand({ KeyId: sym }));
  assert.equal(rotations.Rotations?.length, 1);
  assert.equal(rotations.Rotations?.[0]?.RotationType, 'ON_DEMAND');
  const described = await alpha.send(new DescribeKeyCommand({ KeyId: sym }));
  assert.equal(described.KeyMetadata?.CurrentKeyMaterialId, rotations.Rotations?.[0]?.KeyMaterialId);
  assert.equal(Buffer.from((await alpha.send(new DecryptCommand({ CiphertextBlob: old.CiphertextBlob }))).Plaintext!).toString(), 'before rotation');

  const signer = (await alpha.send(new CreateKeyCommand({ KeySpec: 'ECC_SECG_P256K1', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!;
  const beta = kms(BETA);
  const denied = await failure(beta.send(new SignCommand({ KeyId: signer.Arn, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_256' })));
  assert.equal(denied.name, 'AccessDeniedException');
  const grant = await alpha.send(
    new CreateGrantCommand({
      KeyId: signer.KeyId,
      GranteePrincipal: `arn:aws:iam::${BETA.accountId}:root`,
      RetiringPrincipal: `arn:aws:iam::${BETA.accountId}:root`,
      Operations: ['Sign', 'Verify'],
    }),
  );
  const signed = await beta.send(
    new SignCommand({ KeyId: signer.Arn, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_256', GrantTokens: [grant.GrantToken!] }),
  );
  await beta.send(new VerifyCommand({ KeyId: signer.Arn, Message: Buffer.from('m'), Signature: signed.Signature, SigningAlgorithm: 'ECDSA_SHA_256' }));
  const badToken = await failure(
    beta.send(new SignCommand({ KeyId: signer.Arn, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_256', GrantTokens: ['junk'] })),
  );
  assert.equal(badToken.name, 'InvalidGrantTokenException');
  const retirable = await alpha.send(new ListRetirableGrantsCommand({ RetiringPrincipal: `arn:aws:iam::${BETA.accountId}:root` }));
  assert.deepEqual(
    retirable.Grants?.map((g) => g.GrantId),
    [grant.GrantId],
  );
  await beta.send(new RetireGrantCommand({ GrantToken: grant.GrantToken }));
  assert.equal(
    (await failure(beta.send(new SignCommand({ KeyId: signer.Arn, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_256' })))).name,
    'AccessDeniedException',
  );
});

test('SDK: importing key material (RSAES_OAEP_SHA_256), and custom key stores answered as AWS answers an account with none', async () => {
  const alpha = kms(ALPHA);
  const key = (await alpha.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }))).KeyMetadata!;
  assert.equal(key.KeyState, 'PendingImport');
  const params = await alpha.send(
    new GetParametersForImportCommand({ KeyId: key.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }),
  );
  const wrapped = publicEncrypt(
    {
      key: createPublicKey({ key: Buffer.from(params.PublicKey!), format: 'der', type: 'spki' }),
      padding: constants.RSA_PKCS1_OAEP_PADDING,
      oaepHash: 'sha256',
    },
    randomBytes(32),
  );
  const imported = await alpha.send(
    new ImportKeyMaterialCommand({
      KeyId: key.KeyId,
      ImportToken: params.ImportToken,
      EncryptedKeyMaterial: wrapped,
      ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
    }),
  );
  assert.match(imported.KeyMaterialId ?? '', /^[0-9a-f]{64}$/);
  const after = (await alpha.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata!;
  assert.equal(after.KeyState, 'Enabled');
  assert.equal(after.Origin, 'EXTERNAL');
  assert.equal(after.ExpirationModel, 'KEY_MATERIAL_DOES_NOT_EXPIRE');
  const sealed = await alpha.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('under imported material') }));
  assert.equal(Buffer.from((await alpha.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob }))).Plaintext!).toString(), 'under imported material');

  assert.deepEqual((await alpha.send(new DescribeCustomKeyStoresCommand({}))).CustomKeyStores, []);
  const missing = await failure(alpha.send(new DescribeCustomKeyStoresCommand({ CustomKeyStoreId: 'cks-1234567890abcdef0' })));
  assert.equal(missing.name, 'CustomKeyStoreNotFoundException');
  const hsm = await failure(
    alpha.send(
      new CreateCustomKeyStoreCommand({
        CustomKeyStoreName: 'hsm',
        CloudHsmClusterId: 'cluster-abcdefghijk',
        TrustAnchorCertificate: 'x',
        KeyStorePassword: 'secret123',
      }),
    ),
  );
  assert.equal(hsm.name, 'CloudHsmClusterNotFoundException');
  const random = await failure(alpha.send(new GenerateRandomCommand({ NumberOfBytes: 8, CustomKeyStoreId: 'cks-1234567890abcdef0' })));
  assert.equal(random.name, 'CustomKeyStoreNotFoundException');
});
