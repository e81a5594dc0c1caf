/**
 * Every exception the AWS Backup model names, produced by the real server through a realistic
 * request: the right HTTP status, `x-amzn-ErrorType`, and a message that says what to fix. The
 * list comes from the model, so an exception added to it fails here until a request produces it.
 * Also: DeleteBackupVault refuses a vault with recovery points and removes an empty one's
 * directory.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { access, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  DeleteRecoveryPointCommand,
  DescribeBackupJobCommand,
  DescribeRecoveryPointCommand,
  ListRecoveryPointsByBackupVaultCommand,
} from '@aws-sdk/client-backup';
import type { BackupClient } from '@aws-sdk/client-backup';
import { CreateKeyCommand, DisableKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import SqliteDatabase from 'better-sqlite3';
import { withErrorMap } from '../../src/aws/backup/error-map.js';
import { AwsError } from '../../src/aws/errors.js';
import { BACKUP_MODEL } from '../../src/aws/service-model.js';
import { CatalogBusyError } from '../../src/catalog/catalog-error.js';
import { openCatalog } from '../../src/catalog/open-catalog.js';
import { accountsYaml, ALPHA, BETA } from './support/accounts.js';
import { keysOf, sdk, signedRequest } from './support/clients.js';
import type { RawRequest, RawResponse } from './support/clients.js';
import { startCofferProcess, writeConfig } from './support/coffer-process.js';
import { useCoffer } from './support/server-fixture.js';

const BUSY_ARN = `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-busy`;
const SMALL_ARN = `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-small`;
const ROLE = `arn:aws:iam::${ALPHA.accountId}:role/service-role/AWSBackupDefaultServiceRole`;
const alpha = keysOf(ALPHA);
const scope = { accountId: ALPHA.accountId, region: 'us-east-1' };

const yaml = `listen: 127.0.0.1:0
dataDir: ./data
${accountsYaml([ALPHA, BETA])}regions:
  - { name: us-east-1, storage: "file:./data/vaults/us-east-1" }
  - { name: eu-west-1, storage: "file:./data/vaults/eu-west-1" }
resources:
  - { arn: "${BUSY_ARN}", path: ./busy }
  - { arn: "${SMALL_ARN}", path: ./small }
`;

const server = useCoffer({ yaml });

function call(req: RawRequest, keys = alpha): Promise<RawResponse> {
  return signedRequest(server().endpoint, keys, req);
}

const json = (value: unknown): string => JSON.stringify(value);
const vaultPath = (name: string) => `/backup-vaults/${name}`;
const startBackup = (vault: string, resourceArn: string) =>
  call({ method: 'PUT', path: '/backup-jobs', body: json({ BackupVaultName: vault, ResourceArn: resourceArn, IamRoleArn: ROLE }) });
const vaultDir = (name: string) => join(server().dir, 'data', 'vaults', 'us-east-1', ALPHA.accountId, name);

async function createVault(name: string, body: Record<string, unknown> = {}, keys = alpha, region?: string): Promise<void> {
  const res = await call({ method: 'PUT', path: vaultPath(name), body: json(body), ...(region === undefined ? {} : { region }) }, keys);
  assert.equal(res.status, 200, res.text);
}

async function untilJobEnds(client: BackupClient, jobId: string): Promise<string> {
  for (const until = Date.now() + 60_000; Date.now() < until; ) {
    const job = await client.send(new DescribeBackupJobCommand({ BackupJobId: jobId }));
    if (['COMPLETED', 'FAILED', 'ABORTED', 'EXPIRED'].includes(job.State ?? '')) return job.State!;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`backup job ${jobId} did not end within 60 s`);
}

async function makeSources(): Promise<void> {
  const busy = join(server().dir, 'busy');
  await mkdir(busy, { recursive: true });
  // Large enough that its backup is still under way when the next request arrives.
  for (let i = 0; i < 8; i += 1) await writeFile(join(busy, `f${i}.bin`), randomBytes(4 * 1024 * 1024));
  await mkdir(join(server().dir, 'small'), { recursive: true });
  await writeFile(join(server().dir, 'small', 'notes.txt'), 'a small file\n');
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The first HTTP answer from an endpoint that is not listening yet (connection refused: try again). */
async function firstAnswer(endpoint: string, req: RawRequest): Promise<RawResponse> {
  for (const until = Date.now() + 60_000; Date.now() < until; ) {
    try {
      return await signedRequest(endpoint, alpha, req);
    } catch (err) {
      if ((err as { cause?: { code?: string } }).cause?.code !== 'ECONNREFUSED') throw err;
      await new Promise((r) => setTimeout(r, 2));
    }
  }
  throw new Error(`${endpoint} did not answer within 60 s`);
}

