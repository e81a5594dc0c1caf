/**
 * A server killed (SIGKILL) in the middle of a backup: after a restart the job does not stay
 * RUNNING forever. Its lease runs out, the new process claims it, sees it was interrupted and
 * fails it with a StatusMessage; the vault repository still passes the real restic's check.
 * A server stopped (SIGTERM) in the middle of a copy stops the copy cleanly: the job FAILED
 * saying so before the process exits, no snapshot in the destination, restic check passes, and
 * the next copy completes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateBackupVaultCommand,
  DescribeBackupJobCommand,
  DescribeCopyJobCommand,
  DescribeRecoveryPointCommand,
  StartBackupJobCommand,
  StartCopyJobCommand,
  StopBackupJobCommand,
} from '@aws-sdk/client-backup';
import { resticOk } from '../support/restic.js';
import { ALPHA, ALPHA_CONFIG_HEAD } from './support/accounts.js';
import { keysOf, sdk } from './support/clients.js';
import { startCofferProcess, withTempDir, writeConfig } from './support/coffer-process.js';
import { vaultRepoPath, writeVaultPasswordFile } from './support/vault-password.js';

const RESOURCE_ARN = `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-big`;
const ROLE = `arn:aws:iam::${ALPHA.accountId}:role/service-role/AWSBackupDefaultServiceRole`;

const yaml = `${ALPHA_CONFIG_HEAD}resources:
  - { arn: "${RESOURCE_ARN}", path: ./big }
`;

/** Incompressible, distinct files (a counter in each block defeats dedup): ~600 MiB. */
async function makeBigDirectory(big: string): Promise<void> {
  await mkdir(big);
  const block = randomBytes(4 * 1024 * 1024);
  for (let i = 0; i < 150; i += 1) {
    block.writeUInt32LE(i, 0);
    for (let j = 0; j < 4096; j += 1) block.writeUInt32LE(i * 7919 + j, j * 1024 + 4);
    await writeFile(join(big, `f${i}.bin`), block);
  }
}

/** Waits until the job is RUNNING and has moved bytes; fails if it finished first. */
async function untilRunning(client: ReturnType<typeof sdk>, jobId: string): Promise<void> {
  for (;;) {
    const job = await client.send(new DescribeBackupJobCommand({ BackupJobId: jobId }));
    assert.notEqual(job.State, 'COMPLETED', 'the backup finished before it could be interrupted; make the directory larger');
    if (job.State === 'RUNNING' && (job.BytesTransferred ?? 0) > 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('kill -9 during a backup, restart: the job ends FAILED with a message, restic check passes', { timeout: 180_000 }, async () => {
  await withTempDir(async (dir) => {
    await makeBigDirectory(join(dir, 'big'));
    const config = await writeConfig(dir, yaml);
    const first = await startCofferProcess({ args: ['--config', config], cwd: dir });
    const client = sdk(first.endpoint, keysOf(ALPHA));
    await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'big' }));
    const started = await client.send(new StartBackupJobCommand({ BackupVaultName: 'big', ResourceArn: RESOURCE_ARN, IamRoleArn: ROLE }));
    await untilRunning(client, started.BackupJobId!);
    assert.deepEqual(await first.stop('SIGKILL'), { code: null, signal: 'SIGKILL' });

    const second = await startCofferProcess({ args: ['--config', config], cwd: dir });
    try {
      const again = sdk(second.endpoint, keysOf(ALPHA));
      let job;
      for (const until = Date.now() + 60_000; Date.now() < until; ) {
        job = await again.send(new DescribeBackupJobCommand({ BackupJobId: started.BackupJobId! }));
        if (job.State !== 'RUNNING' && job.State !== 'CREATED') break;
        await new Promise((r) => setTimeout(r, 250));
      }
      assert.equal(job?.State, 'FAILED', JSON.stringify(job));
      assert.match(job?.StatusMessage ?? '', /restarted/);
      assert.ok(job?.CompletionDate instanceof Date);
      await assert.rejects(
        again.send(new DescribeRecoveryPointCommand({ BackupVaultName: 'big', RecoveryPointArn: started.RecoveryPointArn! })),
        (err: Error) => err.name === 'ResourceNotFoundException',
        'the half-made recovery point is gone',
      );

      const repo = vaultRepoPath(join(dir, 'data'), { accountId: ALPHA.accountId, region: 'us-east-1' }, 'big');
      const password = await writeVaultPasswordFile(join(dir, 'data'), { accountId: ALPHA.accountId, region: 'us-east-1' }, 'big', join(dir, 'password'));
      resticOk(repo, password, ['check']);
    } finally {
      const exit = await second.stop('SIGTERM');
      assert.deepEqual(exit, { code: 0, signal: null }, second.stderr());
      assert.equal(second.stderr(), '');
    }
  });
});

