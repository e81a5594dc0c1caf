/**
 * Sandbox mode (`coffer serve --sandbox`): the banner says plainly that it is insecure; any
 * unconfigured access key acts as account 000000000000 with its signature unchecked (configured
 * keys are still checked); POST /_coffer/reset wipes the catalog and the accounts' vault data.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateBackupVaultCommand, DescribeRegionSettingsCommand, ListBackupVaultsCommand, UpdateRegionSettingsCommand } from '@aws-sdk/client-backup';
import { ALPHA } from './support/accounts.js';
import { awsCli, boto3, cliJson, keysOf, sdk, signedRequest } from './support/clients.js';
import { useCoffer } from './support/server-fixture.js';

const server = useCoffer({ args: ['--sandbox'] });
/** What Terraform or a CI job might use: keys this server never heard of. */
const anyone = { accessKeyId: 'AKIAANYTHINGGOES0001', secretAccessKey: 'test' };

test('the banner says plainly that sandbox mode is insecure', () => {
  const out = server().process.stdout();
  assert.match(
    out,
    /^coffer: WARNING: SANDBOX MODE IS INSECURE\. Any access key that is not configured is accepted WITHOUT checking its signature, as account 000000000000,$/m,
  );
  assert.match(out, /POST \/_coffer\/reset deletes every vault, recovery point and setting/);
  assert.ok(out.indexOf('SANDBOX MODE') < out.indexOf('coffer: listening on'), 'before the listening line');
});

test('unknown keys act as account 000000000000; configured keys are still checked', async () => {
  const { endpoint } = server();
  const created = cliJson(await awsCli(endpoint, anyone, ['backup', 'create-backup-vault', '--backup-vault-name', 'sandbox-vault']));
  assert.equal(created['BackupVaultArn'], 'arn:aws:backup:us-east-1:000000000000:backup-vault:sandbox-vault');
  const [listed] = await boto3(endpoint, { accessKeyId: 'AKIASOMEONEELSE00001', secretAccessKey: 'other' }, [{ method: 'list_backup_vaults' }]);
  assert.ok(listed && 'ok' in listed);
  assert.deepEqual(
    (listed.ok['BackupVaultList'] as { BackupVaultName: string }[]).map((v) => v.BackupVaultName),
    ['sandbox-vault'],
    'every unknown key is the same account',
  );

  const wrong = await signedRequest(
    endpoint,
    { accessKeyId: ALPHA.accessKeyId, secretAccessKey: 'not-alphas-secret' },
    { method: 'GET', path: '/backup-vaults/' },
  );
  assert.equal(wrong.status, 403);
  assert.equal(wrong.headers.get('x-amzn-errortype'), 'InvalidSignatureException');
  const alphaVaults = await sdk(endpoint, keysOf(ALPHA)).send(new ListBackupVaultsCommand({}));
  assert.deepEqual(alphaVaults.BackupVaultList, [], "a configured account is still its own, and not the sandbox account's");
});

test('POST /_coffer/reset wipes vaults, settings and vault data; keys keep working', async () => {
  const { endpoint, dir } = server();
  const client = sdk(endpoint, anyone);
  await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'doomed', BackupVaultTags: { a: 'b' } }));
  await client.send(new UpdateRegionSettingsCommand({ ResourceTypeOptInPreference: { EFS: false } }));
  await sdk(endpoint, keysOf(ALPHA)).send(new CreateBackupVaultCommand({ BackupVaultName: 'alpha-doomed' }));
  const vaultData = join(dir, 'data', 'vaults', 'us-east-1', '000000000000', 'doomed');
  await mkdir(vaultData, { recursive: true });
  await writeFile(join(vaultData, 'config'), 'repository bytes');
  await writeFile(join(dir, 'data', 'vaults', 'us-east-1', 'not-coffers.txt'), 'left alone');

  const reset = await fetch(`${endpoint}/_coffer/reset`, { method: 'POST' });
  assert.equal(reset.status, 200);
  assert.deepEqual(await reset.json(), { status: 'reset' });

  assert.deepEqual((await client.send(new ListBackupVaultsCommand({}))).BackupVaultList, []);
  assert.deepEqual((await sdk(endpoint, keysOf(ALPHA)).send(new ListBackupVaultsCommand({}))).BackupVaultList, [], 'every account is wiped');
  assert.equal((await client.send(new DescribeRegionSettingsCommand({}))).ResourceTypeOptInPreference?.['EFS'], true, 'back to the defaults');
  assert.deepEqual(await readdir(join(dir, 'data', 'vaults', 'us-east-1')), ['not-coffers.txt'], 'account directories go, nothing else');

  const again = await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'doomed' }));
  assert.equal(again.BackupVaultName, 'doomed', 'a vault of the same name can be made again');
  const health = await fetch(`${endpoint}/_coffer/health`);
  assert.deepEqual(await health.json(), { status: 'ok' });
  const version = (await (await fetch(`${endpoint}/_coffer/version`)).json()) as { sandbox: boolean };
  assert.equal(version.sandbox, true);
});