interface Expected {
  readonly status: number;
  readonly message: RegExp;
}

/** One realistic request per exception; each returns the raw answer and what it must say. */
const CASES: Readonly<Record<string, () => Promise<[RawResponse, Expected]>>> = {
  async AlreadyExistsException() {
    await createVault('twice');
    return [
      await call({ method: 'PUT', path: vaultPath('twice'), body: json({ CreatorRequestId: 'another' }) }),
      { status: 400, message: /^Backup vault twice already exists in account 111111111111, region us-east-1\. Choose another name/ },
    ];
  },

  async InvalidParameterValueException() {
    return [
      await call({ method: 'PUT', path: vaultPath('has.dot'), body: '{}' }),
      { status: 400, message: /'BackupVaultName' failed to satisfy constraint: Member must satisfy regular expression pattern/ },
    ];
  },

  async MissingParameterValueException() {
    await createVault('no-policy');
    return [await call({ method: 'PUT', path: `${vaultPath('no-policy')}/access-policy`, body: '{}' }), { status: 400, message: /^Policy is missing/ }];
  },

  async ResourceNotFoundException() {
    return [
      await call({ method: 'GET', path: vaultPath('never-made') }),
      {
        status: 400,
        message: /^Backup vault never-made does not exist in account 111111111111, region us-east-1\. Check the name \(ListBackupVaults lists them\)/,
      },
    ];
  },

  // DeleteBackupVault on a vault that still holds a recovery point, as the spec words it.
  async InvalidRequestException() {
    await createVault('kept');
    const started = await startBackup('kept', SMALL_ARN);
    assert.equal(started.status, 200, started.text);
    assert.equal(await untilJobEnds(sdk(server().endpoint, alpha), String(started.json['BackupJobId'])), 'COMPLETED');
    return [
      await call({ method: 'DELETE', path: vaultPath('kept') }),
      {
        status: 400,
        message: /^Backup vault cannot be deleted \(contains 1 recovery points\)\. Delete them first \(ListRecoveryPointsByBackupVault, DeleteRecoveryPoint\)/,
      },
    ];
  },

  // AWS: 300 vaults per account and Region. Account beta, region eu-west-1 has none yet.
  async LimitExceededException() {
    const names = Array.from({ length: 300 }, (_, i) => `v${String(i).padStart(3, '0')}`);
    for (let i = 0; i < names.length; i += 20) {
      await Promise.all(names.slice(i, i + 20).map((name) => createVault(name, {}, keysOf(BETA), 'eu-west-1')));
    }
    return [
      await call({ method: 'PUT', path: vaultPath('one-too-many'), body: '{}', region: 'eu-west-1' }, keysOf(BETA)),
      {
        status: 400,
        message: /^Account 222222222222 already has 300 backup vaults in region eu-west-1, the most AWS Backup allows per account and region\. Delete a vault/,
      },
    ];
  },

  // A second on-demand backup of a resource while its first is under way.
  async ConflictException() {
    await createVault('busy');
    const first = await startBackup('busy', BUSY_ARN);
    assert.equal(first.status, 200, first.text);
    const second = await startBackup('busy', BUSY_ARN);
    const state = await untilJobEnds(sdk(server().endpoint, alpha), String(first.json['BackupJobId']));
    assert.equal(state, 'COMPLETED');
    return [
      second,
      {
        status: 400,
        message: new RegExp(
          `^Resource ${BUSY_ARN} is already being backed up by backup job ${String(first.json['BackupJobId'])} \\((CREATED|RUNNING), into backup vault busy\\); AWS Backup runs one backup job per resource at a time\\. Wait for it to finish`,
        ),
      },
    ];
  },

  // DeleteRecoveryPoint while the point's backup is still writing it.
  async InvalidResourceStateException() {
    await createVault('creating');
    const arn = `arn:aws:backup:us-east-1:${ALPHA.accountId}:recovery-point:still-creating`;
    const catalog = await openCatalog({ kind: 'sqlite', file: join(server().dir, 'data', 'catalog.sqlite') });
    try {
      await catalog.recoveryPoints.create(scope, {
        arn,
        id: 'still-creating',
        vaultName: 'creating',
        vaultArn: `arn:aws:backup:us-east-1:${ALPHA.accountId}:backup-vault:creating`,
        resourceArn: SMALL_ARN,
        resourceType: 'EFS',
        state: 'CREATING',
        createdAt: Date.now(),
      });
    } finally {
      await catalog.close();
    }
    return [
      await call({ method: 'DELETE', path: `${vaultPath('creating')}/recovery-points/${encodeURIComponent(arn)}` }),
      {
        status: 400,
        message: /^Recovery point .*still-creating is CREATING: its backup job is still running\. Wait until DescribeRecoveryPoint shows COMPLETED/,
      },
    ];
  },

  // The vault's KMS key was disabled: KMS, the dependency, refuses to encrypt under it.
  async DependencyFailureException() {
    const kms = new KMSClient({ endpoint: server().endpoint, region: 'us-east-1', maxAttempts: 1, credentials: alpha });
    const key = (await kms.send(new CreateKeyCommand({ Description: 'vault key' }))).KeyMetadata!;
    await createVault('disabled-key', { EncryptionKeyArn: key.Arn });
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    return [
      await startBackup('disabled-key', SMALL_ARN),
      {
        status: 500,
        message: new RegExp(
          `^KMS key ${key.Arn} of backup vault disabled-key is disabled\\. Enable it \\(aws kms enable-key --key-id ${key.KeyId}\\), or back up into a vault whose key is enabled`,
        ),
      },
    ];
  },

  // A client that calls while Coffer is still starting (opening its catalog, loading keys): the
  // listener is up first, so the caller learns to retry rather than being refused.
  async ServiceUnavailableException() {
    const dir = join(server().dir, 'second');
    await mkdir(dir);
    const port = await freePort();
    const config = await writeConfig(dir, yaml.replace('listen: 127.0.0.1:0', `listen: 127.0.0.1:${port}`));
    const starting = startCofferProcess({ args: ['--config', config], cwd: dir });
    try {
      const first = await firstAnswer(`http://127.0.0.1:${port}`, { method: 'GET', path: '/backup-vaults/' });
      const coffer = await starting;
      const ready = await signedRequest(coffer.endpoint, alpha, { method: 'GET', path: '/backup-vaults/' });
      assert.equal(ready.status, 200, `the same call succeeds once Coffer is ready: ${ready.text}`);
      return [first, { status: 503, message: /^Coffer is starting; retry in a moment\.$/ }];
    } finally {
      const coffer = await starting;
      assert.equal((await coffer.stop('SIGTERM')).code, 0, coffer.stderr());
    }
  },
};

