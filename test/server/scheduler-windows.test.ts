/**
 * A scheduled job's windows, on the manual clock: a transient failure (the vault held by another
 * process's exclusive lock) is retried within the start window and succeeds once the lock goes;
 * a failure that lasts past the start window ends EXPIRED, saying why; a backup still running
 * when its completion window closes (pg_dump waiting on a table locked by another session) is
 * stopped, ends ABORTED with the completion window's message and leaves no recovery point.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateBackupPlanCommand,
  CreateBackupSelectionCommand,
  CreateBackupVaultCommand,
  DescribeBackupJobCommand,
  ListBackupJobsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  StartBackupJobCommand,
} from '@aws-sdk/client-backup';
import type { BackupClient, BackupJob } from '@aws-sdk/client-backup';
import { LocalBlobStore } from '../../src/storage/local-blob-store.js';
import { RepositoryLock } from '../../src/vault/lock.js';
import { Repository } from '../../src/vault/repository.js';
import { pg, uniqueName } from '../connectors/support/sql-servers.js';
import { ALPHA, ALPHA_CONFIG_HEAD } from './support/accounts.js';
import { keysOf, sdk } from './support/clients.js';
import { useCoffer } from './support/server-fixture.js';
import { vaultRepoPath, writeVaultPasswordFile } from './support/vault-password.js';

const START = new Date('2027-03-01T00:00:00Z');
const FS_ARN = `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-windows`;
const DB_ARN = `arn:aws:rds:us-east-1:${ALPHA.accountId}:db:slow-db`;
const ROLE = `arn:aws:iam::${ALPHA.accountId}:role/service-role/AWSBackupDefaultServiceRole`;
const DATABASE = uniqueName('coffer_windows');

const yaml = `${ALPHA_CONFIG_HEAD}resources:
  - { arn: "${FS_ARN}", path: ./source }
  - { arn: "${DB_ARN}", url: "postgres://postgres@127.0.0.1:5432/${DATABASE}" }
`;

before(() => {
  pg(`CREATE DATABASE ${DATABASE}`);
  pg('CREATE TABLE busy (id int PRIMARY KEY); INSERT INTO busy SELECT generate_series(1, 100);', DATABASE);
});
after(() => void pg(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`));

const server = useCoffer({ yaml, args: ['--clock', 'manual', '--clock-start', START.toISOString()] });

async function moveClock(endpoint: string, body: { advance?: string; set?: string }): Promise<void> {
  const response = await fetch(`${endpoint}/_coffer/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(response.status, 200, await response.text());
}

async function jobsOf(client: BackupClient, vault: string): Promise<BackupJob[]> {
  return (await client.send(new ListBackupJobsCommand({ ByBackupVaultName: vault }))).BackupJobs ?? [];
}

async function waitForJob(client: BackupClient, id: string, states: readonly string[]): Promise<BackupJob> {
  for (let i = 0; i < 300; i += 1) {
    const job = await client.send(new DescribeBackupJobCommand({ BackupJobId: id }));
    if (states.includes(job.State ?? '')) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${id} never reached ${states.join('/')}`);
}

describe('start and completion windows', () => {
  test('a locked vault: retried in the start window, then completes; a lock that outlasts the window: EXPIRED with the reason', async () => {
    const { endpoint, dir } = server();
    await mkdir(join(dir, 'source'), { recursive: true });
    await writeFile(join(dir, 'source', 'file.txt'), 'windows\n');
    const client = sdk(endpoint, keysOf(ALPHA));
    await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'windows' }));
    // A first on-demand backup makes the vault's repository, so that it can be locked.
    const first = await client.send(new StartBackupJobCommand({ BackupVaultName: 'windows', ResourceArn: FS_ARN, IamRoleArn: ROLE }));
    assert.equal((await waitForJob(client, first.BackupJobId!, ['COMPLETED', 'FAILED'])).State, 'COMPLETED');
    const plan = await client.send(
      new CreateBackupPlanCommand({
        BackupPlan: {
          BackupPlanName: 'windows',
          Rules: [{ RuleName: 'daily', TargetBackupVaultName: 'windows', ScheduleExpression: 'cron(0 5 ? * * *)', StartWindowMinutes: 60 }],
        },
      }),
    );
    await client.send(
      new CreateBackupSelectionCommand({ BackupPlanId: plan.BackupPlanId!, BackupSelection: { SelectionName: 'fs', IamRoleArn: ROLE, Resources: [FS_ARN] } }),
    );

    const passwordFile = await writeVaultPasswordFile(join(dir, 'data'), { accountId: ALPHA.accountId, region: 'us-east-1' }, 'windows', join(dir, 'pw'));
    const repo = await Repository.open(
      new LocalBlobStore(vaultRepoPath(join(dir, 'data'), { accountId: ALPHA.accountId, region: 'us-east-1' }, 'windows')),
      await readFile(passwordFile),
    );
    let lock = await RepositoryLock.acquire(repo, true);

    await moveClock(endpoint, { set: '2027-03-01T05:00:00Z' });
    let scheduled = (await jobsOf(client, 'windows')).filter((j) => j.CreatedBy?.BackupPlanId === plan.BackupPlanId);
    assert.equal(scheduled.length, 1);
    assert.equal(scheduled[0]!.State, 'CREATED', 'waiting for another attempt');
    assert.match(scheduled[0]!.StatusMessage ?? '', /Attempt 1 failed: .*repository is locked.*Retrying at 2027-03-01T05:05:00.000Z, within the start window/);

    await lock.release();
    await moveClock(endpoint, { set: '2027-03-01T05:10:00Z' });
    const retried = await client.send(new DescribeBackupJobCommand({ BackupJobId: scheduled[0]!.BackupJobId! }));
    assert.equal(retried.State, 'COMPLETED', retried.StatusMessage);
    assert.match(retried.StatusMessage ?? '', /Completed on attempt 2/);

    lock = await RepositoryLock.acquire(repo, true);
    await moveClock(endpoint, { set: '2027-03-02T07:00:00Z' });
    await lock.release();
    scheduled = (await jobsOf(client, 'windows')).filter(
      (j) => j.CreatedBy?.BackupPlanId === plan.BackupPlanId && j.CreationDate!.toISOString().startsWith('2027-03-02'),
    );
    assert.equal(scheduled.length, 1);
    assert.equal(scheduled[0]!.State, 'EXPIRED');
    assert.match(scheduled[0]!.StatusMessage ?? '', /did not start before its start window closed\. Attempt 4 failed: .*repository is locked/);
  });

  test('a backup still running when its completion window closes: ABORTED, no recovery point', async () => {
    const { endpoint } = server();
    const client = sdk(endpoint, keysOf(ALPHA));
    await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'slow' }));
    // Another session holds the table: pg_dump waits for it for as long as the lock is held.
    const holder = spawn('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', DATABASE, '-v', 'ON_ERROR_STOP=1'], { stdio: ['pipe', 'pipe', 'pipe'] });
    holder.stdin.write('BEGIN; LOCK TABLE busy IN ACCESS EXCLUSIVE MODE; SELECT 1;\n');
    try {
      const started = await client.send(
        new StartBackupJobCommand({ BackupVaultName: 'slow', ResourceArn: DB_ARN, IamRoleArn: ROLE, CompleteWindowMinutes: 120 }),
      );
      await waitForJob(client, started.BackupJobId!, ['RUNNING']);
      await new Promise((r) => setTimeout(r, 500));
      await moveClock(endpoint, { advance: 'PT3H' });
      const job = await waitForJob(client, started.BackupJobId!, ['ABORTED', 'COMPLETED', 'FAILED']);
      assert.equal(job.State, 'ABORTED', job.StatusMessage);
      assert.match(job.StatusMessage ?? '', /did not complete within its completion window/);
      const points = await client.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'slow' }));
      assert.deepEqual(points.RecoveryPoints ?? [], [], 'no recovery point from a stopped backup');
    } finally {
      holder.stdin.end('ROLLBACK;\n');
      await new Promise((r) => holder.once('exit', r));
    }
  });
});
