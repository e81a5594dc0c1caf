/**
 * A plan may name vaults that do not exist yet, as with AWS (infrastructure code creates plans
 * and vaults in any order): CreateBackupPlan accepts a rule whose target vault and copy
 * destination are missing; the preflight names both; a run while the target is missing makes a
 * FAILED job with the preflight's message word for word; once the vault exists the next run
 * backs up (manual clock).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateBackupPlanCommand, CreateBackupSelectionCommand, CreateBackupVaultCommand, ListBackupJobsCommand } from '@aws-sdk/client-backup';
import type { PreflightCheck, PreflightReport } from '../../src/backup/preflight.js';
import { ALPHA, ALPHA_CONFIG_HEAD } from './support/accounts.js';
import { keysOf, sdk, signedRequest } from './support/clients.js';
import { BACKUP_ROLE, waitFor } from './support/jobs.js';
import { useCoffer } from './support/server-fixture.js';

const A = ALPHA.accountId;
const FS = `arn:aws:elasticfilesystem:us-east-1:${A}:file-system/fs-later`;
const LATER = `arn:aws:backup:us-east-1:${A}:backup-vault:later-copies`;

const server = useCoffer({
  yaml: `${ALPHA_CONFIG_HEAD}resources:\n  - { arn: "${FS}", path: ./source }\n`,
  args: ['--clock', 'manual', '--clock-start', '2027-03-01T00:00:00Z'],
});

async function moveClock(set: string): Promise<void> {
  const response = await fetch(`${server().endpoint}/_coffer/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ set }),
  });
  assert.equal(response.status, 200, await response.text());
}

test('accepted with missing vaults; the preflight names them; the run fails saying so; with the vault, it backs up', async () => {
  const { endpoint, dir } = server();
  await mkdir(join(dir, 'source'), { recursive: true });
  await writeFile(join(dir, 'source', 'a.txt'), 'later\n');
  const client = sdk(endpoint, keysOf(ALPHA));
  const plan = await client.send(
    new CreateBackupPlanCommand({
      BackupPlan: {
        BackupPlanName: 'vaults-later',
        Rules: [
          { RuleName: 'daily', TargetBackupVaultName: 'later', ScheduleExpression: 'cron(0 5 ? * * *)', CopyActions: [{ DestinationBackupVaultArn: LATER }] },
        ],
      },
    }),
  );
  assert.ok(plan.BackupPlanId, 'CreateBackupPlan accepts a rule whose vaults do not exist yet');
  await client.send(
    new CreateBackupSelectionCommand({
      BackupPlanId: plan.BackupPlanId!,
      BackupSelection: { SelectionName: 'fs', IamRoleArn: BACKUP_ROLE(A), Resources: [FS] },
    }),
  );

  const answer = await signedRequest(endpoint, keysOf(ALPHA), { method: 'GET', path: `/_coffer/plans/${plan.BackupPlanId}/preflight` });
  assert.equal(answer.status, 200, JSON.stringify(answer.json));
  const failed = (answer.json as unknown as PreflightReport).checks.filter((c: PreflightCheck) => !c.passed && c.warning !== true);
  const target = failed.find((c) => c.check === 'target-vault');
  assert.match(target?.message ?? '', /Backup vault later of rule daily does not exist/);
  assert.match(target?.fix ?? '', /create-backup-vault --backup-vault-name later/);
  assert.match(failed.find((c) => c.check === 'destination-vault')?.message ?? '', new RegExp(`Destination backup vault ${LATER} does not exist`));

  await moveClock('2027-03-01T05:00:00Z');
  const [job] = (await client.send(new ListBackupJobsCommand({ ByBackupVaultName: 'later' }))).BackupJobs ?? [];
  assert.equal(job?.State, 'FAILED');
  assert.equal(job?.StatusMessage, target?.message, "the preflight predicted the job's message");
  assert.equal(job?.MessageCategory, 'RESOURCE_NOT_FOUND');

  await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'later' }));
  await moveClock('2027-03-02T05:00:00Z');
  const done = await waitFor(
    'the next run',
    async () =>
      (await client.send(new ListBackupJobsCommand({ ByBackupVaultName: 'later', ByCreatedAfter: new Date('2027-03-02T00:00:00Z') }))).BackupJobs ?? [],
    (jobs) => jobs.length === 1 && !['CREATED', 'PENDING', 'RUNNING'].includes(jobs[0]!.State ?? ''),
  );
  assert.equal(done[0]!.State, 'COMPLETED', done[0]!.StatusMessage);
});