const modeled = [...new Set(Object.values(BACKUP_MODEL.operations).flatMap((op) => op.errors))].sort();

test('the model names these exceptions, and each has a case here', () => {
  assert.ok(modeled.length >= 10, `read the model's errors: ${modeled.join(', ')}`);
  assert.deepEqual(Object.keys(CASES).sort(), modeled);
});

test('sources for the backups', makeSources);

for (const exception of modeled) {
  test(`${exception}: a realistic request gets it, with status, x-amzn-ErrorType and a message that says what to fix`, { timeout: 120_000 }, async () => {
    const run = CASES[exception];
    assert.ok(run !== undefined, `no request produces ${exception} yet: add one to CASES`);
    const [res, expected] = await run();
    assert.equal(res.status, expected.status, res.text);
    assert.equal(res.headers.get('x-amzn-errortype'), exception, res.text);
    assert.equal(res.json['__type'], exception);
    assert.match(String(res.json['Message']), expected.message);
    assert.ok(res.headers.get('x-amzn-requestid'), 'every answer carries a request id');
  });
}

test('LimitExceededException for the other documented quotas: 300 plans per region, 100 selections per plan', { timeout: 120_000 }, async () => {
  const beta = keysOf(BETA);
  await createVault('quota', {}, beta);
  const plan = (name: string) =>
    call(
      {
        method: 'PUT',
        path: '/backup/plans/',
        body: json({ BackupPlan: { BackupPlanName: name, Rules: [{ RuleName: 'daily', TargetBackupVaultName: 'quota' }] } }),
      },
      beta,
    );
  const names = Array.from({ length: 300 }, (_, i) => `plan-${i}`);
  let first: string | undefined;
  for (let i = 0; i < names.length; i += 20) {
    for (const res of await Promise.all(names.slice(i, i + 20).map(plan))) {
      assert.equal(res.status, 200, res.text);
      first ??= String(res.json['BackupPlanId']);
    }
  }
  const plans = await plan('plan-300');
  assert.equal(plans.status, 400, plans.text);
  assert.equal(plans.headers.get('x-amzn-errortype'), 'LimitExceededException');
  assert.match(
    String(plans.json['Message']),
    /^Account 222222222222 already has 300 backup plans in region us-east-1, the most AWS Backup allows per account and region\. Delete a plan/,
  );

  const selection = (name: string) =>
    call(
      {
        method: 'PUT',
        path: `/backup/plans/${first!}/selections/`,
        body: json({ BackupSelection: { SelectionName: name, IamRoleArn: `arn:aws:iam::${BETA.accountId}:role/backup`, Resources: ['*'] } }),
      },
      beta,
    );
  for (let i = 0; i < 100; i += 20) {
    for (const res of await Promise.all(Array.from({ length: 20 }, (_, j) => selection(`s${i + j}`)))) assert.equal(res.status, 200, res.text);
  }
  const selections = await selection('s100');
  assert.equal(selections.status, 400, selections.text);
  assert.equal(selections.headers.get('x-amzn-errortype'), 'LimitExceededException');
  assert.match(
    String(selections.json['Message']),
    new RegExp(
      `^Backup plan ${first!} already has 100 selections \\(resource assignments\\), the most AWS Backup allows per plan\\. Name more resources in one selection`,
    ),
  );
});

