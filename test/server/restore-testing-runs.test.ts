/**
 * Restore testing plans running on their schedule, through the real `coffer serve` on the
 * manual clock: at the plan's cron time each selected resource's newest (or a random) recovery
 * point within the window is restored into a scratch directory, the restored tree is compared
 * with the recovery point's, the result recorded on the restore job (ValidationStatus,
 * CreatedBy.RestoreTestingPlanArn), and the scratch directory deleted at once or at the end of
 * the selection's validation window (DeletionStatus). ListRestoreJobs ByRestoreTestingPlanArn.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { access, mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  CreateBackupVaultCommand,
  CreateRestoreTestingPlanCommand,
  CreateRestoreTestingSelectionCommand,
  GetRestoreTestingPlanCommand,
  ListRestoreJobsCommand,
  PutRestoreValidationResultCommand,
} from '@aws-sdk/client-backup';
import type { BackupClient, RestoreJobsListMember } from '@aws-sdk/client-backup';
import { ALPHA, ALPHA_CONFIG_HEAD } from './support/accounts.js';
import { keysOf, sdk } from './support/clients.js';
import { BACKUP_ROLE, backupAndWait } from './support/jobs.js';
import { useCoffer } from './support/server-fixture.js';

const START = new Date('2027-03-01T00:00:00Z');
const DOCS = `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-docs`;
const MEDIA = `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-media`;
const yaml = `${ALPHA_CONFIG_HEAD}resources:
  - { arn: "${DOCS}", path: ./docs, tags: { tier: gold } }
  - { arn: "${MEDIA}", path: ./media, tags: { tier: bronze } }
`;
const server = useCoffer({ yaml, args: ['--clock', 'manual', '--clock-start', START.toISOString()] });
const ROLE = BACKUP_ROLE(ALPHA.accountId);

async function advance(endpoint: string, period: string): Promise<void> {
  const response = await fetch(`${endpoint}/_coffer/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advance: period }),
  });
  assert.equal(response.status, 200, await response.text());
}

async function testJobs(client: BackupClient, planArn: string): Promise<RestoreJobsListMember[]> {
  return (await client.send(new ListRestoreJobsCommand({ ByRestoreTestingPlanArn: planArn }))).RestoreJobs ?? [];
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

async function plan(client: BackupClient, name: string, recoveryPointSelection: Record<string, unknown>): Promise<string> {
  const created = await client.send(
    new CreateRestoreTestingPlanCommand({
      RestoreTestingPlan: {
        RestoreTestingPlanName: name,
        ScheduleExpression: 'cron(0 3 ? * * *)',
        RecoveryPointSelection: { Algorithm: 'LATEST_WITHIN_WINDOW', IncludeVaults: ['*'], RecoveryPointTypes: ['SNAPSHOT'], ...recoveryPointSelection },
      },
    }),
  );
  return created.RestoreTestingPlanArn!;
}

describe('restore testing runs', () => {
  test('at its time a plan restores the newest point into a scratch directory, validates it and deletes it', async () => {
    const { endpoint, dir } = server();
    for (const [name, files] of [
      ['docs', { 'a.txt': 'alpha\n', 'sub/b.txt': 'bravo bravo\n' }],
      ['media', { 'c.bin': 'x'.repeat(5000) }],
    ] as const) {
      for (const [file, body] of Object.entries(files)) {
        await mkdir(dirname(join(dir, name, file)), { recursive: true });
        await writeFile(join(dir, name, file), body);
      }
    }
    const client = sdk(endpoint, keysOf(ALPHA));
    await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'main' }));
    await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'archive' }));
    await backupAndWait(client, 'main', DOCS, ROLE);
    await advance(endpoint, 'PT1H');
    await writeFile(join(dir, 'docs', 'c.txt'), 'charlie\n');
    const newest = await backupAndWait(client, 'main', DOCS, ROLE);
    await backupAndWait(client, 'archive', MEDIA, ROLE);

    const daily = await plan(client, 'daily_docs', {});
    await client.send(
      new CreateRestoreTestingSelectionCommand({
        RestoreTestingPlanName: 'daily_docs',
        RestoreTestingSelection: { RestoreTestingSelectionName: 'docs', ProtectedResourceType: 'EFS', IamRoleArn: ROLE, ProtectedResourceArns: [DOCS] },
      }),
    );
    // By tag, kept for a validation window, and with the archive vault left out: only docs' points qualify.
    const windowed = await plan(client, 'gold_kept', {
      Algorithm: 'RANDOM_WITHIN_WINDOW',
      ExcludeVaults: [`arn:aws:backup:us-east-1:${ALPHA.accountId}:backup-vault:archive`],
    });
    await client.send(
      new CreateRestoreTestingSelectionCommand({
        RestoreTestingPlanName: 'gold_kept',
        RestoreTestingSelection: {
          RestoreTestingSelectionName: 'gold',
          ProtectedResourceType: 'EFS',
          IamRoleArn: ROLE,
          ProtectedResourceArns: ['*'],
          ProtectedResourceConditions: { StringNotEquals: [{ Key: 'aws:ResourceTag/tier', Value: 'bronze' }] },
          ValidationWindowHours: 2,
        },
      }),
    );
    assert.deepEqual(await testJobs(client, daily), [], 'nothing before the schedule');

    await advance(endpoint, 'PT3H'); // 04:00: both plans ran at 03:00
    const [job] = await testJobs(client, daily);
    assert.ok(job, 'the daily plan started a restore job');
    assert.equal((await testJobs(client, daily)).length, 1);
    assert.equal(job.Status, 'COMPLETED', job.StatusMessage);
    assert.equal(job.RecoveryPointArn, newest.rpArn, 'LATEST_WITHIN_WINDOW takes the newest point');
    assert.equal(job.SourceResourceArn, DOCS);
    assert.deepEqual(job.CreatedBy, { RestoreTestingPlanArn: daily });
    assert.equal(job.ValidationStatus, 'SUCCESSFUL', job.ValidationStatusMessage);
    assert.match(job.ValidationStatusMessage!, /holds the recovery point's 3 files \(26 bytes\)/);
    assert.equal(job.DeletionStatus, 'SUCCESSFUL', job.DeletionStatusMessage);
    const scratch = job.CreatedResourceArn!.slice('file:'.length);
    assert.match(scratch, /docs-restore-test-[0-9a-f]{8}$/);
    assert.equal(await exists(scratch), false, 'the scratch directory is gone');
    assert.match(job.DeletionStatusMessage!, /was deleted/);
    const got = (await client.send(new GetRestoreTestingPlanCommand({ RestoreTestingPlanName: 'daily_docs' }))).RestoreTestingPlan!;
    assert.equal(got.LastExecutionTime?.toISOString(), '2027-03-01T03:00:00.000Z');

    const kept = await testJobs(client, windowed);
    assert.deepEqual(
      kept.map((j) => j.SourceResourceArn),
      [DOCS],
      'the tag condition leaves media out',
    );
    assert.equal(kept[0]!.Status, 'COMPLETED', kept[0]!.StatusMessage);
    assert.equal(kept[0]!.ValidationStatus, 'SUCCESSFUL');
    assert.equal(kept[0]!.DeletionStatus, undefined, 'kept for its validation window');
    const keptPath = kept[0]!.CreatedResourceArn!.slice('file:'.length);
    // RANDOM_WITHIN_WINDOW: either of docs' two points (the older one lacks c.txt).
    assert.deepEqual((await readdir(keptPath)).sort(), kept[0]!.RecoveryPointArn === newest.rpArn ? ['a.txt', 'c.txt', 'sub'] : ['a.txt', 'sub']);
    // The caller's own validation says it is still at work: at the window's end it times out.
    await client.send(
      new PutRestoreValidationResultCommand({
        RestoreJobId: kept[0]!.RestoreJobId!,
        ValidationStatus: 'VALIDATING',
        ValidationStatusMessage: 'app checks running',
      }),
    );
    await advance(endpoint, 'PT2H');
    const [ended] = await testJobs(client, windowed);
    assert.equal(ended!.ValidationStatus, 'TIMED_OUT');
    assert.equal(ended!.DeletionStatus, 'SUCCESSFUL', ended!.DeletionStatusMessage);
    assert.equal(await exists(keptPath), false);

    // Jobs of one plan only; an ordinary restore job is in neither list.
    const all = (await client.send(new ListRestoreJobsCommand({}))).RestoreJobs!;
    assert.equal(all.length, 2);
    assert.deepEqual(await testJobs(client, `${daily.slice(0, -4)}0000`), []);

    // The next day runs again: one more job for the daily plan.
    await advance(endpoint, 'P1D');
    assert.equal((await testJobs(client, daily)).length, 2);
  });
});