test('StopBackupJob on a running backup: ABORTED within seconds, no recovery point, restic check passes', { timeout: 180_000 }, async () => {
  await withTempDir(async (dir) => {
    await makeBigDirectory(join(dir, 'big'));
    const config = await writeConfig(dir, yaml);
    const server = await startCofferProcess({ args: ['--config', config], cwd: dir });
    try {
      const client = sdk(server.endpoint, keysOf(ALPHA));
      await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'big' }));
      const started = await client.send(new StartBackupJobCommand({ BackupVaultName: 'big', ResourceArn: RESOURCE_ARN, IamRoleArn: ROLE }));
      await untilRunning(client, started.BackupJobId!);
      await client.send(new StopBackupJobCommand({ BackupJobId: started.BackupJobId! }));
      let job;
      for (const until = Date.now() + 30_000; Date.now() < until; ) {
        job = await client.send(new DescribeBackupJobCommand({ BackupJobId: started.BackupJobId! }));
        if (job.State === 'ABORTED' || job.State === 'COMPLETED' || job.State === 'FAILED') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(job?.State, 'ABORTED', JSON.stringify(job));
      assert.match(job?.StatusMessage ?? '', /StopBackupJob/);
      await assert.rejects(
        client.send(new DescribeRecoveryPointCommand({ BackupVaultName: 'big', RecoveryPointArn: started.RecoveryPointArn! })),
        (err: Error) => err.name === 'ResourceNotFoundException',
      );
      const repo = vaultRepoPath(join(dir, 'data'), { accountId: ALPHA.accountId, region: 'us-east-1' }, 'big');
      const password = await writeVaultPasswordFile(join(dir, 'data'), { accountId: ALPHA.accountId, region: 'us-east-1' }, 'big', join(dir, 'password'));
      resticOk(repo, password, ['check']);
      assert.equal(JSON.parse(resticOk(repo, password, ['snapshots', '--json'])).length, 0, 'the stopped backup wrote no snapshot');
    } finally {
      await server.stop('SIGTERM');
    }
  });
});

/** Pack files in a repository's data/ (its two-hex-digit folders). */
async function packFiles(repo: string): Promise<number> {
  let n = 0;
  for (const folder of await readdir(join(repo, 'data')).catch(() => [] as string[])) n += (await readdir(join(repo, 'data', folder))).length;
  return n;
}

