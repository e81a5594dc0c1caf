/**
 * STS and IAM on Coffer's one endpoint, in their query protocol, driven by the AWS CLI, boto3
 * and raw signed form posts: roles with trust policies, inline and attached policies (AWS's
 * managed policies for AWS Backup included), managed policy versions, users, GetCallerIdentity,
 * and AssumeRole across accounts whose credentials then sign AWS Backup calls as the role's
 * account. Errors are XML envelopes with IAM's codes.
 */
// test-needs: coffer, aws-cli
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sha256 } from '@aws-crypto/sha256-js';
import { ListBackupVaultsCommand, CreateBackupVaultCommand } from '@aws-sdk/client-backup';
import { SignatureV4 } from '@smithy/signature-v4';
import { ALPHA, BETA } from './support/accounts.js';
import { awsCli, boto3, cliJson, keysOf, sdk } from './support/clients.js';
import type { BotoCall, BotoResult, Credentials } from './support/clients.js';
import { useCoffer } from './support/server-fixture.js';

const server = useCoffer();
const cli = (args: readonly string[], who: Credentials = keysOf(ALPHA)) => awsCli(server().endpoint, who, args);

const TRUST_BETA = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' },
    {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${BETA.accountId}:root` },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': 'x-42' } },
    },
  ],
});
const S3_READ = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' }] });
const BACKUP_POLICY = 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup';

/** A form post signed for `service`, as the SDKs send query-protocol calls; the raw answer. */
async function formPost(
  service: 'iam' | 'sts',
  who: Credentials,
  params: Record<string, string>,
): Promise<{ status: number; text: string; type: string | null }> {
  const url = new URL(server().endpoint);
  const body = new URLSearchParams(params).toString();
  const signer = new SignatureV4({ service, region: 'us-east-1', sha256: Sha256, credentials: who });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    query: {},
    headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  });
  const headers = { ...signed.headers };
  delete headers['host'];
  const response = await fetch(`${server().endpoint}/`, { method: 'POST', headers, body });
  return { status: response.status, text: await response.text(), type: response.headers.get('content-type') };
}

test('GetCallerIdentity answers the account root of a configured key, in XML', async () => {
  const identity = cliJson(await cli(['sts', 'get-caller-identity']));
  assert.deepEqual(identity, { UserId: ALPHA.accountId, Account: ALPHA.accountId, Arn: `arn:aws:iam::${ALPHA.accountId}:root` });
  const raw = await formPost('sts', keysOf(BETA), { Action: 'GetCallerIdentity', Version: '2011-06-15' });
  assert.equal(raw.status, 200);
  assert.equal(raw.type, 'text/xml');
  assert.match(raw.text, /^<GetCallerIdentityResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/"><GetCallerIdentityResult>/);
  assert.match(raw.text, /<Account>222222222222<\/Account>/);
  assert.match(raw.text, /<ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata>/);
});

/** boto3 calls of one service in one process (fast); each answers ok or its error. */
async function calls(service: 'iam' | 'sts', who: Credentials, list: readonly BotoCall[]): Promise<BotoResult[]> {
  return boto3(server().endpoint, who, list, 'us-east-1', service);
}

function ok(result: BotoResult | undefined): Record<string, unknown> {
  assert.ok(result !== undefined && 'ok' in result, JSON.stringify(result));
  return result.ok;
}

function failed(result: BotoResult | undefined): { code: string; message: string; status: number } {
  assert.ok(result !== undefined && 'error' in result, JSON.stringify(result));
  return result.error;
}

test('a role: create with a trust policy and tags, inline and AWS managed policies, delete only once bare', async () => {
  const created = cliJson(
    await cli([
      'iam',
      'create-role',
      '--role-name',
      'BackupRole',
      '--path',
      '/service/',
      '--assume-role-policy-document',
      TRUST_BETA,
      '--description',
      'Coffer backs up with this',
      '--tags',
      'Key=team,Value=data ops',
    ]),
  );
  const role = created['Role'] as Record<string, unknown>;
  assert.equal(role['Arn'], `arn:aws:iam::${ALPHA.accountId}:role/service/BackupRole`);
  assert.match(String(role['RoleId']), /^AROA[A-Z2-7]{17}$/);
  assert.deepEqual(role['AssumeRolePolicyDocument'], JSON.parse(TRUST_BETA), 'the CLI decodes the URL-encoded document');
  assert.deepEqual(role['Tags'], [{ Key: 'team', Value: 'data ops' }]);

  const r = await calls('iam', keysOf(ALPHA), [
    { method: 'create_role', params: { RoleName: 'backuprole', AssumeRolePolicyDocument: TRUST_BETA } },
    { method: 'attach_role_policy', params: { RoleName: 'BackupRole', PolicyArn: BACKUP_POLICY } },
    { method: 'put_role_policy', params: { RoleName: 'BackupRole', PolicyName: 's3-read', PolicyDocument: S3_READ } },
    { method: 'list_attached_role_policies', params: { RoleName: 'BackupRole' } },
    { method: 'list_role_policies', params: { RoleName: 'BackupRole' } },
    { method: 'get_role_policy', params: { RoleName: 'BackupRole', PolicyName: 's3-read' } },
    { method: 'attach_role_policy', params: { RoleName: 'BackupRole', PolicyArn: 'arn:aws:iam::aws:policy/NoSuchPolicy' } },
    {
      method: 'put_role_policy',
      params: {
        RoleName: 'BackupRole',
        PolicyName: 'bad',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }] }),
      },
    },
    { method: 'delete_role', params: { RoleName: 'BackupRole' } },
    { method: 'delete_role_policy', params: { RoleName: 'BackupRole', PolicyName: 's3-read' } },
    { method: 'detach_role_policy', params: { RoleName: 'BackupRole', PolicyArn: BACKUP_POLICY } },
    { method: 'delete_role', params: { RoleName: 'BackupRole' } },
    { method: 'get_role', params: { RoleName: 'BackupRole' } },
  ]);
  assert.deepEqual(
    failed(r[0]),
    { code: 'EntityAlreadyExists', message: 'Role with name backuprole already exists.', status: 409 },
    'names are unique regardless of case',
  );
  ok(r[1]);
  ok(r[2]);
  assert.deepEqual(ok(r[3])['AttachedPolicies'], [{ PolicyName: 'AWSBackupServiceRolePolicyForBackup', PolicyArn: BACKUP_POLICY }]);
  assert.deepEqual(ok(r[4])['PolicyNames'], ['s3-read']);
  assert.deepEqual(ok(r[5])['PolicyDocument'], JSON.parse(S3_READ), 'boto3 decodes the URL-encoded document');
  assert.deepEqual(failed(r[6]), {
    code: 'NoSuchEntity',
    message: 'Policy arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable.',
    status: 404,
  });
  assert.equal(failed(r[7]).code, 'MalformedPolicyDocument');
  assert.match(failed(r[7]).message, /should not specify a principal/);
  assert.equal(failed(r[8]).code, 'DeleteConflict');
  ok(r[9]);
  ok(r[10]);
  ok(r[11]);
  assert.deepEqual(failed(r[12]), { code: 'NoSuchEntity', message: 'The role with name BackupRole cannot be found.', status: 404 });
});

test('errors are the query protocol XML envelope with IAM codes and statuses', async () => {
  const raw = await formPost('iam', keysOf(ALPHA), { Action: 'GetRole', Version: '2010-05-08', RoleName: 'nobody' });
  assert.equal(raw.status, 404);
  assert.match(
    raw.text,
    /^<ErrorResponse xmlns="https:\/\/iam.amazonaws.com\/doc\/2010-05-08\/"><Error><Type>Sender<\/Type><Code>NoSuchEntity<\/Code><Message>The role with name nobody cannot be found.<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/,
  );
  const invalid = await formPost('iam', keysOf(ALPHA), { Action: 'GetRole', Version: '2010-05-08' });
  assert.equal(invalid.status, 400);
  assert.match(invalid.text, /<Code>ValidationError<\/Code><Message>1 validation error detected: Value null at 'RoleName'/);
  const unknown = await formPost('iam', keysOf(ALPHA), { Action: 'MakeMeAdmin', Version: '2010-05-08' });
  assert.match(unknown.text, /<Code>InvalidAction<\/Code>/);
  const badKey = await formPost('sts', { accessKeyId: 'AKIANOSUCHKEY0000000', secretAccessKey: 'x' }, { Action: 'GetCallerIdentity', Version: '2011-06-15' });
  assert.equal(badKey.status, 403);
  assert.match(badKey.text, /<Code>InvalidClientTokenId<\/Code>/);
});

test('customer managed policies: versions, default, attachment count, delete once detached; AWS managed ones listed', async () => {
  const arn = `arn:aws:iam::${ALPHA.accountId}:policy/coffer-s3`;
  const v2Document = S3_READ.replace('s3:ListBucket', 's3:ListAllMyBuckets');
  const r = await calls('iam', keysOf(ALPHA), [
    { method: 'create_policy', params: { PolicyName: 'coffer-s3', PolicyDocument: S3_READ, Description: 'read buckets' } },
    { method: 'create_policy_version', params: { PolicyArn: arn, PolicyDocument: v2Document, SetAsDefault: true } },
    { method: 'get_policy_version', params: { PolicyArn: arn, VersionId: 'v2' } },
    { method: 'delete_policy_version', params: { PolicyArn: arn, VersionId: 'v2' } },
    { method: 'create_role', params: { RoleName: 'WithPolicy', AssumeRolePolicyDocument: TRUST_BETA } },
    { method: 'attach_role_policy', params: { RoleName: 'WithPolicy', PolicyArn: arn } },
    { method: 'get_policy', params: { PolicyArn: arn } },
    { method: 'delete_policy', params: { PolicyArn: arn } },
    { method: 'list_entities_for_policy', params: { PolicyArn: arn } },
    { method: 'detach_role_policy', params: { RoleName: 'WithPolicy', PolicyArn: arn } },
    { method: 'delete_policy', params: { PolicyArn: arn } },
    { method: 'list_policies', params: { Scope: 'AWS' } },
    { method: 'get_policy', params: { PolicyArn: 'arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup' } },
    { method: 'create_policy_version', params: { PolicyArn: BACKUP_POLICY, PolicyDocument: S3_READ } },
    { method: 'list_policy_versions', params: { PolicyArn: BACKUP_POLICY } },
  ]);
  assert.equal((ok(r[0])['Policy'] as Record<string, unknown>)['Arn'], arn);
  assert.equal((ok(r[1])['PolicyVersion'] as Record<string, unknown>)['VersionId'], 'v2');
  assert.deepEqual((ok(r[2])['PolicyVersion'] as Record<string, unknown>)['Document'] as Record<string, unknown>, JSON.parse(v2Document));
  assert.equal(failed(r[3]).code, 'DeleteConflict', 'the default version stays');
  ok(r[4]);
  ok(r[5]);
  assert.equal((ok(r[6])['Policy'] as Record<string, unknown>)['AttachmentCount'], 1);
  assert.equal(failed(r[7]).code, 'DeleteConflict');
  assert.equal((ok(r[8])['PolicyRoles'] as Record<string, unknown>[])[0]?.['RoleName'], 'WithPolicy');
  ok(r[9]);
  ok(r[10]);
  const names = (ok(r[11])['Policies'] as Record<string, unknown>[]).map((p) => p['PolicyName']);
  for (const name of [
    'AWSBackupServiceRolePolicyForBackup',
    'AWSBackupServiceRolePolicyForRestores',
    'AWSBackupServiceRolePolicyForS3Backup',
    'AWSBackupServiceRolePolicyForS3Restore',
  ]) {
    assert.ok(names.includes(name), name);
  }
  assert.equal((ok(r[12])['Policy'] as Record<string, unknown>)['Path'], '/');
  assert.match(failed(r[13]).message, /AWS managed policy and cannot be changed/);
  assert.equal((ok(r[14])['Versions'] as Record<string, unknown>[])[0]?.['IsDefaultVersion'], true);
});

test('users: create, get, tags, GetUser without a name is the caller (root), paging by MaxItems', async () => {
  const r = await calls('iam', keysOf(ALPHA), [
    ...['ana', 'bo', 'cy'].map((name) => ({ method: 'create_user', params: { UserName: name, Tags: [{ Key: 'who', Value: name }] } })),
    { method: 'get_user', params: { UserName: 'bo' } },
    { method: 'get_user' },
    { method: 'list_users', params: { MaxItems: 2 } },
  ]);
  const user = ok(r[3])['User'] as Record<string, unknown>;
  assert.equal(user['Arn'], `arn:aws:iam::${ALPHA.accountId}:user/bo`);
  assert.deepEqual(user['Tags'], [{ Key: 'who', Value: 'bo' }]);
  assert.equal((ok(r[4])['User'] as Record<string, unknown>)['Arn'], `arn:aws:iam::${ALPHA.accountId}:root`);
  const page1 = ok(r[5]);
  assert.deepEqual(
    (page1['Users'] as Record<string, unknown>[]).map((u) => u['UserName']),
    ['ana', 'bo'],
  );
  assert.equal(page1['IsTruncated'], true);
  const [page2, beta] = [
    ...(await calls('iam', keysOf(ALPHA), [{ method: 'list_users', params: { MaxItems: 2, Marker: String(page1['Marker']) } }])),
    ...(await calls('iam', keysOf(BETA), [{ method: 'list_users' }])),
  ];
  assert.deepEqual(
    (ok(page2)['Users'] as Record<string, unknown>[]).map((u) => u['UserName']),
    ['cy'],
  );
  assert.deepEqual(ok(beta)['Users'], [], "another account's users are not listed");
});

test('AssumeRole across accounts: the trust policy decides; the session signs Backup calls as the role account', async () => {
  await cli(['iam', 'create-role', '--role-name', 'CrossAccount', '--assume-role-policy-document', TRUST_BETA]);
  const roleArn = `arn:aws:iam::${ALPHA.accountId}:role/CrossAccount`;
  const noExternalId = await cli(['sts', 'assume-role', '--role-arn', roleArn, '--role-session-name', 'ops'], keysOf(BETA));
  assert.match(
    noExternalId.stderr,
    new RegExp(`AccessDenied.*User: arn:aws:iam::${BETA.accountId}:root is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`),
  );
  const missingRole = await cli(
    ['sts', 'assume-role', '--role-arn', `arn:aws:iam::${ALPHA.accountId}:role/Nope`, '--role-session-name', 'ops', '--external-id', 'x-42'],
    keysOf(BETA),
  );
  assert.match(missingRole.stderr, /AccessDenied/, 'a missing role answers as a refused one');

  const assumed = cliJson(
    await cli(['sts', 'assume-role', '--role-arn', roleArn, '--role-session-name', 'ops', '--external-id', 'x-42', '--duration-seconds', '900'], keysOf(BETA)),
  );
  const c = assumed['Credentials'] as Record<string, string>;
  assert.match(c['AccessKeyId'] ?? '', /^ASIA[A-Z2-7]{16}$/);
  assert.equal((assumed['AssumedRoleUser'] as Record<string, string>)['Arn'], `arn:aws:sts::${ALPHA.accountId}:assumed-role/CrossAccount/ops`);
  const session: Credentials = { accessKeyId: c['AccessKeyId'] ?? '', secretAccessKey: c['SecretAccessKey'] ?? '', sessionToken: c['SessionToken'] ?? '' };

  const who = cliJson(await cli(['sts', 'get-caller-identity'], session));
  assert.equal(who['Account'], ALPHA.accountId);
  assert.equal(who['Arn'], `arn:aws:sts::${ALPHA.accountId}:assumed-role/CrossAccount/ops`);
  const backup = sdk(server().endpoint, session);
  const vault = await backup.send(new CreateBackupVaultCommand({ BackupVaultName: 'made-by-session' }));
  assert.equal(vault.BackupVaultArn, `arn:aws:backup:us-east-1:${ALPHA.accountId}:backup-vault:made-by-session`);
  const alphaVaults = await sdk(server().endpoint, keysOf(ALPHA)).send(new ListBackupVaultsCommand({}));
  assert.ok(alphaVaults.BackupVaultList?.some((v) => v.BackupVaultName === 'made-by-session'));

  const forged = await cli(['sts', 'get-caller-identity'], { ...session, sessionToken: `${session.sessionToken?.slice(0, -4)}AAAA` });
  assert.match(forged.stderr, /InvalidClientTokenId/);
  const otherKey = await cli(['sts', 'get-caller-identity'], { ...session, accessKeyId: 'ASIAAAAAAAAAAAAAAAAA' });
  assert.match(otherKey.stderr, /InvalidClientTokenId/);
});