test('DeleteBackupVault: refused while a point remains, then the vault and its directory go', async () => {
  const client = sdk(server().endpoint, alpha);
  const points = await client.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'kept' }));
  const arn = points.RecoveryPoints?.[0]?.RecoveryPointArn;
  assert.ok(arn !== undefined, 'the InvalidRequestException case left one recovery point');
  assert.ok((await readdir(vaultDir('kept'))).length > 0, 'the vault holds a repository on disk');
  await client.send(new DeleteRecoveryPointCommand({ BackupVaultName: 'kept', RecoveryPointArn: arn }));
  for (const until = Date.now() + 30_000; ; ) {
    const gone = await client.send(new DescribeRecoveryPointCommand({ BackupVaultName: 'kept', RecoveryPointArn: arn })).then(
      () => false,
      (e: Error) => e.name === 'ResourceNotFoundException',
    );
    if (gone) break;
    assert.ok(Date.now() < until, 'the recovery point is erased within 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  const res = await call({ method: 'DELETE', path: vaultPath('kept') });
  assert.equal(res.status, 200, res.text);
  await assert.rejects(access(vaultDir('kept')), { code: 'ENOENT' }, 'the vault directory is removed with the vault');
  assert.equal((await call({ method: 'GET', path: vaultPath('kept') })).status, 400, 'the vault is gone');
  await createVault('kept');
  assert.deepEqual(
    (await client.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'kept' }))).RecoveryPoints,
    [],
    'a new vault of the same name starts empty',
  );
  const again = await startBackup('kept', SMALL_ARN);
  assert.equal(again.status, 200, again.text);
  assert.equal(await untilJobEnds(client, String(again.json['BackupJobId'])), 'COMPLETED', 'and backs up into a fresh repository');
});