test('SIGTERM during a copy: the copy stops cleanly, FAILED saying the node was shut down; restic check passes; the next copy completes', {
  timeout: 300_000,
}, async () => {
  await withTempDir(async (dir) => {
    await makeBigDirectory(join(dir, 'big'));
    const config = await writeConfig(dir, yaml);
    const scope = { accountId: ALPHA.accountId, region: 'us-east-1' };
    const first = await startCofferProcess({ args: ['--config', config], cwd: dir });
    const client = sdk(first.endpoint, keysOf(ALPHA));
    await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'big' }));
    const copies = await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'copies' }));
    const backup = await client.send(new StartBackupJobCommand({ BackupVaultName: 'big', ResourceArn: RESOURCE_ARN, IamRoleArn: ROLE }));
    for (let job; job?.State !== 'COMPLETED'; await new Promise((r) => setTimeout(r, 200))) {
      job = await client.send(new DescribeBackupJobCommand({ BackupJobId: backup.BackupJobId! }));
      assert.ok(!['FAILED', 'ABORTED', 'EXPIRED'].includes(job.State ?? ''), JSON.stringify(job));
    }
    const copyRequest = {
      RecoveryPointArn: backup.RecoveryPointArn!,
      SourceBackupVaultName: 'big',
      DestinationBackupVaultArn: copies.BackupVaultArn!,
      IamRoleArn: ROLE,
    };
    const copy = await client.send(new StartCopyJobCommand(copyRequest));
    // Mid-copy: RUNNING, packs arriving in the destination's repository.
    const dataDir = join(dir, 'data');
    for (const until = Date.now() + 120_000; ; await new Promise((r) => setTimeout(r, 20))) {
      assert.ok(Date.now() < until, 'the copy never got going');
      const job = await client.send(new DescribeCopyJobCommand({ CopyJobId: copy.CopyJobId! }));
      assert.equal(
        ['CREATED', 'RUNNING'].includes(job.CopyJob?.State ?? ''),
        true,
        `the copy ended before it could be stopped: ${JSON.stringify(job.CopyJob)}`,
      );
      // The vault's repositories (key ids), beside its .coffer records.
      const repos = (await readdir(join(dataDir, 'vaults', 'us-east-1', ALPHA.accountId, 'copies')).catch(() => [] as string[])).filter(
        (n) => !n.startsWith('.'),
      );
      if (
        job.CopyJob?.State === 'RUNNING'
        && repos.length > 0
        && (await packFiles(join(dataDir, 'vaults', 'us-east-1', ALPHA.accountId, 'copies', repos[0]!, 'repo'))) > 0
      )
        break;
    }
    const stoppedAt = Date.now();
    assert.deepEqual(await first.stop('SIGTERM'), { code: 0, signal: null }, first.stderr());
    const stopMs = Date.now() - stoppedAt;

    const second = await startCofferProcess({ args: ['--config', config], cwd: dir });
    try {
      const again = sdk(second.endpoint, keysOf(ALPHA));
      const job = (await again.send(new DescribeCopyJobCommand({ CopyJobId: copy.CopyJobId! }))).CopyJob;
      assert.equal(job?.State, 'FAILED', `settled before the process exited, not left for a lease to run out: ${JSON.stringify(job)}`);
      assert.match(job?.StatusMessage ?? '', /^Copy job stopped: the Coffer node running it was shut down while copying .*start the copy again\.$/);
      assert.ok(stopMs < 15_000, `the stop took ${stopMs} ms`);
      const repo = vaultRepoPath(dataDir, scope, 'copies');
      const password = await writeVaultPasswordFile(dataDir, scope, 'copies', join(dir, 'password'));
      resticOk(repo, password, ['check']);
      assert.equal(JSON.parse(resticOk(repo, password, ['snapshots', '--json'])).length, 0, 'the stopped copy wrote no snapshot');

      const retry = await again.send(new StartCopyJobCommand(copyRequest));
      let done;
      for (const until = Date.now() + 180_000; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
        done = (await again.send(new DescribeCopyJobCommand({ CopyJobId: retry.CopyJobId! }))).CopyJob;
        if (done?.State === 'COMPLETED' || done?.State === 'FAILED') break;
      }
      assert.equal(done?.State, 'COMPLETED', JSON.stringify(done));
      resticOk(repo, password, ['check']);
      assert.equal(JSON.parse(resticOk(repo, password, ['snapshots', '--json'])).length, 1);
    } finally {
      const exit = await second.stop('SIGTERM');
      assert.deepEqual(exit, { code: 0, signal: null }, second.stderr());
    }
  });
});
