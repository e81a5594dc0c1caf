/**
 * ListBackupJobs by completion time (ByCompleteBefore, ByCompleteAfter) and by parent job
 * (ByParentJobId), and ListRestoreJobs by completion time, through the AWS SDK and the AWS CLI
 * against real jobs run by the server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateBackupVaultCommand,
  DescribeBackupJobCommand,
  DescribeRestoreJobCommand,
  GetRecoveryPointRestoreMetadataCommand,
  ListBackupJobsCommand,
  ListRestoreJobsCommand,
  StartBackupJobCommand,
  StartRestoreJobCommand,
} from '@aws-sdk/client-backup';
import type { BackupClient, BackupJob } from '@aws-sdk/client-backup';
import { openCatalog } from '../../src/catalog/open-catalog.js';
import { ALPHA, ALPHA_CONFIG_HEAD } from './support/accounts.js';
import { awsCli, cliJson, keysOf, sdk } from './support/clients.js';
import { useCoffer } from './support/server-fixture.js';

const RESOURCE_ARN = `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-jobs`;
const ROLE = `arn:aws:iam::${ALPHA.accountId}:role/service-role/AWSBackupDefaultServiceRole`;
const VAULT_ARN = `arn:aws:backup:us-east-1:${ALPHA.accountId}:backup-vault:jobs`;

const yaml = `${ALPHA_CONFIG_HEAD}resources:
  - { arn: "${RESOURCE_ARN}", path: ./source }
`;

const server = useCoffer({ yaml });

async function until<T>(what: string, poll: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (const end = Date.now() + 60_000; ; ) {
    const value = await poll();
    if (done(value)) return value;
    assert.ok(Date.now() < end, `timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function backup(client: BackupClient): Promise<BackupJob> {
  const started = await client.send(new StartBackupJobCommand({ BackupVaultName: 'jobs', ResourceArn: RESOURCE_ARN, IamRoleArn: ROLE }));
  const job = await until(
    'backup',
    () => client.send(new DescribeBackupJobCommand({ BackupJobId: started.BackupJobId! })),
    (j) => !['CREATED', 'PENDING', 'RUNNING'].includes(j.State ?? ''),
  );
  assert.equal(job.State, 'COMPLETED', job.StatusMessage);
  return job;
}

const ids = (jobs: readonly { BackupJobId?: string | undefined }[] | undefined) => (jobs ?? []).map((j) => j.BackupJobId).sort();
const ms = (date: Date | undefined, delta = 0) => new Date(date!.getTime() + delta);

let first: BackupJob;
let second: BackupJob;

test('two backups, one after the other', async () => {
  const { endpoint, dir } = server();
  await mkdir(join(dir, 'source'), { recursive: true });
  await writeFile(join(dir, 'source', 'data.txt'), 'jobs\n');
  const client = sdk(endpoint, keysOf(ALPHA));
  await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'jobs' }));
  first = await backup(client);
  second = await backup(client);
  assert.ok(first.CompletionDate! < second.CompletionDate!);
});

test('ListBackupJobs ByCompleteBefore / ByCompleteAfter: strictly before / after', async () => {
  const client = sdk(server().endpoint, keysOf(ALPHA));
  const list = async (filter: { ByCompleteBefore?: Date; ByCompleteAfter?: Date }) => ids((await client.send(new ListBackupJobsCommand(filter))).BackupJobs);
  assert.deepEqual(await list({ ByCompleteBefore: second.CompletionDate! }), [first.BackupJobId]);
  assert.deepEqual(await list({ ByCompleteAfter: first.CompletionDate! }), [second.BackupJobId]);
  assert.deepEqual(await list({ ByCompleteAfter: ms(first.CompletionDate, -1) }), ids([first, second]));
  assert.deepEqual(await list({ ByCompleteAfter: ms(first.CompletionDate, -1), ByCompleteBefore: ms(first.CompletionDate, 1) }), [first.BackupJobId]);
  assert.deepEqual(await list({ ByCompleteBefore: ms(first.CompletionDate, -1) }), []);

  // The AWS CLI sends the same filters as ISO-8601 query parameters.
  const cli = cliJson(
    await awsCli(server().endpoint, keysOf(ALPHA), ['backup', 'list-backup-jobs', '--by-complete-after', ms(first.CompletionDate, 1).toISOString()]),
  );
  assert.deepEqual(ids(cli['BackupJobs'] as { BackupJobId: string }[]), [second.BackupJobId]);
});

test('ListBackupJobs ByParentJobId: the child jobs of one composite job only', async () => {
  const { endpoint, dir } = server();
  // Coffer makes no composite jobs itself; their children are rows like any other job's.
  const catalog = await openCatalog({ kind: 'sqlite', file: join(dir, 'data', 'catalog.sqlite') });
  const scope = { accountId: ALPHA.accountId, region: 'us-east-1' };
  const child = (id: string, parentJobId: string) =>
    catalog.jobs.createBackupJob(scope, {
      id,
      state: 'COMPLETED',
      createdAt: Date.now(),
      resourceArn: RESOURCE_ARN,
      resourceType: 'EFS',
      vaultName: 'jobs',
      vaultArn: VAULT_ARN,
      parentJobId,
    });
  try {
    await child('CHILD-A1', 'PARENT-A');
    await child('CHILD-A2', 'PARENT-A');
    await child('CHILD-B1', 'PARENT-B');
  } finally {
    await catalog.close();
  }
  const client = sdk(endpoint, keysOf(ALPHA));
  assert.deepEqual(ids((await client.send(new ListBackupJobsCommand({ ByParentJobId: 'PARENT-A' }))).BackupJobs), ['CHILD-A1', 'CHILD-A2']);
  assert.deepEqual(ids((await client.send(new ListBackupJobsCommand({ ByParentJobId: 'PARENT-B', ByState: 'COMPLETED' }))).BackupJobs), ['CHILD-B1']);
  assert.deepEqual(ids((await client.send(new ListBackupJobsCommand({ ByParentJobId: first.BackupJobId! }))).BackupJobs), [], 'a job without children');
  assert.equal((await client.send(new ListBackupJobsCommand({}))).BackupJobs?.length, 5, 'without the filter: every job');
});

test('ListRestoreJobs ByCompleteBefore / ByCompleteAfter', async () => {
  const { endpoint, dir } = server();
  const client = sdk(endpoint, keysOf(ALPHA));
  const metadata = (await client.send(new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: 'jobs', RecoveryPointArn: second.RecoveryPointArn! })))
    .RestoreMetadata;
  const restore = async (name: string) => {
    const started = await client.send(
      new StartRestoreJobCommand({ RecoveryPointArn: second.RecoveryPointArn!, IamRoleArn: ROLE, Metadata: { ...metadata, RestorePath: join(dir, name) } }),
    );
    const job = await until(
      'restore',
      () => client.send(new DescribeRestoreJobCommand({ RestoreJobId: started.RestoreJobId! })),
      (j) => !['PENDING', 'RUNNING'].includes(j.Status ?? ''),
    );
    assert.equal(job.Status, 'COMPLETED', job.StatusMessage);
    return job;
  };
  const a = await restore('restored-a');
  const b = await restore('restored-b');
  const list = async (filter: { ByCompleteBefore?: Date; ByCompleteAfter?: Date }) =>
    ((await client.send(new ListRestoreJobsCommand(filter))).RestoreJobs ?? []).map((j) => j.RestoreJobId).sort();
  assert.deepEqual(await list({ ByCompleteBefore: b.CompletionDate! }), [a.RestoreJobId]);
  assert.deepEqual(await list({ ByCompleteAfter: a.CompletionDate! }), [b.RestoreJobId]);
  assert.deepEqual(
    await list({ ByCompleteAfter: ms(a.CompletionDate, -1), ByCompleteBefore: ms(b.CompletionDate, 1) }),
    [a.RestoreJobId, b.RestoreJobId].sort(),
  );
  assert.deepEqual(await list({ ByCompleteAfter: ms(b.CompletionDate, 1) }), []);
});
