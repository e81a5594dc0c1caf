/**
 * What hangs off a vault and the account through the real server: access policies (stored and
 * returned exactly), notifications, tags on vault ARNs, region settings and supported resource
 * types, with the AWS SDK for JavaScript, the AWS CLI and boto3.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KNOWN_RESOURCE_TYPES } from '../../src/backup/resource-types.js';
import {
  CreateBackupVaultCommand,
  DeleteBackupVaultAccessPolicyCommand,
  DeleteBackupVaultNotificationsCommand,
  DescribeRegionSettingsCommand,
  GetBackupVaultAccessPolicyCommand,
  GetBackupVaultNotificationsCommand,
  GetSupportedResourceTypesCommand,
  ListTagsCommand,
  PutBackupVaultAccessPolicyCommand,
  PutBackupVaultNotificationsCommand,
  ResourceNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateRegionSettingsCommand,
} from '@aws-sdk/client-backup';
import { ALPHA, BETA } from './support/accounts.js';
import { awsCli, boto3, cliJson, keysOf, sdk } from './support/clients.js';
import { useCoffer } from './support/server-fixture.js';

const server = useCoffer();
const alpha = keysOf(ALPHA);
const vaultArn = (name: string) => `arn:aws:backup:us-east-1:${ALPHA.accountId}:backup-vault:${name}`;

/** Lets account BETA copy into the vault: the typical cross-account statement. */
const POLICY = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'allow-copy-from-beta',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${BETA.accountId}:root` },
        Action: 'backup:CopyIntoBackupVault',
        Resource: '*',
      },
    ],
  },
  null,
  2,
);

test('an access policy round-trips byte for byte, and can be deleted', async () => {
  const client = sdk(server().endpoint, alpha);
  await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'policy-vault' }));
  const none = await client.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: 'policy-vault' })).catch((e: unknown) => e);
  assert.ok(none instanceof ResourceNotFoundException);
  assert.match(none.message, /has no access policy; put one with PutBackupVaultAccessPolicy/);

  await client.send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: 'policy-vault', Policy: POLICY }));
  const got = await client.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: 'policy-vault' }));
  assert.equal(got.Policy, POLICY);
  assert.equal(got.BackupVaultName, 'policy-vault');
  assert.equal(got.BackupVaultArn, vaultArn('policy-vault'));

  const viaCli = cliJson(await awsCli(server().endpoint, alpha, ['backup', 'get-backup-vault-access-policy', '--backup-vault-name', 'policy-vault']));
  assert.equal(viaCli['Policy'], POLICY);

  await client.send(new DeleteBackupVaultAccessPolicyCommand({ BackupVaultName: 'policy-vault' }));
  await client.send(new DeleteBackupVaultAccessPolicyCommand({ BackupVaultName: 'policy-vault' }));
  await assert.rejects(client.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: 'policy-vault' })), ResourceNotFoundException);
});

test('notification settings are stored, returned and deleted', async () => {
  const { endpoint } = server();
  cliJson(await awsCli(endpoint, alpha, ['backup', 'create-backup-vault', '--backup-vault-name', 'notify-vault']));
  const topic = `arn:aws:sns:us-east-1:${ALPHA.accountId}:backup-events`;
  cliJson(
    await awsCli(endpoint, alpha, [
      'backup',
      'put-backup-vault-notifications',
      '--backup-vault-name',
      'notify-vault',
      '--sns-topic-arn',
      topic,
      '--backup-vault-events',
      'BACKUP_JOB_COMPLETED',
      'COPY_JOB_FAILED',
    ]),
  );
  const got = cliJson(await awsCli(endpoint, alpha, ['backup', 'get-backup-vault-notifications', '--backup-vault-name', 'notify-vault']));
  assert.deepEqual(got, {
    BackupVaultName: 'notify-vault',
    BackupVaultArn: vaultArn('notify-vault'),
    SNSTopicArn: topic,
    BackupVaultEvents: ['BACKUP_JOB_COMPLETED', 'COPY_JOB_FAILED'],
  });

  const client = sdk(endpoint, alpha);
  await client.send(new DeleteBackupVaultNotificationsCommand({ BackupVaultName: 'notify-vault' }));
  const none = await client.send(new GetBackupVaultNotificationsCommand({ BackupVaultName: 'notify-vault' })).catch((e: unknown) => e);
  assert.ok(none instanceof ResourceNotFoundException);
  await assert.rejects(
    client.send(new PutBackupVaultNotificationsCommand({ BackupVaultName: 'no-such-vault', SNSTopicArn: topic, BackupVaultEvents: ['BACKUP_JOB_FAILED'] })),
    ResourceNotFoundException,
  );
});

test('tags on a vault ARN: tag, retag, untag, list by pages', async () => {
  const client = sdk(server().endpoint, alpha);
  await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'tag-vault', BackupVaultTags: { a: '1' } }));
  const arn = vaultArn('tag-vault');
  await client.send(new TagResourceCommand({ ResourceArn: arn, Tags: { a: 'one', b: '2', c: '3' } }));
  assert.deepEqual((await client.send(new ListTagsCommand({ ResourceArn: arn }))).Tags, { a: 'one', b: '2', c: '3' });
  await client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeyList: ['b', 'not-there'] }));
  const first = await client.send(new ListTagsCommand({ ResourceArn: arn, MaxResults: 1 }));
  assert.deepEqual(first.Tags, { a: 'one' });
  assert.ok(first.NextToken !== undefined);
  const second = await client.send(new ListTagsCommand({ ResourceArn: arn, MaxResults: 1, NextToken: first.NextToken }));
  assert.deepEqual(second.Tags, { c: '3' });
  assert.equal(second.NextToken, undefined);
});

test('tags through boto3 and the CLI agree', async () => {
  const { endpoint } = server();
  cliJson(await awsCli(endpoint, alpha, ['backup', 'create-backup-vault', '--backup-vault-name', 'tag-boto']));
  const arn = vaultArn('tag-boto');
  const [tagged, listed] = await boto3(endpoint, alpha, [
    { method: 'tag_resource', params: { ResourceArn: arn, Tags: { owner: 'boto', 'cost-center': '42' } } },
    { method: 'list_tags', params: { ResourceArn: arn } },
  ]);
  assert.ok(tagged && 'ok' in tagged, JSON.stringify(tagged));
  assert.ok(listed && 'ok' in listed);
  assert.deepEqual(listed.ok['Tags'], { 'cost-center': '42', owner: 'boto' });
  cliJson(await awsCli(endpoint, alpha, ['backup', 'untag-resource', '--resource-arn', arn, '--tag-key-list', 'owner']));
  assert.deepEqual(cliJson(await awsCli(endpoint, alpha, ['backup', 'list-tags', '--resource-arn', arn]))['Tags'], { 'cost-center': '42' });
});

test('region settings: defaults, merged updates, per region', async () => {
  const client = sdk(server().endpoint, alpha);
  const before = await client.send(new DescribeRegionSettingsCommand({}));
  // Every resource type AWS Backup knows is listed, each with its value (all opted in until set).
  const everyType = (over: Record<string, boolean> = {}) => ({ ...Object.fromEntries(KNOWN_RESOURCE_TYPES.map((t) => [t, true])), ...over });
  assert.deepEqual(before.ResourceTypeOptInPreference, everyType());
  assert.ok(Object.keys(before.ResourceTypeOptInPreference ?? {}).length > 15);
  assert.deepEqual(before.ResourceTypeManagementPreference, { DynamoDB: false, EFS: true });

  // AWS's names with a space (which the model's pattern leaves out) are accepted as AWS accepts them.
  await client.send(new UpdateRegionSettingsCommand({ ResourceTypeOptInPreference: { RDS: true, EFS: false, 'Storage Gateway': false } }));
  await client.send(new UpdateRegionSettingsCommand({ ResourceTypeManagementPreference: { DynamoDB: true } }));
  const after = await client.send(new DescribeRegionSettingsCommand({}));
  assert.deepEqual(after.ResourceTypeOptInPreference, everyType({ EFS: false, RDS: true, 'Storage Gateway': false }));
  assert.deepEqual(after.ResourceTypeManagementPreference, { DynamoDB: true, EFS: true });

  const viaCli = cliJson(await awsCli(server().endpoint, alpha, ['backup', 'describe-region-settings']));
  assert.deepEqual(viaCli['ResourceTypeOptInPreference'], everyType({ EFS: false, 'Storage Gateway': false }));
  const otherRegion = cliJson(await awsCli(server().endpoint, alpha, ['backup', 'describe-region-settings'], 'eu-west-1'));
  assert.deepEqual(otherRegion['ResourceTypeOptInPreference'], everyType(), 'settings are per region');
  const otherAccount = await sdk(server().endpoint, keysOf(BETA)).send(new DescribeRegionSettingsCommand({}));
  assert.deepEqual(otherAccount.ResourceTypeOptInPreference, everyType(), 'and per account');
});

test('supported resource types: what Coffer can back up now', async () => {
  const types = await sdk(server().endpoint, alpha).send(new GetSupportedResourceTypesCommand({}));
  assert.deepEqual(types.ResourceTypes, ['DynamoDB', 'EFS', 'RDS', 'S3']);
  const [viaBoto] = await boto3(server().endpoint, alpha, [{ method: 'get_supported_resource_types' }]);
  assert.deepEqual(viaBoto, { ok: { ResourceTypes: ['DynamoDB', 'EFS', 'RDS', 'S3'] } });
});
