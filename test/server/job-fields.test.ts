/**
 * The members AWS shows of jobs and recovery points, on a rule's real run (manual clock): a
 * scheduled backup job with its MessageCategory, EncryptionKeyArn, IsEncrypted,
 * ExpectedCompletionDate and the whole CreatedBy (plan name, rule name, cron, time zone); its
 * recovery point with IamRoleArn and the same CreatedBy; the copy its rule's copy action makes,
 * with DestinationEncryptionKeyArn; and a restore job with RecoveryPointCreationDate.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateBackupPlanCommand,
  CreateBackupSelectionCommand,
  CreateBackupVaultCommand,
  DescribeBackupJobCommand,
  DescribeCopyJobCommand,
  DescribeRecoveryPointCommand,
  GetRecoveryPointRestoreMetadataCommand,
  ListBackupJobsCommand,
  ListCopyJobsCommand,
  ListRestoreJobsCommand,
} from '@aws-sdk/client-backup';
import type { BackupClient } from '@aws-sdk/client-backup';
import { ALPHA, ALPHA_CONFIG_HEAD } from './support/accounts.js';
import { keysOf, sdk } from './support/clients.js';
import { BACKUP_ROLE, restoreAndWait, waitFor } from './support/jobs.js';
import { useCoffer } from './support/server-fixture.js';

const A = ALPHA.accountId;
const FS = `arn:aws:elasticfilesystem:us-east-1:${A}:file-system/fs-fields`;
const ROLE = BACKUP_ROLE(A);
const DEFAULT_KEY = `arn:aws:kms:us-east-1:${A}:alias/aws/backup`;
const CRON = 'cron(0 5 ? * * *)';

const server = useCoffer({
  yaml: `${ALPHA_CONFIG_HEAD}resources:\n  - { arn: "${FS}", path: ./source }\n`,
  args: ['--clock', 'manual', '--clock-start', '2027-03-01T00:00:00Z'],
});

async function moveClock(endpoint: string, set: string): Promise<void> {
  const response = await fetch(`${endpoint}/_coffer/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ set }) });
  assert.equal(response.status, 200, await response.text());
}

let client: BackupClient;
let planId: string;
let planArn: string;

test("a rule's run: the backup job shows its key, encryption, expected completion, category and whole CreatedBy", async () => {
  const { endpoint, dir } = server();
  client = sdk(endpoint, keysOf(ALPHA));
  await mkdir(join(dir, 'source'), { recursive: true });
  await writeFile(join(dir, 'source', 'a.txt'), 'fields\n');
  for (const name of ['primary', 'second']) await client.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
  const plan = await client.send(
    new CreateBackupPlanCommand({
      BackupPlan: {
        BackupPlanName: 'fields-plan',
        Rules: [
          {
            RuleName: 'daily-berlin',
            TargetBackupVaultName: 'primary',
            ScheduleExpression: CRON,
            ScheduleExpressionTimezone: 'Europe/Berlin',
            CopyActions: [{ DestinationBackupVaultArn: `arn:aws:backup:us-east-1:${A}:backup-vault:second` }],
          },
        ],
      },
    }),
  );
  planId = plan.BackupPlanId!;
  planArn = plan.BackupPlanArn!;
  await client.send(new CreateBackupSelectionCommand({ BackupPlanId: planId, BackupSelection: { SelectionName: 'fs', IamRoleArn: ROLE, Resources: [FS] } }));
  // 05:00 in Berlin is 04:00 UTC in March.
  await moveClock(endpoint, '2027-03-01T04:00:00Z');
  const [listed] = (await client.send(new ListBackupJobsCommand({ ByBackupVaultName: 'primary' }))).BackupJobs ?? [];
  assert.ok(listed !== undefined, 'the rule ran');
  const job = await waitFor(
    'the scheduled backup',
    () => client.send(new DescribeBackupJobCommand({ BackupJobId: listed.BackupJobId! })),
    (j) => !['CREATED', 'PENDING', 'RUNNING'].includes(j.State ?? ''),
  );
  assert.equal(job.State, 'COMPLETED', job.StatusMessage);
  assert.equal(job.MessageCategory, 'SUCCESS');
  assert.equal(job.EncryptionKeyArn, DEFAULT_KEY, "the vault's key protects an EFS recovery point");
  assert.equal(job.IsEncrypted, true);
  assert.deepEqual(job.ExpectedCompletionDate, job.CompletionDate, 'an ended job was expected when it ended');
  assert.deepEqual(job.CreatedBy, {
    BackupPlanId: planId,
    BackupPlanArn: planArn,
    BackupPlanName: 'fields-plan',
    BackupPlanVersion: plan.VersionId,
    BackupRuleId: job.CreatedBy?.BackupRuleId,
    BackupRuleName: 'daily-berlin',
    BackupRuleCron: CRON,
    BackupRuleTimezone: 'Europe/Berlin',
  });
  assert.ok(job.CreatedBy?.BackupRuleId, 'the rule id');

  const point = await client.send(new DescribeRecoveryPointCommand({ BackupVaultName: 'primary', RecoveryPointArn: job.RecoveryPointArn! }));
  assert.equal(point.IamRoleArn, ROLE);
  assert.equal(point.EncryptionKeyArn, DEFAULT_KEY);
  assert.equal(point.IsEncrypted, true);
  assert.deepEqual(point.CreatedBy, job.CreatedBy);
});

test('the copy action: DestinationEncryptionKeyArn is the key of the copy, which shows the rule that made it', async () => {
  const [listed] = (await client.send(new ListCopyJobsCommand({}))).CopyJobs ?? [];
  assert.ok(listed !== undefined, 'the copy action made a copy job');
  const { CopyJob: copy } = await waitFor(
    'the copy',
    () => client.send(new DescribeCopyJobCommand({ CopyJobId: listed.CopyJobId! })),
    (j) => !['CREATED', 'RUNNING'].includes(j.CopyJob?.State ?? ''),
  );
  assert.equal(copy?.State, 'COMPLETED', copy?.StatusMessage);
  assert.equal(copy?.MessageCategory, 'SUCCESS');
  const copied = await client.send(new DescribeRecoveryPointCommand({ BackupVaultName: 'second', RecoveryPointArn: copy!.DestinationRecoveryPointArn! }));
  assert.match(copy?.DestinationEncryptionKeyArn ?? '', /^arn:aws:kms:us-east-1:\d{12}:/);
  assert.equal(copy?.DestinationEncryptionKeyArn, copied.EncryptionKeyArn);
  assert.equal(copied.CreatedBy?.BackupPlanName, 'fields-plan');
  assert.equal(copied.CreatedBy?.BackupRuleName, 'daily-berlin');
  assert.equal(copy?.CreatedBy?.BackupRuleCron, CRON);
});

test('a restore job: RecoveryPointCreationDate and the vault it restores from', async () => {
  const { dir } = server();
  const [job] = (await client.send(new ListBackupJobsCommand({ ByBackupVaultName: 'primary' }))).BackupJobs ?? [];
  const point = await client.send(new DescribeRecoveryPointCommand({ BackupVaultName: 'primary', RecoveryPointArn: job!.RecoveryPointArn! }));
  const { RestoreMetadata: metadata } = await client.send(
    new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: 'primary', RecoveryPointArn: point.RecoveryPointArn! }),
  );
  const restored = await restoreAndWait(client, point.RecoveryPointArn!, ROLE, { ...metadata, RestorePath: join(dir, 'restored') });
  assert.equal(restored.Status, 'COMPLETED', restored.StatusMessage);
  assert.deepEqual(restored.RecoveryPointCreationDate, point.CreationDate);
  assert.equal(restored.BackupVaultArn, `arn:aws:backup:us-east-1:${A}:backup-vault:primary`);
  const [listed] = (await client.send(new ListRestoreJobsCommand({}))).RestoreJobs ?? [];
  assert.deepEqual(listed?.RecoveryPointCreationDate, point.CreationDate);
});
