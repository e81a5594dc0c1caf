/**
 * First-start credentials: a key is generated for every account without one, kept across
 * starts, written as a mode-0600 AWS CLI credentials file that the real AWS CLI reads, and the
 * console notices name the key id and the file but never the secret.
 */
// test-needs: aws-cli
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureFirstStartCredentials } from '../../src/config/first-start-credentials.js';
import { newAccessKeyId, newSecretAccessKey } from '../../src/config/generated-keys.js';
import { parseConfig } from '../../src/config/load-config.js';
import { withTempDir } from './config-fixture.js';

const run = promisify(execFile);

function configIn(dir: string, yaml = '') {
  return parseConfig(yaml, { baseDir: dir, env: {} });
}

/** Runs the real AWS CLI against `file` only (no user config, no credentials from the environment). */
async function awsCli(file: string, ...args: string[]): Promise<string> {
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], HOME: process.env['HOME'], AWS_SHARED_CREDENTIALS_FILE: file, AWS_CONFIG_FILE: '/dev/null' };
  const { stdout } = await run('aws', args, { env });
  return stdout;
}

test('the default account gets a key, written as a private AWS CLI credentials file', () =>
  withTempDir(async (dir) => {
    const result = await ensureFirstStartCredentials(configIn(dir));
    const key = result.config.accounts[0]!.accessKeys[0]!;
    assert.match(key.id, /^AKIA[A-Z2-7]{16}$/);
    assert.match(key.secret.reveal(), /^[A-Za-z0-9+/]{40}$/);
    assert.deepEqual(key.source, { kind: 'generated', path: join(dir, 'data', 'credentials') });
    assert.deepEqual(result.generated, [{ accountId: '000000000000', accessKeyId: key.id }]);

    const credentials = join(dir, 'data', 'credentials');
    assert.equal((await stat(credentials)).mode & 0o777, 0o600);
    assert.equal((await stat(join(dir, 'data', 'access-keys.json'))).mode & 0o777, 0o600);
    assert.deepEqual((await readdir(join(dir, 'data'))).sort(), ['access-keys.json', 'credentials'], 'no temp files left');

    const listed = await awsCli(credentials, 'configure', 'list', '--profile', 'coffer');
    assert.match(listed, new RegExp(`access_key\\s+\\*+${key.id.slice(-4)}\\s+shared-credentials-file`));
    assert.match(listed, /secret_key\s+\*+\S{4}\s+shared-credentials-file/);
    assert.equal((await awsCli(credentials, 'configure', 'get', 'aws_access_key_id', '--profile', 'coffer')).trim(), key.id);
    assert.equal((await awsCli(credentials, 'configure', 'get', 'aws_secret_access_key', '--profile', 'coffer')).trim(), key.secret.reveal());
    assert.equal(
      (await awsCli(credentials, 'configure', 'get', 'region', '--profile', 'coffer')).trim(),
      'us-east-1',
      'the profile names the first region, so no --region is needed',
    );
  }));

test('the notices say where the secret is, never what it is', () =>
  withTempDir(async (dir) => {
    const result = await ensureFirstStartCredentials(configIn(dir));
    const key = result.config.accounts[0]!.accessKeys[0]!;
    const text = result.notices.join('\n');
    assert.ok(!text.includes(key.secret.reveal()));
    assert.match(
      text,
      new RegExp(
        `^Generated access key ${key.id} for account 000000000000 \\(default\\); its secret is in ${join(dir, 'data', 'credentials')} \\(mode 0600\\), profile coffer\\.$`,
        'm',
      ),
    );
    assert.match(
      text,
      new RegExp(
        `AWS_SHARED_CREDENTIALS_FILE=${join(dir, 'data', 'credentials')} aws --profile coffer --region us-east-1 --endpoint-url http://127\\.0\\.0\\.1:4100 backup list-backup-vaults`,
      ),
    );
  }));

