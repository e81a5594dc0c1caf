/**
 * `coffer serve` as a process: first start on the embedded default (credentials written and
 * usable by the AWS CLI as the README shows, secret never printed), the `/_coffer/` endpoints,
 * SIGTERM and SIGINT (requests in flight finish, then exit 0; a second signal cuts them off),
 * and refusals at start (bad config, bad flags, address in use).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { ALPHA, TWO_ACCOUNTS_YAML } from './support/accounts.js';
import { awsCliWith, cliJson, keysOf } from './support/clients.js';
import type { Credentials } from './support/clients.js';
import { COFFER_BIN, startCofferProcess, withTempDir, writeConfig } from './support/coffer-process.js';
import type { CofferProcess } from './support/coffer-process.js';

function startWithConfig(dir: string, yaml = TWO_ACCOUNTS_YAML, args: readonly string[] = []): Promise<CofferProcess> {
  return writeConfig(dir, yaml).then((config) => startCofferProcess({ args: ['--config', config, ...args], cwd: dir }));
}

function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const poll = (): void => {
      if (check()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(poll, 20);
    };
    poll();
  });
}

interface HalfSent {
  readonly req: ClientRequest;
  readonly response: Promise<{ status: number; body: string; connection: string | undefined }>;
  finish(): void;
}

/** A signed CreateBackupVault whose body is sent only in part, so it stays in flight until finish(). */
async function halfSentCreate(endpoint: string, keys: Credentials, name: string): Promise<HalfSent> {
  const url = new URL(endpoint);
  const body = JSON.stringify({ BackupVaultTags: { purpose: 'in-flight' } });
  const signer = new SignatureV4({ service: 'backup', region: 'us-east-1', sha256: Sha256, credentials: keys });
  const signed = await signer.sign({
    method: 'PUT',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: `/backup-vaults/${name}`,
    query: {},
    headers: { host: url.host, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
    body,
  });
  const req = request({ host: '127.0.0.1', port: Number(url.port), method: 'PUT', path: `/backup-vaults/${name}`, headers: signed.headers });
  const response = new Promise<{ status: number; body: string; connection: string | undefined }>((resolve, reject) => {
    req.once('response', (res: IncomingMessage) => {
      let text = '';
      res
        .setEncoding('utf8')
        .on('data', (c: string) => (text += c))
        .once('end', () => resolve({ status: res.statusCode ?? 0, body: text, connection: res.headers.connection }));
    });
    req.once('error', reject);
  });
  req.flushHeaders();
  req.write(body.slice(0, 10));
  await new Promise((resolve) => setTimeout(resolve, 300));
  return { req, response, finish: () => req.end(body.slice(10)) };
}

describe('first start on the embedded default', () => {
  test('writes ./data/credentials that the AWS CLI uses as the README shows; the secret is never printed', () =>
    withTempDir(async (dir) => {
      const first = await startCofferProcess({ args: ['--listen', '127.0.0.1:0'], cwd: dir });
      const credentials = await readFile(join(dir, 'data', 'credentials'), 'utf8');
      const secret = /aws_secret_access_key = (\S+)/.exec(credentials)?.[1];
      const keyId = /aws_access_key_id = (\S+)/.exec(credentials)?.[1];
      try {
        assert.ok(secret !== undefined && keyId !== undefined, credentials);
        assert.match(
          first.stdout(),
          new RegExp(
            `^coffer: Generated access key ${keyId} for account 000000000000 \\(default\\); its secret is in ${join(dir, 'data', 'credentials')} \\(mode 0600\\), profile coffer\\.$`,
            'm',
          ),
        );
        assert.match(
          first.stdout(),
          new RegExp(
            `^coffer: Try: AWS_SHARED_CREDENTIALS_FILE=\\S+ aws --profile coffer --region us-east-1 --endpoint-url ${first.endpoint} backup list-backup-vaults$`,
            'm',
          ),
          'the hint names the actual port',
        );
        assert.match(
          first.stdout(),
          /^coffer 0\.1\.0: config embedded default \(no --config given\); data in \S+\/data; catalog sqlite \S+\/data\/catalog\.sqlite$/m,
        );

        // The README's command, with no region and no ~/.aws: the profile carries both.
        const created = await awsCliWith({ AWS_SHARED_CREDENTIALS_FILE: './data/credentials' }, dir, [
          '--profile',
          'coffer',
          '--endpoint-url',
          first.endpoint,
          'backup',
          'create-backup-vault',
          '--backup-vault-name',
          'first-vault',
        ]);
        assert.equal(cliJson(created)['BackupVaultArn'], 'arn:aws:backup:us-east-1:000000000000:backup-vault:first-vault');
        const listed = cliJson(
          await awsCliWith({ AWS_SHARED_CREDENTIALS_FILE: './data/credentials' }, dir, [
            '--profile',
            'coffer',
            '--endpoint-url',
            first.endpoint,
            'backup',
            'list-backup-vaults',
          ]),
        );
        assert.deepEqual(
          (listed['BackupVaultList'] as { BackupVaultName: string }[]).map((v) => v.BackupVaultName),
          ['first-vault'],
        );
      } finally {
        assert.deepEqual(await first.stop(), { code: 0, signal: null });
      }
      assert.ok(!first.stdout().includes(secret!) && !first.stderr().includes(secret!), 'the secret is in the file only');

      const second = await startCofferProcess({ args: ['--listen', '127.0.0.1:0'], cwd: dir });
      try {
        assert.match(second.stdout(), /^coffer: Using generated access key AKIA\w+ for account 000000000000/m, 'a restart keeps the key');
        const listed = cliJson(
          await awsCliWith({ AWS_SHARED_CREDENTIALS_FILE: './data/credentials' }, dir, [
            '--profile',
            'coffer',
            '--endpoint-url',
            second.endpoint,
            'backup',
            'list-backup-vaults',
          ]),
        );
        assert.equal((listed['BackupVaultList'] as unknown[]).length, 1, 'and the catalog');
      } finally {
        assert.deepEqual(await second.stop(), { code: 0, signal: null });
      }
    }));
});

describe('the /_coffer/ endpoints', () => {
  test('health, version, unknown paths and methods, and no reset outside sandbox mode', () =>
    withTempDir(async (dir) => {
      const coffer = await startWithConfig(dir);
      try {
        const health = await fetch(`${coffer.endpoint}/_coffer/health`);
        assert.equal(health.status, 200);
        assert.equal(health.headers.get('content-type'), 'application/json');
        assert.deepEqual(await health.json(), { status: 'ok' });

        const version = await fetch(`${coffer.endpoint}/_coffer/version`);
        assert.deepEqual(await version.json(), { name: 'coffer', version: '0.1.0', apiVersions: { backup: '2018-11-15', kms: '2014-11-01' }, sandbox: false });

        const unknown = await fetch(`${coffer.endpoint}/_coffer/metrics`);
        assert.equal(unknown.status, 404);
        assert.match(
          ((await unknown.json()) as { error: string }).error,
          /No Coffer endpoint \/_coffer\/metrics; there are \/_coffer\/health, \/_coffer\/version, \/_coffer\/reset, \/_coffer\/clock, \/_coffer\/schedule/,
        );
        const wrongMethod = await fetch(`${coffer.endpoint}/_coffer/health`, { method: 'POST' });
        assert.equal(wrongMethod.status, 405);
        assert.equal(wrongMethod.headers.get('allow'), 'GET');

        const reset = await fetch(`${coffer.endpoint}/_coffer/reset`, { method: 'POST' });
        assert.equal(reset.status, 403);
        assert.match(((await reset.json()) as { error: string }).error, /only in sandbox mode \(coffer serve --sandbox\); nothing was changed/);

        const unsigned = await fetch(`${coffer.endpoint}/backup-vaults/`);
        assert.equal(unsigned.status, 403, 'the AWS namespace still wants a signature');
        assert.equal(unsigned.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
      } finally {
        assert.deepEqual(await coffer.stop(), { code: 0, signal: null });
      }
      assert.equal(coffer.stderr(), '');
    }));
});

describe('signals', () => {
  test('SIGTERM: no new connections, the request in flight is answered, the catalog closes, exit 0', () =>
    withTempDir(async (dir) => {
      const coffer = await startWithConfig(dir);
      const inFlight = await halfSentCreate(coffer.endpoint, keysOf(ALPHA), 'drained-vault');
      coffer.child.kill('SIGTERM');
      await until(() => coffer.stdout().includes('coffer: SIGTERM: stopping'), 'the stopping line');
      await assert.rejects(fetch(`${coffer.endpoint}/_coffer/health`), 'new connections are refused while draining');
      assert.equal(coffer.child.exitCode, null, 'still waiting for the request in flight');
      inFlight.finish();
      const answer = await inFlight.response;
      assert.equal(answer.status, 200, answer.body);
      assert.equal(answer.connection, 'close', 'the client is told to go away after the answer');
      assert.equal(
        (JSON.parse(answer.body) as { BackupVaultArn: string }).BackupVaultArn,
        `arn:aws:backup:us-east-1:${ALPHA.accountId}:backup-vault:drained-vault`,
      );
      assert.deepEqual(await coffer.exited, { code: 0, signal: null });
      assert.match(coffer.stdout(), /coffer: stopped\n$/);
      assert.equal(coffer.stderr(), '');

      const again = await startWithConfig(dir);
      try {
        const described = await awsCliWith(
          { AWS_ACCESS_KEY_ID: ALPHA.accessKeyId, AWS_SECRET_ACCESS_KEY: ALPHA.secretAccessKey, AWS_DEFAULT_REGION: 'us-east-1' },
          dir,
          ['--endpoint-url', again.endpoint, 'backup', 'describe-backup-vault', '--backup-vault-name', 'drained-vault'],
        );
        assert.equal(cliJson(described)['BackupVaultName'], 'drained-vault', 'what the drained request wrote was committed');
      } finally {
        await again.stop();
      }
    }));

  test('a second signal cuts requests in flight off and still exits 0', () =>
    withTempDir(async (dir) => {
      const coffer = await startWithConfig(dir);
      const inFlight = await halfSentCreate(coffer.endpoint, keysOf(ALPHA), 'cut-off-vault');
      coffer.child.kill('SIGINT');
      await until(() => coffer.stdout().includes('coffer: SIGINT: stopping'), 'the stopping line');
      coffer.child.kill('SIGINT');
      await assert.rejects(inFlight.response, /socket hang up|ECONNRESET/);
      assert.deepEqual(await coffer.exited, { code: 0, signal: null });
      assert.match(coffer.stdout(), /coffer: SIGINT again: closing the connections of requests still in flight/);
    }));

  test('SIGINT when idle: exit 0 at once', () =>
    withTempDir(async (dir) => {
      const coffer = await startWithConfig(dir);
      const started = Date.now();
      assert.deepEqual(await coffer.stop('SIGINT'), { code: 0, signal: null });
      assert.ok(Date.now() - started < 5000, 'no waiting when nothing is in flight');
    }));
});

describe('refusals at start', () => {
  const run = (cwd: string, args: readonly string[]) => spawnSync(process.execPath, [COFFER_BIN, 'serve', ...args], { cwd, encoding: 'utf8', timeout: 60_000 });

  test('an invalid config: exit 1 naming each bad field', () =>
    withTempDir(async (dir) => {
      const config = await writeConfig(dir, 'listen: nowhere\nregions: [{ name: Frankfurt }]\n');
      const result = run(dir, ['--config', config]);
      assert.equal(result.status, 1, result.stderr);
      assert.match(result.stderr, /^coffer: invalid config \S+coffer\.yaml \(2 problems\):\n {2}listen: must be host:port/);
      assert.match(result.stderr, /regions\[0\]\.name: must be an AWS-style region name such as eu-central-1, got "Frankfurt"/);
      assert.doesNotMatch(result.stdout, /listening/);
    }));

  test('bad flags: exit 2 with usage', () =>
    withTempDir(async (dir) => {
      const unknown = run(dir, ['--frobnicate']);
      assert.equal(unknown.status, 2);
      assert.match(unknown.stderr, /usage: coffer serve \[--config FILE\] \[--sandbox\] \[--clock real\|manual\] \[--listen HOST:PORT\]/);
      const listen = run(dir, ['--listen', 'localhost']);
      assert.equal(listen.status, 2);
      assert.match(listen.stderr, /--listen must be host:port/);
    }));

  test('an address in use: exit 1 saying so and how to choose another', () =>
    withTempDir(async (dir) => {
      const first = await startWithConfig(dir);
      try {
        const result = run(dir, ['--config', join(dir, 'coffer.yaml'), '--listen', `127.0.0.1:${first.port}`]);
        assert.equal(result.status, 1);
        assert.match(
          result.stderr,
          new RegExp(
            `cannot listen on 127\\.0\\.0\\.1:${first.port}: the address is in use \\(another coffer\\?\\); choose another address with --listen HOST:PORT`,
          ),
        );
      } finally {
        await first.stop();
      }
    }));
});
