/**
 * A rule's IndexActions on the manual clock: the plan keeps them (GetBackupPlan), refuses a
 * resource type that cannot be indexed, and the recovery point its scheduled backup makes is
 * indexed without being asked (ListIndexedRecoveryPoints shows it ACTIVE).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateBackupPlanCommand,
  CreateBackupSelectionCommand,
  CreateBackupVaultCommand,
  GetBackupPlanCommand,
  ListIndexedRecoveryPointsCommand,
  ListRecoveryPointsByBackupVaultCommand,
} from '@aws-sdk/client-backup';
import { ALPHA, ALPHA_CONFIG_HEAD } from './support/accounts.js';
import { keysOf, sdk } from './support/clients.js';
import { BACKUP_ROLE, waitFor } from './support/jobs.js';
import { useCoffer } from './support/server-fixture.js';

const START = new Date('2027-01-01T00:00:00Z');
const RESOURCE_ARN = `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-daily`;

const server = useCoffer({
  yaml: `${ALPHA_CONFIG_HEAD}resources:
  - { arn: "${RESOURCE_ARN}", path: ./daily }
`,
  args: ['--clock', 'manual', '--clock-start', START.toISOString()],
});

describe("a rule's IndexActions", () => {
  test('the scheduled backup of a directory is indexed without being asked', async () => {
    const { endpoint, dir } = server();
    await mkdir(join(dir, 'daily', 'sub'), { recursive: true });
    await writeFile(join(dir, 'daily', 'a.txt'), 'a');
    await writeFile(join(dir, 'daily', 'sub', 'b.txt'), 'b');
    const client = sdk(endpoint, keysOf(ALPHA));
    await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'daily' }));
    const refused = await client
      .send(
        new CreateBackupPlanCommand({
          BackupPlan: {
            BackupPlanName: 'bad-index',
            Rules: [{ RuleName: 'r', TargetBackupVaultName: 'daily', IndexActions: [{ ResourceTypes: ['RDS' as 'S3'] }] }],
          },
        }),
      )
      .catch((e: Error) => e);
    assert.ok(refused instanceof Error);
    assert.match(refused.message, /IndexActions\[0\]\.ResourceTypes\[0\].*an index action names S3 \(bucket backups\) or EBS/);

    const plan = await client.send(
      new CreateBackupPlanCommand({
        BackupPlan: {
          BackupPlanName: 'indexed-daily',
          Rules: [
            {
              RuleName: 'daily',
              TargetBackupVaultName: 'daily',
              ScheduleExpression: 'cron(0 5 * * ? *)',
              StartWindowMinutes: 60,
              IndexActions: [{ ResourceTypes: ['EBS'] }],
            },
          ],
        },
      }),
    );
    const got = await client.send(new GetBackupPlanCommand({ BackupPlanId: plan.BackupPlanId! }));
    assert.deepEqual(got.BackupPlan?.Rules?.[0]?.IndexActions, [{ ResourceTypes: ['EBS'] }]);
    await client.send(
      new CreateBackupSelectionCommand({
        BackupPlanId: plan.BackupPlanId!,
        BackupSelection: { SelectionName: 'one', IamRoleArn: BACKUP_ROLE(ALPHA.accountId), Resources: [RESOURCE_ARN] },
      }),
    );
    const advanced = await fetch(`${endpoint}/_coffer/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advance: 'PT6H' }),
    });
    assert.equal(advanced.status, 200, await advanced.text());
    const points = (await client.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'daily' }))).RecoveryPoints ?? [];
    assert.equal(points.length, 1, JSON.stringify(points));
    const indexed = await waitFor(
      'the ACTIVE index',
      async () => (await client.send(new ListIndexedRecoveryPointsCommand({}))).IndexedRecoveryPoints ?? [],
      (list) => list.length === 1 && list[0]!.IndexStatus === 'ACTIVE',
      60_000,
    );
    assert.equal(indexed[0]!.RecoveryPointArn, points[0]!.RecoveryPointArn);
    assert.equal(indexed[0]!.IamRoleArn, BACKUP_ROLE(ALPHA.accountId));
  });
});
