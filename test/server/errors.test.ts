/**
 * Errors from the real server, as clients see them: the HTTP status, the `x-amzn-ErrorType`
 * header, the envelope, and a message that says what to fix, for realistic bad requests (vault
 * rules, policy documents, tags, ARNs, paging, signatures, keys, regions).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  AlreadyExistsException,
  CreateBackupVaultCommand,
  DeleteBackupVaultCommand,
  DescribeBackupVaultCommand,
  InvalidRequestException,
  ResourceNotFoundException,
} from '@aws-sdk/client-backup';
import { openCatalog } from '../../src/catalog/open-catalog.js';
import { ALPHA } from './support/accounts.js';
import { awsCli, keysOf, sdk, signedRequest } from './support/clients.js';
import type { RawRequest, RawResponse } from './support/clients.js';
import { useCoffer } from './support/server-fixture.js';

const server = useCoffer();
const alpha = keysOf(ALPHA);
const vaultArn = (name: string) => `arn:aws:backup:us-east-1:${ALPHA.accountId}:backup-vault:${name}`;

function call(req: RawRequest, keys = alpha): Promise<RawResponse> {
  return signedRequest(server().endpoint, keys, req);
}

function assertError(res: RawResponse, status: number, type: string, message: RegExp): void {
  assert.equal(res.status, status, res.text);
  assert.equal(res.headers.get('x-amzn-errortype'), type, res.text);
  assert.equal(res.json['__type'], type);
  assert.match(String(res.json['Message']), message);
  assert.ok(res.headers.get('x-amzn-requestid'), 'every answer carries a request id');
}

async function createVault(name: string): Promise<void> {
  const res = await call({ method: 'PUT', path: `/backup-vaults/${name}`, body: '{}' });
  assert.equal(res.status, 200, res.text);
}

test('a duplicate vault: 400 AlreadyExistsException naming the existing ARN', async () => {
  await createVault('dup-vault');
  const res = await call({ method: 'PUT', path: '/backup-vaults/dup-vault', body: JSON.stringify({ CreatorRequestId: 'another-request' }) });
  assertError(res, 400, 'AlreadyExistsException', /^Backup vault dup-vault already exists in account 111111111111, region us-east-1\. Choose another name/);
  assert.equal(res.json['Arn'], vaultArn('dup-vault'));
  assert.equal(res.json['Context'], 'dup-vault');
});

test('the SDK raises the modeled exception classes, with their members', async () => {
  const client = sdk(server().endpoint, alpha);
  await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'sdk-dup', CreatorRequestId: 'first' }));
  const dup = await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'sdk-dup' })).catch((e: unknown) => e);
  assert.ok(dup instanceof AlreadyExistsException, String(dup));
  assert.equal(dup.$metadata.httpStatusCode, 400);
  assert.equal(dup.Arn, vaultArn('sdk-dup'));
  assert.equal(dup.CreatorRequestId, 'first');
  await client.send(new DeleteBackupVaultCommand({ BackupVaultName: 'sdk-dup' }));
  const missing = await client.send(new DeleteBackupVaultCommand({ BackupVaultName: 'sdk-dup' })).catch((e: unknown) => e);
  assert.ok(missing instanceof ResourceNotFoundException, String(missing));
  assert.equal(missing.Context, 'sdk-dup');
});

test('a missing vault: 400 ResourceNotFoundException that says how to find or make one', async () => {
  for (const req of [
    { method: 'GET', path: '/backup-vaults/nope' },
    { method: 'DELETE', path: '/backup-vaults/nope' },
    { method: 'GET', path: '/backup-vaults/nope/access-policy' },
    {
      method: 'PUT',
      path: '/backup-vaults/nope/access-policy',
      body: JSON.stringify({ Policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*"}]}' }),
    },
  ]) {
    const res = await call(req);
    assertError(
      res,
      400,
      'ResourceNotFoundException',
      /^Backup vault nope does not exist in account 111111111111, region us-east-1\. Check the name \(ListBackupVaults lists them\)/,
    );
    assert.equal(res.json['Context'], 'nope');
  }
});

test('an invalid vault name: 400 InvalidParameterValueException with the rule', async () => {
  for (const name of ['a', 'x'.repeat(51), 'has.dot', 'sp%20ace']) {
    const res = await call({ method: 'PUT', path: `/backup-vaults/${name}`, body: '{}' });
    assertError(
      res,
      400,
      'InvalidParameterValueException',
      /at 'BackupVaultName' failed to satisfy constraint: Member must satisfy regular expression pattern: \^\[a-zA-Z0-9\\-\\_\]\{2,50\}\$/,
    );
  }
  const cli = await awsCli(server().endpoint, alpha, ['backup', 'create-backup-vault', '--backup-vault-name', 'a']);
  assert.match(cli.stderr, /InvalidParameterValueException.*BackupVaultName/);
});

test('an invalid access policy: 400 with what is wrong with the document', async () => {
  await createVault('policy-errors');
  const put = (policy: string | undefined) =>
    call({ method: 'PUT', path: '/backup-vaults/policy-errors/access-policy', body: JSON.stringify(policy === undefined ? {} : { Policy: policy }) });
  assertError(
    await put('{"Version": "2012-10-17", "Statement": ['),
    400,
    'InvalidParameterValueException',
    /^The access policy for backup vault policy-errors is not a valid policy document: the policy is not valid JSON/,
  );
  assertError(await put('{"Statement": []}'), 400, 'InvalidParameterValueException', /the policy has no Version; add "Version": "2012-10-17"/);
  assertError(await put('{"Version": "2012-10-17"}'), 400, 'InvalidParameterValueException', /the policy has no Statement; add at least one statement/);
  assertError(
    await put('{"Version": "2012-10-17", "Statement": [{"Effect": "Maybe", "Action": "*"}]}'),
    400,
    'InvalidParameterValueException',
    /Statement\[0\] has Effect "Maybe"; it must be "Allow" or "Deny"/,
  );
  assertError(await put('[1, 2]'), 400, 'InvalidParameterValueException', /must be a JSON object with Version and Statement/);
  assertError(await put(undefined), 400, 'MissingParameterValueException', /^Policy is missing/);
});

test('a vault with recovery points cannot be deleted: 400 InvalidRequestException with the count', async () => {
  await createVault('full-vault');
  const catalog = await openCatalog({ kind: 'sqlite', file: join(server().dir, 'data', 'catalog.sqlite') });
  try {
    const scope = { accountId: ALPHA.accountId, region: 'us-east-1' };
    await catalog.recoveryPoints.create(scope, {
      arn: `arn:aws:backup:us-east-1:${ALPHA.accountId}:recovery-point:rp-1`,
      id: 'rp-1',
      vaultName: 'full-vault',
      vaultArn: vaultArn('full-vault'),
      resourceArn: `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-1`,
      resourceType: 'EFS',
      state: 'COMPLETED',
      createdAt: Date.now(),
    });
  } finally {
    await catalog.close();
  }
  const described = await sdk(server().endpoint, alpha).send(new DescribeBackupVaultCommand({ BackupVaultName: 'full-vault' }));
  assert.equal(described.NumberOfRecoveryPoints, 1);
  assertError(
    await call({ method: 'DELETE', path: '/backup-vaults/full-vault' }),
    400,
    'InvalidRequestException',
    /^Backup vault cannot be deleted \(contains 1 recovery points\)\. Delete them first/,
  );
  await assert.rejects(sdk(server().endpoint, alpha).send(new DeleteBackupVaultCommand({ BackupVaultName: 'full-vault' })), InvalidRequestException);
});

test('tags: malformed, foreign-service, unknown and other-region ARNs; reserved keys; too many', async () => {
  await createVault('tag-errors');
  const tags = (arn: string, body = '{"Tags":{"k":"v"}}') => call({ method: 'POST', path: `/tags/${encodeURIComponent(arn)}`, body });
  assertError(await tags('not-an-arn'), 400, 'InvalidParameterValueException', /^ResourceArn "not-an-arn" is not an ARN/);
  assertError(
    await tags(`arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-1`),
    400,
    'InvalidParameterValueException',
    /is not a Backup vault, plan, recovery point, restore testing plan, framework or report plan ARN/,
  );
  assertError(
    await tags(vaultArn('never-made')),
    400,
    'ResourceNotFoundException',
    /^No backup vault never-made exists in account 111111111111, region us-east-1/,
  );
  assertError(
    await tags(`arn:aws:backup:eu-west-1:${ALPHA.accountId}:backup-vault:tag-errors`),
    400,
    'InvalidParameterValueException',
    /is in region eu-west-1, not us-east-1: call the API in region eu-west-1/,
  );
  assertError(
    await tags(vaultArn('tag-errors'), '{"Tags":{"aws:owner":"me"}}'),
    400,
    'InvalidParameterValueException',
    /starts with "aws:", which is reserved/,
  );
  const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
  assertError(await tags(vaultArn('tag-errors'), JSON.stringify({ Tags: many })), 400, 'LimitExceededException', /at most 50 tags, this would make 51/);
});

test('a bad encryption key, page token or resource type: 400 InvalidParameterValueException', async () => {
  assertError(
    await call({ method: 'PUT', path: '/backup-vaults/bad-key', body: JSON.stringify({ EncryptionKeyArn: 'my-key' }) }),
    400,
    'InvalidParameterValueException',
    /^EncryptionKeyArn "my-key" is not a KMS key ARN/,
  );
  assertError(
    await call({
      method: 'PUT',
      path: '/backup-vaults/bad-key',
      body: JSON.stringify({ EncryptionKeyArn: `arn:aws:kms:eu-west-1:${ALPHA.accountId}:key/abc` }),
    }),
    400,
    'InvalidParameterValueException',
    /a vault in us-east-1 needs a key in us-east-1/,
  );
  assertError(
    await call({ method: 'GET', path: '/backup-vaults/', query: { nextToken: 'garbage' } }),
    400,
    'InvalidParameterValueException',
    /NextToken is not one this list handed out.*repeat the call without NextToken/,
  );
  assertError(
    await call({ method: 'PUT', path: '/account-settings', body: JSON.stringify({ ResourceTypeOptInPreference: { Floppy: true } }) }),
    400,
    'InvalidParameterValueException',
    /ResourceTypeOptInPreference names "Floppy", which is not a resource type it accepts; use Aurora, /,
  );
  assertError(
    await call({ method: 'PUT', path: '/account-settings', body: JSON.stringify({ ResourceTypeManagementPreference: { RDS: true } }) }),
    400,
    'InvalidParameterValueException',
    /use DynamoDB, EFS/,
  );
});

test('a bad signature, an unknown key, an unconfigured region: 403 as AWS answers', async () => {
  assertError(
    await call({ method: 'GET', path: '/backup-vaults/' }, { accessKeyId: ALPHA.accessKeyId, secretAccessKey: 'not-the-secret-at-all' }),
    403,
    'InvalidSignatureException',
    /signature we calculated does not match the signature you provided\. Check your AWS Secret Access Key/,
  );
  assertError(
    await call({ method: 'GET', path: '/backup-vaults/' }, { accessKeyId: 'AKIANOBODYKNOWSTHIS1', secretAccessKey: 'whatever-secret-12345' }),
    403,
    'UnrecognizedClientException',
    /security token included in the request is invalid/,
  );
  assertError(
    await call({ method: 'GET', path: '/backup-vaults/', region: 'ap-south-1' }),
    403,
    'InvalidSignatureException',
    /not 'ap-south-1'\. This endpoint serves us-east-1, eu-west-1/,
  );
  const cli = await awsCli(server().endpoint, { accessKeyId: 'AKIANOBODYKNOWSTHIS1', secretAccessKey: 'whatever-secret-12345' }, [
    'backup',
    'list-backup-vaults',
  ]);
  assert.match(cli.stderr, /UnrecognizedClientException/);
  const region = await awsCli(server().endpoint, alpha, ['backup', 'list-backup-vaults'], 'ap-south-1');
  assert.match(region.stderr, /InvalidSignatureException.*This endpoint serves us-east-1, eu-west-1/);
});

test('an operation Coffer does not serve yet: 501 naming it, never an empty success', async () => {
  assertError(
    await call({ method: 'GET', path: '/tiering-configurations/' }),
    501,
    'NotImplementedException',
    /Coffer does not implement the Backup operation ListTieringConfigurations yet/,
  );
});

test('an oversized body: 413, its body dropped rather than buffered', async () => {
  const res = await call({ method: 'PUT', path: '/backup-vaults/too-big', body: JSON.stringify({ BackupVaultTags: { big: 'x'.repeat(2 * 1024 * 1024) } }) });
  assert.equal(res.status, 413);
  assert.equal(res.headers.get('x-amzn-errortype'), 'RequestEntityTooLargeException');
});
