/**
 * KMS through the real clients against `coffer serve`: the AWS CLI and the AWS SDK for
 * JavaScript v3. Two accounts in one organization. Keys, aliases, encryption with contexts,
 * data keys, states, key policies across accounts, and the AWS managed key aws/backup.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GetKeyPolicyCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeysCommand,
  PutKeyPolicyCommand,
  ReplicateKeyCommand,
  SignCommand,
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

async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e as { name: string; message: string; $metadata?: { httpStatusCode?: number } },
  );
  assert.ok(error !== undefined, 'the call should have failed');
  return { name: error.name, message: error.message, status: error.$metadata?.httpStatusCode };
}

const cli = (account: TestAccount, args: readonly string[]) => awsCli(server().endpoint, keysOf(account), ['kms', ...args]);

test('AWS CLI: create a key and an alias, encrypt and decrypt with an encryption context', async () => {
  const created = cliJson(await cli(ALPHA, ['create-key', '--description', 'cli key', '--tags', 'TagKey=team,TagValue=ops']));
  const metadata = created['KeyMetadata'] as Record<string, unknown>;
  assert.equal(metadata['KeyState'], 'Enabled');
  assert.equal(metadata['KeyManager'], 'CUSTOMER');
  assert.equal(metadata['KeySpec'], 'SYMMETRIC_DEFAULT');
  assert.match(String(metadata['Arn']), /^arn:aws:kms:us-east-1:111111111111:key\/[0-9a-f-]{36}$/);
  cliJson(await cli(ALPHA, ['create-alias', '--alias-name', 'alias/cli-app', '--target-key-id', String(metadata['KeyId'])]));

  const file = join(server().dir, 'plain.txt');
  await writeFile(file, 'hello from the aws cli');
  const encrypted = cliJson(
    await cli(ALPHA, ['encrypt', '--key-id', 'alias/cli-app', '--plaintext', `fileb://${file}`, '--encryption-context', 'vault=daily,purpose=test']),
  );
  assert.equal(encrypted['KeyId'], metadata['Arn']);
  const blobFile = join(server().dir, 'blob.bin');
  await writeFile(blobFile, Buffer.from(String(encrypted['CiphertextBlob']), 'base64'));
  const decrypted = cliJson(await cli(ALPHA, ['decrypt', '--ciphertext-blob', `fileb://${blobFile}`, '--encryption-context', 'purpose=test,vault=daily']));
  assert.equal(Buffer.from(String(decrypted['Plaintext']), 'base64').toString(), 'hello from the aws cli');
  assert.equal(decrypted['KeyId'], metadata['Arn']);

  const wrong = await cli(ALPHA, ['decrypt', '--ciphertext-blob', `fileb://${blobFile}`, '--encryption-context', 'vault=weekly,purpose=test']);
  assert.notEqual(wrong.status, 0);
  assert.match(wrong.stderr, /InvalidCiphertextException/);

  const aliases = cliJson(await cli(ALPHA, ['list-aliases', '--key-id', String(metadata['KeyId'])]));
  assert.deepEqual(
    (aliases['Aliases'] as { AliasName: string }[]).map((a) => a.AliasName),
    ['alias/cli-app'],
  );
  const tags = cliJson(await cli(ALPHA, ['list-resource-tags', '--key-id', String(metadata['Arn'])]));
  assert.deepEqual(tags['Tags'], [{ TagKey: 'team', TagValue: 'ops' }]);
  const rotation = cliJson(await cli(ALPHA, ['get-key-rotation-status', '--key-id', String(metadata['KeyId'])]));
  assert.equal(rotation['KeyRotationEnabled'], false);

  const scheduled = cliJson(await cli(ALPHA, ['schedule-key-deletion', '--key-id', 'alias/cli-app', '--pending-window-in-days', '7']));
  assert.equal(scheduled['KeyState'], 'PendingDeletion');
  const pending = await cli(ALPHA, ['encrypt', '--key-id', 'alias/cli-app', '--plaintext', `fileb://${file}`]);
  assert.match(pending.stderr, /KMSInvalidStateException/);
  assert.match(pending.stderr, /is pending deletion/);
  const cancelled = cliJson(await cli(ALPHA, ['cancel-key-deletion', '--key-id', String(metadata['KeyId'])]));
  assert.equal(cancelled['KeyId'], metadata['Arn']);
  const reserved = await cli(ALPHA, ['create-alias', '--alias-name', 'alias/aws/mine', '--target-key-id', String(metadata['KeyId'])]);
  assert.match(reserved.stderr, /InvalidAliasNameException/);
});

test('SDK: data keys, decrypt without KeyId, wrong context, disabled keys, unsupported specs', async () => {
  const alpha = kms(ALPHA);
  const { KeyMetadata } = await alpha.send(new CreateKeyCommand({ Description: 'sdk key' }));
  const keyId = KeyMetadata!.KeyId!;
  await alpha.send(new CreateAliasCommand({ AliasName: 'alias/sdk-app', TargetKeyId: keyId }));
  const context = { vault: 'arn:aws:backup:us-east-1:111111111111:backup-vault:daily' };
  const dataKey = await alpha.send(new GenerateDataKeyCommand({ KeyId: 'alias/sdk-app', KeySpec: 'AES_256', EncryptionContext: context }));
  assert.equal(dataKey.Plaintext?.length, 32);
  assert.equal(dataKey.KeyId, KeyMetadata!.Arn);
  const opened = await alpha.send(new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob, EncryptionContext: context }));
  assert.deepEqual(Buffer.from(opened.Plaintext!), Buffer.from(dataKey.Plaintext!));
  const hidden = await alpha.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: keyId, NumberOfBytes: 64 }));
  assert.equal(hidden.CiphertextBlob !== undefined && (hidden as { Plaintext?: unknown }).Plaintext === undefined, true);
  assert.equal((await alpha.send(new DecryptCommand({ CiphertextBlob: hidden.CiphertextBlob }))).Plaintext?.length, 64);

  const wrong = await failure(alpha.send(new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob, EncryptionContext: { vault: 'other' } })));
  assert.equal(wrong.name, 'InvalidCiphertextException');
  assert.equal(wrong.status, 400);

  await alpha.send(new DisableKeyCommand({ KeyId: keyId }));
  const disabled = await failure(alpha.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })));
  assert.equal(disabled.name, 'DisabledException');
  assert.equal(disabled.message, `${KeyMetadata!.Arn} is disabled.`);
  assert.equal((await alpha.send(new DescribeKeyCommand({ KeyId: 'alias/sdk-app' }))).KeyMetadata?.Enabled, false);
  await alpha.send(new EnableKeyCommand({ KeyId: keyId }));
  await alpha.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') }));

  const sm2 = await failure(alpha.send(new CreateKeyCommand({ KeySpec: 'SM2', KeyUsage: 'SIGN_VERIFY' })));
  assert.equal(sm2.name, 'UnsupportedOperationException');
  const tooBig = await failure(alpha.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.alloc(4097) })));
  assert.equal(tooBig.name, 'ValidationException');
  const sign = await failure(alpha.send(new SignCommand({ KeyId: keyId, Message: Buffer.from('m'), SigningAlgorithm: 'RSASSA_PSS_SHA_256' })));
  assert.equal(sign.name, 'InvalidKeyUsageException');
  assert.equal(sign.status, 400);
  const replicate = await failure(alpha.send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: 'eu-west-1' })));
  assert.equal(replicate.status, 501);
});

test("cross-account: B is denied until A's key policy allows it, and names the key by ARN", async () => {
  const alpha = kms(ALPHA);
  const beta = kms(BETA);
  const { KeyMetadata } = await alpha.send(new CreateKeyCommand({}));
  const arn = KeyMetadata!.Arn!;
  const sealed = await alpha.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('for beta'), EncryptionContext: { share: 'yes' } }));

  const denied = await failure(beta.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: { share: 'yes' } })));
  assert.equal(denied.name, 'AccessDeniedException');
  assert.equal(
    denied.message,
    `User: arn:aws:iam::222222222222:root is not authorized to perform: kms:Decrypt on resource: ${arn} because no resource-based policy allows the kms:Decrypt action`,
  );
  const byCli = await cli(BETA, ['describe-key', '--key-id', arn]);
  assert.match(byCli.stderr, /AccessDeniedException/);

  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ALPHA.accountId}:root` }, Action: 'kms:*', Resource: '*' },
      {
        Sid: 'Let beta decrypt',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${BETA.accountId}:root` },
        Action: ['kms:Decrypt', 'kms:DescribeKey'],
        Resource: '*',
      },
    ],
  });
  cliJson(await awsCli(server().endpoint, keysOf(ALPHA), ['kms', 'put-key-policy', '--key-id', arn, '--policy-name', 'default', '--policy', policy]));
  assert.equal((await alpha.send(new GetKeyPolicyCommand({ KeyId: arn, PolicyName: 'default' }))).Policy, policy);

  const opened = await beta.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: { share: 'yes' } }));
  assert.equal(Buffer.from(opened.Plaintext!).toString(), 'for beta');
  assert.equal((await beta.send(new DescribeKeyCommand({ KeyId: arn }))).KeyMetadata?.AWSAccountId, ALPHA.accountId);
  const byId = await failure(beta.send(new DescribeKeyCommand({ KeyId: KeyMetadata!.KeyId! })));
  assert.equal(byId.name, 'NotFoundException', "a bare key id is looked up in the caller's own account");
  const encrypt = await failure(beta.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') })));
  assert.equal(encrypt.name, 'AccessDeniedException', 'only Decrypt and DescribeKey were allowed');
  const putBack = await failure(beta.send(new PutKeyPolicyCommand({ KeyId: arn, PolicyName: 'default', Policy: policy })));
  assert.equal(putBack.name, 'AccessDeniedException');
  assert.deepEqual((await beta.send(new ListKeysCommand({}))).Keys, [], "A's keys are not in B's list");
});

test('the AWS managed key aws/backup: created on first use, its policy fixed, refused to another account', async () => {
  const alpha = kms(ALPHA);
  const beta = kms(BETA);
  const managed = (await alpha.send(new DescribeKeyCommand({ KeyId: 'alias/aws/backup' }))).KeyMetadata!;
  assert.equal(managed.KeyManager, 'AWS');
  const policy = (await alpha.send(new GetKeyPolicyCommand({ KeyId: managed.KeyId!, PolicyName: 'default' }))).Policy!;
  assert.match(policy, /"kms:ViaService": "backup\.us-east-1\.amazonaws\.com"/);

  const open = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' }] });
  const put = await failure(alpha.send(new PutKeyPolicyCommand({ KeyId: managed.KeyId!, PolicyName: 'default', Policy: open })));
  assert.equal(put.name, 'AccessDeniedException');
  assert.match(put.message, /kms:PutKeyPolicy/);
  const cliPut = await cli(ALPHA, ['put-key-policy', '--key-id', 'alias/aws/backup', '--policy-name', 'default', '--policy', open]);
  assert.match(cliPut.stderr, /AccessDeniedException/);
  assert.equal((await alpha.send(new GetKeyPolicyCommand({ KeyId: managed.KeyId!, PolicyName: 'default' }))).Policy, policy, 'unchanged');
  const disable = await failure(alpha.send(new DisableKeyCommand({ KeyId: managed.KeyId! })));
  assert.equal(disable.name, 'AccessDeniedException');

  const direct = await failure(alpha.send(new GenerateDataKeyCommand({ KeyId: 'alias/aws/backup', KeySpec: 'AES_256' })));
  assert.equal(direct.name, 'AccessDeniedException', 'only Backup acting for the account may use it');
  for (const send of [
    () => beta.send(new DescribeKeyCommand({ KeyId: managed.Arn! })),
    () => beta.send(new GenerateDataKeyCommand({ KeyId: managed.Arn!, KeySpec: 'AES_256' })),
    () => beta.send(new DescribeKeyCommand({ KeyId: 'arn:aws:kms:us-east-1:111111111111:alias/aws/backup' })),
  ]) {
    assert.equal((await failure(send())).name, 'AccessDeniedException');
  }
  const aliases = await alpha.send(new ListAliasesCommand({}));
  assert.ok(aliases.Aliases?.some((a) => a.AliasName === 'alias/aws/backup' && a.TargetKeyId === managed.KeyId));
});

test('ListKeys pages with Limit and Marker', async () => {
  const beta = kms(BETA);
  for (let i = 0; i < 3; i++) await beta.send(new CreateKeyCommand({}));
  const first = await beta.send(new ListKeysCommand({ Limit: 2 }));
  assert.equal(first.Keys?.length, 2);
  assert.equal(first.Truncated, true);
  const rest = await beta.send(new ListKeysCommand({ Limit: 2, Marker: first.NextMarker }));
  assert.equal(rest.Truncated, false);
  assert.equal((first.Keys?.length ?? 0) + (rest.Keys?.length ?? 0), 3);
  const bad = await failure(beta.send(new ListKeysCommand({ Marker: 'not-a-marker' })));
  assert.equal(bad.name, 'InvalidMarkerException');
});