test('a scheduled job still waiting for its start window does not block an on-demand backup', async () => {
  const catalog = await openCatalog({ kind: 'sqlite', file: join(server().dir, 'data', 'catalog.sqlite') });
  const now = Date.now();
  try {
    await catalog.jobs.createBackupJob(scope, {
      id: 'WAITING-FOR-WINDOW',
      state: 'CREATED',
      createdAt: now,
      notBefore: now + 3_600_000,
      startBy: now + 7_200_000,
      resourceArn: SMALL_ARN,
      resourceType: 'EFS',
      vaultName: 'kept',
      vaultArn: `arn:aws:backup:us-east-1:${ALPHA.accountId}:backup-vault:kept`,
    });
  } finally {
    await catalog.close();
  }
  const res = await startBackup('kept', SMALL_ARN);
  assert.equal(res.status, 200, res.text);
  assert.equal(await untilJobEnds(sdk(server().endpoint, alpha), String(res.json['BackupJobId'])), 'COMPLETED');
});

test('a second backup is accepted once the first has finished', async () => {
  const res = await startBackup('busy', BUSY_ARN);
  assert.equal(res.status, 200, res.text);
  assert.equal(await untilJobEnds(sdk(server().endpoint, alpha), String(res.json['BackupJobId'])), 'COMPLETED');
});

test('a catalog locked past its busy timeout answers 503 ServiceUnavailableException (retry), not a 500', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'coffer-busy-'));
  const file = join(dir, 'catalog.sqlite');
  const catalog = await openCatalog({ kind: 'sqlite', file, busyTimeoutMs: 50 });
  const other = new SqliteDatabase(file);
  try {
    other.exec('BEGIN IMMEDIATE');
    const write = catalog.vaults.create(scope, { name: 'v', arn: 'arn:aws:backup:us-east-1:111111111111:backup-vault:v', encryptionKeyArn: 'k', createdAt: 0 });
    await assert.rejects(write, CatalogBusyError);
    const handler = withErrorMap(async () => {
      await catalog.vaults.create(scope, { name: 'v', arn: 'arn:aws:backup:us-east-1:111111111111:backup-vault:v', encryptionKeyArn: 'k', createdAt: 0 });
      return {};
    });
    const answer: unknown = await Promise.resolve(handler({} as never, {})).catch((err: unknown) => err);
    assert.ok(answer instanceof AwsError, String(answer));
    assert.equal(answer.code, 'ServiceUnavailableException');
    assert.equal(answer.status, 503);
    assert.match(answer.message, /^The Coffer catalog is busy: another process holds its write lock .* Retry in a moment/);
    other.exec('ROLLBACK');
    await catalog.vaults.create(scope, { name: 'v', arn: 'arn:aws:backup:us-east-1:111111111111:backup-vault:v', encryptionKeyArn: 'k', createdAt: 0 });
  } finally {
    other.close();
    await catalog.close();
    await rm(dir, { recursive: true, force: true });
  }
});
