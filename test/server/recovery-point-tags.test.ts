/**
 * A backup job's RecoveryPointTags reach the recovery point it makes: those given to
 * StartBackupJob, and a plan rule's for the jobs the scheduler starts (manual clock). ListTags on
 * the recovery point ARN returns them; deleting the point drops them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateBackupPlanCommand,
  CreateBackupSelectionCommand,
  CreateBackupVaultCommand,
  DeleteRecoveryPointCommand,
  DescribeBackupJobCommand,
  DescribeRecoveryPointCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListTagsCommand,
  StartBackupJobCommand,
} from '@aws-sdk/client-backup';
import type { BackupClient } from '@aws-sdk/client-backup';
import { ALPHA, ALPHA_CONFIG_HEAD } from './support/accounts.js';
import { keysOf, sdk } from './support/clients.js';
import { useCoffer } from './support/server-fixture.js';

const RESOURCE_ARN = `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-tagged`;
const ROLE = `arn:aws:iam::${ALPHA.accountId}:role/service-role/AWSBackupDefaultServiceRole`;
const START = new Date('2026-03-01T12:00:00.000Z');

const yaml = `${ALPHA_CONFIG_HEAD}resources:
  - { arn: "${RESOURCE_ARN}", path: ./source }
`;

const server = useCoffer({ yaml, args: ['--clock', 'manual', '--clock-start', START.toISOString()] });

async function untilCompleted(client: BackupClient, jobId: string): Promise<void> {
  for (const until = Date.now() + 60_000; Date.now() < until; ) {
    const job = await client.send(new DescribeBackupJobCommand({ BackupJobId: jobId }));
    if (job.State === 'COMPLETED') return;
    assert.ok(['CREATED', 'PENDING', 'RUNNING'].includes(job.State ?? ''), `${job.State}: ${job.StatusMessage}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`backup job ${jobId} did not complete within 60 s`);
}

test('StartBackupJob RecoveryPointTags: ListTags on the recovery point returns them; deleting the point drops them', async () => {
  const { endpoint, dir } = server();
  await mkdir(join(dir, 'source'), { recursive: true });
  await writeFile(join(dir, 'source', 'data.txt'), 'tagged data\n');
  const client = sdk(endpoint, keysOf(ALPHA));
  await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'on-demand', BackupVaultTags: { owner: 'vault-only' } }));
  const started = await client.send(
    new StartBackupJobCommand({
      BackupVaultName: 'on-demand',
      ResourceArn: RESOURCE_ARN,
      IamRoleArn: ROLE,
      RecoveryPointTags: { team: 'storage', 'cost-center': '42' },
    }),
  );
  await untilCompleted(client, started.BackupJobId!);
  const tags = await client.send(new ListTagsCommand({ ResourceArn: started.RecoveryPointArn! }));
  assert.deepEqual(tags.Tags, { team: 'storage', 'cost-center': '42' }, "the job's tags, not the vault's");

  const untagged = await client.send(new StartBackupJobCommand({ BackupVaultName: 'on-demand', ResourceArn: RESOURCE_ARN, IamRoleArn: ROLE }));
  await untilCompleted(client, untagged.BackupJobId!);
  assert.deepEqual((await client.send(new ListTagsCommand({ ResourceArn: untagged.RecoveryPointArn! }))).Tags ?? {}, {});

  await client.send(new DeleteRecoveryPointCommand({ BackupVaultName: 'on-demand', RecoveryPointArn: started.RecoveryPointArn! }));
  for (const until = Date.now() + 30_000; ; ) {
    const gone = await client.send(new DescribeRecoveryPointCommand({ BackupVaultName: 'on-demand', RecoveryPointArn: started.RecoveryPointArn! })).then(
      () => false,
      (e: Error) => e.name === 'ResourceNotFoundException',
    );
    if (gone) break;
    assert.ok(Date.now() < until, 'erased within 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  await assert.rejects(client.send(new ListTagsCommand({ ResourceArn: started.RecoveryPointArn! })), (e: Error) => e.name === 'ResourceNotFoundException');
});

test("a plan rule's RecoveryPointTags are on the points its scheduled jobs make", async () => {
  const { endpoint } = server();
  const client = sdk(endpoint, keysOf(ALPHA));
  await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'scheduled' }));
  const plan = await client.send(
    new CreateBackupPlanCommand({
      BackupPlan: {
        BackupPlanName: 'tagged-daily',
        Rules: [
          {
            RuleName: 'daily',
            TargetBackupVaultName: 'scheduled',
            ScheduleExpression: 'cron(0 5 ? * * *)',
            StartWindowMinutes: 60,
            RecoveryPointTags: { schedule: 'daily', keep: 'short' },
          },
        ],
      },
    }),
  );
  await client.send(
    new CreateBackupSelectionCommand({
      BackupPlanId: plan.BackupPlanId!,
      BackupSelection: { SelectionName: 'one', IamRoleArn: ROLE, Resources: [RESOURCE_ARN] },
    }),
  );
  const response = await fetch(`${endpoint}/_coffer/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advance: 'P1D' }),
  });
  assert.equal(response.status, 200, await response.text());
  const points = (await client.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'scheduled' }))).RecoveryPoints ?? [];
  assert.equal(points.length, 1, JSON.stringify(points));
  assert.equal(points[0]!.CreatedBy?.BackupPlanId, plan.BackupPlanId);
  assert.deepEqual((await client.send(new ListTagsCommand({ ResourceArn: points[0]!.RecoveryPointArn! }))).Tags, { schedule: 'daily', keep: 'short' });
});
