/**
 * Two accounts on one server: neither sees, describes, changes, tags or deletes the other's
 * vaults. By name, another account's vault simply does not exist for the caller; by ARN (tags),
 * the answer is 403 AccessDeniedException, the same whether the vault exists or not, so it tells
 * nothing about the other account.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BackupServiceException,
  CreateBackupVaultCommand,
  DeleteBackupVaultCommand,
  DescribeBackupVaultCommand,
  GetBackupVaultAccessPolicyCommand,
  ListBackupVaultsCommand,
  ListTagsCommand,
  PutBackupVaultAccessPolicyCommand,
  ResourceNotFoundException,
  TagResourceCommand,
} from '@aws-sdk/client-backup';
import { ALPHA, BETA } from './support/accounts.js';
import { awsCli, boto3, keysOf, sdk, signedRequest } from './support/clients.js';
import { useCoffer } from './support/server-fixture.js';

const server = useCoffer();
const arnOf = (accountId: string, name: string) => `arn:aws:backup:us-east-1:${accountId}:backup-vault:${name}`;

test('each account has its own vaults; the same name can exist in both', async () => {
  const alpha = sdk(server().endpoint, keysOf(ALPHA));
  const beta = sdk(server().endpoint, keysOf(BETA));
  await alpha.send(new CreateBackupVaultCommand({ BackupVaultName: 'alpha-only', BackupVaultTags: { secret: 'alpha' } }));
  const a = await alpha.send(new CreateBackupVaultCommand({ BackupVaultName: 'same-name' }));
  const b = await beta.send(new CreateBackupVaultCommand({ BackupVaultName: 'same-name' }));
  assert.equal(a.BackupVaultArn, arnOf(ALPHA.accountId, 'same-name'));
  assert.equal(b.BackupVaultArn, arnOf(BETA.accountId, 'same-name'));

  const betaNames = ((await beta.send(new ListBackupVaultsCommand({}))).BackupVaultList ?? []).map((v) => v.BackupVaultArn);
  assert.deepEqual(betaNames, [arnOf(BETA.accountId, 'same-name')]);
});

test("another account's vault does not exist by name: describe, delete, policy", async () => {
  const alpha = sdk(server().endpoint, keysOf(ALPHA));
  const beta = sdk(server().endpoint, keysOf(BETA));
  await alpha.send(new CreateBackupVaultCommand({ BackupVaultName: 'alpha-private' }));
  await alpha.send(
    new PutBackupVaultAccessPolicyCommand({
      BackupVaultName: 'alpha-private',
      Policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"backup:DeleteRecoveryPoint","Resource":"*"}]}',
    }),
  );

  const attempts: [string, () => Promise<unknown>][] = [
    ['describe', () => beta.send(new DescribeBackupVaultCommand({ BackupVaultName: 'alpha-private' }))],
    ['delete', () => beta.send(new DeleteBackupVaultCommand({ BackupVaultName: 'alpha-private' }))],
    ['get policy', () => beta.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: 'alpha-private' }))],
    [
      'put policy',
      () =>
        beta.send(
          new PutBackupVaultAccessPolicyCommand({
            BackupVaultName: 'alpha-private',
            Policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}',
          }),
        ),
    ],
  ];
  for (const [what, send] of attempts) {
    const error = await send().catch((e: unknown) => e);
    assert.ok(error instanceof ResourceNotFoundException, `${what}: ${String(error)}`);
    assert.match(error.message, /does not exist in account 222222222222/);
    assert.doesNotMatch(error.message, /111111111111/, `${what}: the answer says nothing of account A`);
  }
  const shared = await beta
    .send(new DescribeBackupVaultCommand({ BackupVaultName: 'alpha-private', BackupVaultAccountId: ALPHA.accountId }))
    .catch((e: unknown) => e);
  assert.ok(shared instanceof ResourceNotFoundException, String(shared));
  assert.match(shared.message, /is not shared with account 222222222222/);
  const cli = await awsCli(server().endpoint, keysOf(BETA), ['backup', 'delete-backup-vault', '--backup-vault-name', 'alpha-private']);
  assert.match(cli.stderr, /ResourceNotFoundException/);
  const [boto] = await boto3(server().endpoint, keysOf(BETA), [{ method: 'describe_backup_vault', params: { BackupVaultName: 'alpha-private' } }]);
  assert.ok(boto && 'error' in boto && boto.error.code === 'ResourceNotFoundException');

  const still = await alpha.send(new DescribeBackupVaultCommand({ BackupVaultName: 'alpha-private' }));
  assert.equal(still.BackupVaultName, 'alpha-private', "A's vault survived B's attempts");
  const policy = await alpha.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: 'alpha-private' }));
  assert.match(policy.Policy ?? '', /"Effect":"Deny"/, "and so did A's policy");
});

test("another account's ARN: 403 AccessDeniedException, whether the vault exists or not", async () => {
  const alpha = sdk(server().endpoint, keysOf(ALPHA));
  const beta = sdk(server().endpoint, keysOf(BETA));
  await alpha.send(new CreateBackupVaultCommand({ BackupVaultName: 'alpha-tagged', BackupVaultTags: { owner: 'alpha' } }));
  const existing = arnOf(ALPHA.accountId, 'alpha-tagged');
  const imaginary = arnOf(ALPHA.accountId, 'never-created');
  for (const arn of [existing, imaginary]) {
    const listed = await beta.send(new ListTagsCommand({ ResourceArn: arn })).catch((e: unknown) => e);
    // Backup's model has no AccessDeniedException shape: the SDK names the generic exception after the code.
    assert.ok(listed instanceof BackupServiceException && listed.name === 'AccessDeniedException', String(listed));
    assert.equal(listed.$metadata.httpStatusCode, 403);
    assert.equal(
      listed.message,
      `Account 222222222222 is not authorized to act on ${arn}: it belongs to account 111111111111. Call with that account's credentials.`,
    );
    const tagged = await beta.send(new TagResourceCommand({ ResourceArn: arn, Tags: { owner: 'beta' } })).catch((e: unknown) => e);
    assert.ok(tagged instanceof BackupServiceException && tagged.name === 'AccessDeniedException', String(tagged));
  }
  const raw = await signedRequest(server().endpoint, keysOf(BETA), { method: 'GET', path: `/tags/${encodeURIComponent(existing)}/` });
  assert.equal(raw.status, 403);
  assert.equal(raw.headers.get('x-amzn-errortype'), 'AccessDeniedException');
  assert.deepEqual((await alpha.send(new ListTagsCommand({ ResourceArn: existing }))).Tags, { owner: 'alpha' });
});
