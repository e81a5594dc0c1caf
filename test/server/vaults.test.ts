/**
 * Backup vaults through the real `coffer serve`, driven by the AWS CLI, boto3 and the AWS SDK
 * for JavaScript: create, describe, list (pages, filters), idempotent create, delete.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBackupVaultCommand,
  DeleteBackupVaultCommand,
  DescribeBackupVaultCommand,
  ListBackupVaultsCommand,
  ListTagsCommand,
} from '@aws-sdk/client-backup';
import { ALPHA } from './support/accounts.js';
import { awsCli, boto3, cliJson, keysOf, sdk } from './support/clients.js';
import { useCoffer } from './support/server-fixture.js';

const server = useCoffer();
const alpha = keysOf(ALPHA);
const vaultArn = (name: string, region = 'us-east-1') => `arn:aws:backup:${region}:${ALPHA.accountId}:backup-vault:${name}`;

describe('AWS CLI', () => {
  test('create, describe, list and delete a vault', async () => {
    const { endpoint } = server();
    const created = cliJson(
      await awsCli(endpoint, alpha, ['backup', 'create-backup-vault', '--backup-vault-name', 'cli-daily', '--backup-vault-tags', 'team=ops,env=prod']),
    );
    assert.equal(created['BackupVaultName'], 'cli-daily');
    assert.equal(created['BackupVaultArn'], vaultArn('cli-daily'));
    assert.equal(typeof created['CreationDate'], 'number');

    const described = cliJson(await awsCli(endpoint, alpha, ['backup', 'describe-backup-vault', '--backup-vault-name', 'cli-daily']));
    assert.equal(described['BackupVaultArn'], vaultArn('cli-daily'));
    assert.equal(described['EncryptionKeyArn'], `arn:aws:kms:us-east-1:${ALPHA.accountId}:alias/aws/backup`);
    assert.equal(described['NumberOfRecoveryPoints'], 0);
    assert.equal(described['Locked'], false);
    assert.equal(described['VaultState'], 'AVAILABLE');
    assert.equal(described['VaultType'], 'BACKUP_VAULT');
    assert.match(String(described['CreatorRequestId']), /^[0-9a-f-]{36}$/, 'the CLI fills CreatorRequestId with a UUID');
    assert.equal(described['CreationDate'], created['CreationDate']);

    const tags = cliJson(await awsCli(endpoint, alpha, ['backup', 'list-tags', '--resource-arn', vaultArn('cli-daily')]));
    assert.deepEqual(tags['Tags'], { env: 'prod', team: 'ops' });

    const listed = cliJson(await awsCli(endpoint, alpha, ['backup', 'list-backup-vaults']));
    assert.ok((listed['BackupVaultList'] as { BackupVaultName: string }[]).some((v) => v.BackupVaultName === 'cli-daily'));

    cliJson(await awsCli(endpoint, alpha, ['backup', 'delete-backup-vault', '--backup-vault-name', 'cli-daily']));
    const gone = await awsCli(endpoint, alpha, ['backup', 'describe-backup-vault', '--backup-vault-name', 'cli-daily']);
    assert.notEqual(gone.status, 0);
    assert.match(gone.stderr, /ResourceNotFoundException.*Backup vault cli-daily does not exist in account 111111111111, region us-east-1/);
  });

  test('a repeat with the same CreatorRequestId returns the first result', async () => {
    const { endpoint } = server();
    const args = ['backup', 'create-backup-vault', '--backup-vault-name', 'cli-idem', '--creator-request-id', 'req-cli-1'];
    const first = cliJson(await awsCli(endpoint, alpha, args));
    const again = cliJson(await awsCli(endpoint, alpha, args));
    assert.deepEqual(again, first);
    const other = await awsCli(endpoint, alpha, ['backup', 'create-backup-vault', '--backup-vault-name', 'cli-idem', '--creator-request-id', 'req-cli-2']);
    assert.match(other.stderr, /AlreadyExistsException.*Backup vault cli-idem already exists/);
  });

  test('the region comes from the credential scope: each region has its own vaults', async () => {
    const { endpoint } = server();
    const created = cliJson(await awsCli(endpoint, alpha, ['backup', 'create-backup-vault', '--backup-vault-name', 'cli-eu'], 'eu-west-1'));
    assert.equal(created['BackupVaultArn'], vaultArn('cli-eu', 'eu-west-1'));
    const described = cliJson(await awsCli(endpoint, alpha, ['backup', 'describe-backup-vault', '--backup-vault-name', 'cli-eu'], 'eu-west-1'));
    assert.equal(described['EncryptionKeyArn'], `arn:aws:kms:eu-west-1:${ALPHA.accountId}:alias/aws/backup`);
    const elsewhere = await awsCli(endpoint, alpha, ['backup', 'describe-backup-vault', '--backup-vault-name', 'cli-eu'], 'us-east-1');
    assert.match(elsewhere.stderr, /ResourceNotFoundException.*region us-east-1/);
  });
});

describe('boto3', () => {
  test('create, describe, list, idempotent repeat, duplicate, delete', async () => {
    const { endpoint } = server();
    const [created, described, repeat, duplicate, listed, deleted, missing] = await boto3(endpoint, alpha, [
      { method: 'create_backup_vault', params: { BackupVaultName: 'boto-weekly', CreatorRequestId: 'req-boto-1', BackupVaultTags: { owner: 'boto' } } },
      { method: 'describe_backup_vault', params: { BackupVaultName: 'boto-weekly' } },
      { method: 'create_backup_vault', params: { BackupVaultName: 'boto-weekly', CreatorRequestId: 'req-boto-1' } },
      { method: 'create_backup_vault', params: { BackupVaultName: 'boto-weekly' } },
      { method: 'list_backup_vaults' },
      { method: 'delete_backup_vault', params: { BackupVaultName: 'boto-weekly' } },
      { method: 'describe_backup_vault', params: { BackupVaultName: 'boto-weekly' } },
    ]);
    assert.ok(created && 'ok' in created, JSON.stringify(created));
    assert.equal(created.ok['BackupVaultArn'], vaultArn('boto-weekly'));
    assert.ok(described && 'ok' in described);
    assert.equal(described.ok['CreatorRequestId'], 'req-boto-1');
    assert.equal(described.ok['NumberOfRecoveryPoints'], 0);
    assert.deepEqual(repeat, created, 'same CreatorRequestId: the first answer again');
    assert.ok(duplicate && 'error' in duplicate);
    assert.equal(duplicate.error.code, 'AlreadyExistsException');
    assert.equal(duplicate.error.status, 400);
    assert.match(duplicate.error.message, /Backup vault boto-weekly already exists in account 111111111111, region us-east-1\. Choose another name/);
    assert.ok(listed && 'ok' in listed);
    assert.ok((listed.ok['BackupVaultList'] as { BackupVaultName: string }[]).some((v) => v.BackupVaultName === 'boto-weekly'));
    assert.ok(deleted && 'ok' in deleted, JSON.stringify(deleted));
    assert.ok(missing && 'error' in missing);
    assert.equal(missing.error.code, 'ResourceNotFoundException');
  });
});

describe('AWS SDK for JavaScript', () => {
  test('describe answers every member AWS does for a plain vault', async () => {
    const client = sdk(server().endpoint, alpha);
    const key = `arn:aws:kms:us-east-1:${ALPHA.accountId}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const created = await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'sdk-monthly', EncryptionKeyArn: key, CreatorRequestId: 'req-sdk-1' }));
    assert.ok(created.CreationDate instanceof Date);
    const { $metadata, ...described } = await client.send(new DescribeBackupVaultCommand({ BackupVaultName: 'sdk-monthly' }));
    assert.equal($metadata.httpStatusCode, 200);
    assert.deepEqual(described, {
      BackupVaultName: 'sdk-monthly',
      BackupVaultArn: vaultArn('sdk-monthly'),
      VaultType: 'BACKUP_VAULT',
      VaultState: 'AVAILABLE',
      EncryptionKeyArn: key,
      CreationDate: created.CreationDate,
      CreatorRequestId: 'req-sdk-1',
      NumberOfRecoveryPoints: 0,
      Locked: false,
    });
    await client.send(new DeleteBackupVaultCommand({ BackupVaultName: 'sdk-monthly' }));
  });

  test('lists by pages of MaxResults with NextToken; ByVaultType and ByShared filter', async () => {
    const client = sdk(server().endpoint, alpha, 'eu-west-1');
    const names = ['page-a', 'page-b', 'page-c', 'page-d', 'page-e'];
    for (const name of names) await client.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
    const seen: string[][] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListBackupVaultsCommand({ MaxResults: 2, ...(token === undefined ? {} : { NextToken: token }) }));
      seen.push((page.BackupVaultList ?? []).map((v) => v.BackupVaultName!).filter((n) => n.startsWith('page-')));
      token = page.NextToken;
    } while (token !== undefined);
    assert.deepEqual(seen.flat(), names);
    assert.ok(seen.every((p) => p.length <= 2));

    const plain = await client.send(new ListBackupVaultsCommand({ ByVaultType: 'BACKUP_VAULT' }));
    assert.ok((plain.BackupVaultList ?? []).length >= names.length);
    const airGapped = await client.send(new ListBackupVaultsCommand({ ByVaultType: 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT' }));
    assert.deepEqual(airGapped.BackupVaultList, []);
    const shared = await client.send(new ListBackupVaultsCommand({ ByShared: true }));
    assert.deepEqual(shared.BackupVaultList, [], 'no vault is shared with this account');
    for (const name of names) await client.send(new DeleteBackupVaultCommand({ BackupVaultName: name }));
  });

  test('deleting a vault deletes its tags: a new vault of the same name starts untagged', async () => {
    const client = sdk(server().endpoint, alpha);
    await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'sdk-reborn', BackupVaultTags: { old: 'yes' } }));
    await client.send(new DeleteBackupVaultCommand({ BackupVaultName: 'sdk-reborn' }));
    await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'sdk-reborn' }));
    const tags = await client.send(new ListTagsCommand({ ResourceArn: vaultArn('sdk-reborn') }));
    assert.deepEqual(tags.Tags ?? {}, {});
  });
});
