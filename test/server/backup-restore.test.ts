/**
 * Backup and restore of a directory resource through the real `coffer serve`, driven by the AWS
 * SDK for JavaScript, the AWS CLI and boto3: start a backup job, wait for COMPLETED, inspect the
 * recovery point, restore it into a new directory and compare bytes, modes and mtimes; the vault
 * repository passes the real restic's `check --read-data`; deleting the recovery point frees
 * its data.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, readdir, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  CreateBackupVaultCommand,
  DeleteBackupVaultCommand,
  DeleteRecoveryPointCommand,
  DescribeBackupJobCommand,
  DescribeRecoveryPointCommand,
  DescribeRestoreJobCommand,
  GetRecoveryPointRestoreMetadataCommand,
  ListBackupJobsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListRecoveryPointsByResourceCommand,
  ListRestoreJobsCommand,
  StartBackupJobCommand,
  StartRestoreJobCommand,
  UpdateRecoveryPointLifecycleCommand,
} from '@aws-sdk/client-backup';
import type { BackupClient } from '@aws-sdk/client-backup';
import { resticOk } from '../support/restic.js';
import { diffDigests, digestTree } from '../support/tree-digest.js';
import { ALPHA, ALPHA_CONFIG_HEAD } from './support/accounts.js';
import { awsCli, boto3, cliJson, keysOf, sdk } from './support/clients.js';
import type { BotoResult } from './support/clients.js';
import { useCoffer } from './support/server-fixture.js';
import { vaultRepoPath, writeVaultPasswordFile } from './support/vault-password.js';

const RESOURCE_ARN = `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-uploads`;
const ROLE = `arn:aws:iam::${ALPHA.accountId}:role/service-role/AWSBackupDefaultServiceRole`;
const alpha = keysOf(ALPHA);

const yaml = `${ALPHA_CONFIG_HEAD}resources:
  - { arn: "${RESOURCE_ARN}", path: ./source }
`;

const server = useCoffer({ yaml });

async function makeSource(root: string): Promise<void> {
  await mkdir(join(root, 'docs/deep'), { recursive: true });
  await writeFile(join(root, 'hello.txt'), 'hello coffer\n');
  await writeFile(join(root, 'docs/big.bin'), randomBytes(3 * 1024 * 1024 + 17));
  await writeFile(join(root, 'docs/deep/script.sh'), '#!/bin/sh\necho hi\n');
  await chmod(join(root, 'docs/deep/script.sh'), 0o750);
  await writeFile(join(root, 'empty'), '');
  await symlink('hello.txt', join(root, 'link'));
  await utimes(join(root, 'hello.txt'), new Date('2021-02-03T04:05:06.789Z'), new Date('2021-02-03T04:05:06.789Z'));
  await utimes(join(root, 'docs/deep'), new Date('2022-01-01T00:00:00Z'), new Date('2022-01-01T00:00:00Z'));
}

async function waitFor<T>(what: string, poll: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await poll();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function backupOnce(client: BackupClient, vault: string): Promise<{ jobId: string; rpArn: string }> {
  const started = await client.send(
    new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: RESOURCE_ARN, IamRoleArn: ROLE, Lifecycle: { DeleteAfterDays: 35 } }),
  );
  const job = await waitFor(
    'backup job',
    () => client.send(new DescribeBackupJobCommand({ BackupJobId: started.BackupJobId! })),
    (j) => ['COMPLETED', 'FAILED', 'ABORTED'].includes(j.State ?? ''),
  );
  assert.equal(job.State, 'COMPLETED', job.StatusMessage);
  assert.equal(job.RecoveryPointArn, started.RecoveryPointArn);
  return { jobId: started.BackupJobId!, rpArn: started.RecoveryPointArn! };
}

describe('directory backup and restore', () => {
  test('AWS SDK: back up, describe, restore, compare, restic check, delete', async () => {
    const { endpoint, dir } = server();
    const source = join(dir, 'source');
    await makeSource(source);
    const client = sdk(endpoint, alpha);
    await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'files' }));

    const { jobId, rpArn } = await backupOnce(client, 'files');
    const job = await client.send(new DescribeBackupJobCommand({ BackupJobId: jobId }));
    assert.equal(job.PercentDone, '100');
    assert.ok((job.BackupSizeInBytes ?? 0) >= 3 * 1024 * 1024, `BackupSizeInBytes ${job.BackupSizeInBytes}`);
    assert.ok((job.BytesTransferred ?? 0) > 0);
    assert.equal(job.ResourceType, 'EFS');
    assert.equal(job.IamRoleArn, ROLE);

    const listed = await client.send(new ListBackupJobsCommand({ ByBackupVaultName: 'files', ByState: 'COMPLETED' }));
    assert.deepEqual(
      listed.BackupJobs?.map((j) => j.BackupJobId),
      [jobId],
    );
    const none = await client.send(new ListBackupJobsCommand({ ByState: 'FAILED' }));
    assert.equal(none.BackupJobs?.length, 0);

    const points = await client.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'files' }));
    assert.deepEqual(
      points.RecoveryPoints?.map((p) => p.RecoveryPointArn),
      [rpArn],
    );
    const byResource = await client.send(new ListRecoveryPointsByResourceCommand({ ResourceArn: RESOURCE_ARN }));
    assert.deepEqual(
      byResource.RecoveryPoints?.map((p) => p.RecoveryPointArn),
      [rpArn],
    );
    const point = await client.send(new DescribeRecoveryPointCommand({ BackupVaultName: 'files', RecoveryPointArn: rpArn }));
    assert.equal(point.Status, 'COMPLETED');
    assert.equal(point.ResourceType, 'EFS');
    assert.equal(point.ResourceArn, RESOURCE_ARN);
    assert.equal(point.IamRoleArn, ROLE);
    assert.equal(point.EncryptionKeyArn, `arn:aws:kms:us-east-1:${ALPHA.accountId}:alias/aws/backup`);
    assert.equal(point.Lifecycle?.DeleteAfterDays, 35);
    assert.equal(point.CalculatedLifecycle?.DeleteAt?.getTime(), point.CreationDate!.getTime() + 35 * 86_400_000);

    const lifecycle = await client.send(
      new UpdateRecoveryPointLifecycleCommand({
        BackupVaultName: 'files',
        RecoveryPointArn: rpArn,
        Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 120 },
      }),
    );
    assert.equal(lifecycle.CalculatedLifecycle?.DeleteAt?.getTime(), point.CreationDate!.getTime() + 120 * 86_400_000);
    await assert.rejects(
      client.send(
        new UpdateRecoveryPointLifecycleCommand({
          BackupVaultName: 'files',
          RecoveryPointArn: rpArn,
          Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 60 },
        }),
      ),
      (err: Error) => err.name === 'InvalidParameterValueException' && /90 days/.test(err.message),
    );

    const metadata = await client.send(new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: 'files', RecoveryPointArn: rpArn }));
    assert.equal(metadata.RestoreMetadata?.['file-system-id'], 'fs-uploads');
    assert.equal(metadata.RestoreMetadata?.['newFileSystem'], 'true');
    assert.match(metadata.RestoreMetadata?.['RestorePath'] ?? '', /^\//);

    const target = join(dir, 'restored');
    const restore = await client.send(
      new StartRestoreJobCommand({ RecoveryPointArn: rpArn, IamRoleArn: ROLE, Metadata: { ...metadata.RestoreMetadata, RestorePath: target } }),
    );
    const restored = await waitFor(
      'restore job',
      () => client.send(new DescribeRestoreJobCommand({ RestoreJobId: restore.RestoreJobId! })),
      (j) => ['COMPLETED', 'FAILED'].includes(j.Status ?? ''),
    );
    assert.equal(restored.Status, 'COMPLETED', restored.StatusMessage);
    assert.deepEqual(diffDigests(await digestTree(source), await digestTree(target)), []);
    assert.equal(
      (await stat(target, { bigint: true })).mtimeNs / 1000n,
      (await stat(source, { bigint: true })).mtimeNs / 1000n,
      'the restored root keeps the source directory mtime',
    );

    // A restore never goes over existing files.
    const again = await client.send(new StartRestoreJobCommand({ RecoveryPointArn: rpArn, IamRoleArn: ROLE, Metadata: { RestorePath: target } }));
    const refused = await waitFor(
      'refused restore',
      () => client.send(new DescribeRestoreJobCommand({ RestoreJobId: again.RestoreJobId! })),
      (j) => ['COMPLETED', 'FAILED'].includes(j.Status ?? ''),
    );
    assert.equal(refused.Status, 'FAILED');
    assert.match(refused.StatusMessage ?? '', /not empty/);
    await assert.rejects(
      client.send(new StartRestoreJobCommand({ RecoveryPointArn: rpArn, IamRoleArn: ROLE, Metadata: { RestorePath: 'relative/dir' } })),
      (err: Error) => err.name === 'InvalidParameterValueException',
    );

    // ItemsToRestore: only those paths.
    const partial = join(dir, 'partial');
    const some = await client.send(
      new StartRestoreJobCommand({ RecoveryPointArn: rpArn, IamRoleArn: ROLE, Metadata: { RestorePath: partial, ItemsToRestore: '["/docs/deep"]' } }),
    );
    const someDone = await waitFor(
      'partial restore',
      () => client.send(new DescribeRestoreJobCommand({ RestoreJobId: some.RestoreJobId! })),
      (j) => ['COMPLETED', 'FAILED'].includes(j.Status ?? ''),
    );
    assert.equal(someDone.Status, 'COMPLETED', someDone.StatusMessage);
    assert.deepEqual(await readdir(partial), ['docs']);
    assert.deepEqual(await readdir(join(partial, 'docs')), ['deep']);

    const failedRestores = await client.send(new ListRestoreJobsCommand({ ByStatus: 'FAILED' }));
    assert.deepEqual(
      failedRestores.RestoreJobs?.map((j) => j.RestoreJobId),
      [again.RestoreJobId],
    );
    const allRestores = await client.send(new ListRestoreJobsCommand({ MaxResults: 2 }));
    assert.equal(allRestores.RestoreJobs?.length, 2);
    assert.ok(allRestores.NextToken !== undefined);

    // The same IdempotencyToken with a different request is refused.
    await client
      .send(
        new StartBackupJobCommand({ BackupVaultName: 'files', ResourceArn: RESOURCE_ARN, IamRoleArn: ROLE, IdempotencyToken: 'same', StartWindowMinutes: 60 }),
      )
      .then((started) =>
        waitFor(
          'token job',
          () => client.send(new DescribeBackupJobCommand({ BackupJobId: started.BackupJobId! })),
          (j) => j.State === 'COMPLETED',
        ),
      )
      .then((done) => client.send(new DeleteRecoveryPointCommand({ BackupVaultName: 'files', RecoveryPointArn: done.RecoveryPointArn! })));
    await assert.rejects(
      client.send(
        new StartBackupJobCommand({ BackupVaultName: 'files', ResourceArn: RESOURCE_ARN, IamRoleArn: ROLE, IdempotencyToken: 'same', StartWindowMinutes: 120 }),
      ),
      (err: Error) => err.name === 'InvalidParameterValueException' && /IdempotencyToken/.test(err.message),
    );
    await waitFor(
      'second point deleted',
      () => client.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'files' })),
      (p) => p.RecoveryPoints?.length === 1,
    );

    // The real restic reads the vault with the unwrapped password.
    const repo = vaultRepoPath(join(dir, 'data'), { accountId: ALPHA.accountId, region: 'us-east-1' }, 'files');
    const passwordFile = await writeVaultPasswordFile(join(dir, 'data'), { accountId: ALPHA.accountId, region: 'us-east-1' }, 'files', join(dir, 'password'));
    resticOk(repo, passwordFile, ['check', '--read-data']);
    const snapshots = JSON.parse(resticOk(repo, passwordFile, ['snapshots', '--json'])) as { tags?: string[] }[];
    assert.equal(snapshots.length, 1);
    assert.ok(snapshots[0]!.tags?.includes(`coffer:rp=${rpArn}`));

    // A vault with recovery points cannot be deleted; DeleteRecoveryPoint frees the data.
    await assert.rejects(
      client.send(new DeleteBackupVaultCommand({ BackupVaultName: 'files' })),
      (err: Error) => err.name === 'InvalidRequestException' && /contains 1 recovery points/.test(err.message),
    );
    const packsBefore = (await readdir(join(repo, 'data'), { recursive: true })).length;
    await client.send(new DeleteRecoveryPointCommand({ BackupVaultName: 'files', RecoveryPointArn: rpArn }));
    await waitFor(
      'recovery point gone',
      () => client.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'files' })),
      (p) => p.RecoveryPoints?.length === 0,
    );
    assert.equal(JSON.parse(resticOk(repo, passwordFile, ['snapshots', '--json'])).length, 0);
    const packFiles = (await readdir(join(repo, 'data'), { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
    assert.equal(packFiles.length, 0, `every pack was freed (had ${packsBefore} entries)`);
    resticOk(repo, passwordFile, ['check']);
    await client.send(new DeleteBackupVaultCommand({ BackupVaultName: 'files' }));
  });

  test('AWS CLI and boto3: start, describe, list, restore metadata, errors', async () => {
    const { endpoint } = server();
    cliJson(await awsCli(endpoint, alpha, ['backup', 'create-backup-vault', '--backup-vault-name', 'cli-files']));
    const started = cliJson(
      await awsCli(endpoint, alpha, [
        'backup',
        'start-backup-job',
        '--backup-vault-name',
        'cli-files',
        '--resource-arn',
        RESOURCE_ARN,
        '--iam-role-arn',
        ROLE,
        '--idempotency-token',
        'tok-1',
      ]),
    );
    const twice = cliJson(
      await awsCli(endpoint, alpha, [
        'backup',
        'start-backup-job',
        '--backup-vault-name',
        'cli-files',
        '--resource-arn',
        RESOURCE_ARN,
        '--iam-role-arn',
        ROLE,
        '--idempotency-token',
        'tok-1',
      ]),
    );
    assert.equal(twice['BackupJobId'], started['BackupJobId'], 'the same IdempotencyToken answers the same job');
    const jobId = String(started['BackupJobId']);
    const job = await waitFor(
      'cli backup job',
      async () => cliJson(await awsCli(endpoint, alpha, ['backup', 'describe-backup-job', '--backup-job-id', jobId])),
      (j) => ['COMPLETED', 'FAILED'].includes(String(j['State'])),
    );
    assert.equal(job['State'], 'COMPLETED', String(job['StatusMessage']));

    const [points, meta, unknown, missing, badRole, stopDone, page1] = await boto3(endpoint, alpha, [
      { method: 'list_recovery_points_by_backup_vault', params: { BackupVaultName: 'cli-files' } },
      { method: 'get_recovery_point_restore_metadata', params: { BackupVaultName: 'cli-files', RecoveryPointArn: String(started['RecoveryPointArn']) } },
      {
        method: 'start_backup_job',
        params: { BackupVaultName: 'cli-files', ResourceArn: `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-nope`, IamRoleArn: ROLE },
      },
      { method: 'describe_backup_job', params: { BackupJobId: 'no-such-job' } },
      { method: 'start_backup_job', params: { BackupVaultName: 'cli-files', ResourceArn: RESOURCE_ARN, IamRoleArn: 'not-a-role' } },
      { method: 'stop_backup_job', params: { BackupJobId: jobId } },
      { method: 'list_backup_jobs', params: { MaxResults: 1 } },
    ]);
    const ok = (r: BotoResult | undefined): Record<string, unknown> => (r !== undefined && 'ok' in r ? r.ok : assert.fail(JSON.stringify(r)));
    const code = (r: BotoResult | undefined): string | undefined => (r !== undefined && 'error' in r ? r.error.code : undefined);
    assert.equal((ok(points) as { RecoveryPoints: unknown[] }).RecoveryPoints.length, 1);
    assert.equal((ok(meta) as { RestoreMetadata: Record<string, string> }).RestoreMetadata['file-system-id'], 'fs-uploads');
    assert.equal(code(unknown), 'ResourceNotFoundException');
    assert.equal(code(missing), 'ResourceNotFoundException');
    assert.equal(code(badRole), 'InvalidParameterValueException');
    assert.equal(code(stopDone), 'InvalidRequestException', 'a COMPLETED job cannot be stopped');
    const first = ok(page1) as { BackupJobs: { BackupJobId: string }[]; NextToken?: string };
    assert.equal(first.BackupJobs.length, 1);
    assert.ok(first.NextToken !== undefined, 'two jobs so far (SDK test and this one): a second page follows');
    const [page2] = await boto3(endpoint, alpha, [{ method: 'list_backup_jobs', params: { MaxResults: 1, NextToken: first.NextToken } }]);
    const second = ok(page2) as { BackupJobs: { BackupJobId: string }[] };
    assert.equal(second.BackupJobs.length, 1);
    assert.notEqual(second.BackupJobs[0]!.BackupJobId, first.BackupJobs[0]!.BackupJobId);
  });
});