test('later starts keep the same key and rewrite a lost or loosened credentials file', () =>
  withTempDir(async (dir) => {
    const first = await ensureFirstStartCredentials(configIn(dir));
    const credentials = join(dir, 'data', 'credentials');
    const content = await readFile(credentials, 'utf8');
    await chmod(credentials, 0o644);
    const second = await ensureFirstStartCredentials(configIn(dir));
    assert.deepEqual(second.generated, []);
    assert.equal(second.config.accounts[0]!.accessKeys[0]!.id, first.config.accounts[0]!.accessKeys[0]!.id);
    assert.equal(second.config.accounts[0]!.accessKeys[0]!.secret.reveal(), first.config.accounts[0]!.accessKeys[0]!.secret.reveal());
    assert.match(second.notices[0]!, /^Using generated access key AKIA/);
    assert.equal((await stat(credentials)).mode & 0o777, 0o600);
    assert.equal(await readFile(credentials, 'utf8'), content);
    await writeFile(credentials, 'edited');
    await ensureFirstStartCredentials(configIn(dir));
    assert.equal(await readFile(credentials, 'utf8'), content);
  }));

test('accounts with configured keys get none; each keyless one gets its own profile', () =>
  withTempDir(async (dir) => {
    const yaml = `accounts:
  - { id: "111111111111", name: production }
  - { id: "222222222222", name: backup }
  - { id: "333333333333", name: audit, accessKeys: [{ id: AKIAIOSFODNN7EXAMPLE, secret: wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY }] }
`;
    const result = await ensureFirstStartCredentials(configIn(dir, yaml));
    assert.deepEqual(
      result.generated.map((g) => g.accountId),
      ['111111111111', '222222222222'],
    );
    assert.deepEqual(
      result.config.accounts[2]!.accessKeys.map((k) => k.id),
      ['AKIAIOSFODNN7EXAMPLE'],
    );
    const credentials = join(dir, 'data', 'credentials');
    const backupKey = result.config.accounts[1]!.accessKeys[0]!.id;
    assert.equal((await awsCli(credentials, 'configure', 'get', 'aws_access_key_id', '--profile', 'coffer-backup')).trim(), backupKey);
    assert.equal(
      (await awsCli(credentials, 'configure', 'get', 'aws_access_key_id', '--profile', 'coffer')).trim(),
      result.config.accounts[0]!.accessKeys[0]!.id,
    );
  }));

test('nothing is written when every account has a key', () =>
  withTempDir(async (dir) => {
    const yaml = 'accounts: [{ id: "111111111111", accessKeys: [{ id: AKIAIOSFODNN7EXAMPLE, secret: wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY }] }]\n';
    const config = configIn(dir, yaml);
    const result = await ensureFirstStartCredentials(config);
    assert.equal(result.config, config);
    assert.deepEqual(result.notices, []);
    await assert.rejects(stat(join(dir, 'data')), { code: 'ENOENT' });
  }));

test('a damaged key store is refused without quoting it', () =>
  withTempDir(async (dir) => {
    await ensureFirstStartCredentials(configIn(dir));
    const store = join(dir, 'data', 'access-keys.json');
    await writeFile(store, '{"version":1,"keys":[{"accountId":"000000000000","secretAccessKey":"TOPSECRETVALUE"');
    await assert.rejects(ensureFirstStartCredentials(configIn(dir)), (err: Error) => {
      assert.equal(err.message, `${store} is damaged; move it away to have new access keys generated`);
      return true;
    });
  }));

test("key ids and secrets have AWS's shapes, from the injected randomness", () => {
  const counter = (size: number) => Uint8Array.from({ length: size }, (_, i) => i * 7);
  assert.equal(newAccessKeyId(counter), 'AKIAAHOV4DKRY7GNU3CJ');
  assert.equal(newSecretAccessKey(counter).length, 40);
  assert.equal(newSecretAccessKey(counter), newSecretAccessKey(counter));
});
