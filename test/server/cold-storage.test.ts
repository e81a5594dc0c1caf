/**
 * Cold storage on the manual clock. us-east-1 names a cold storage location, eu-west-1 does not.
 * A rule with MoveToColdStorageAfterDays 1 and DeleteAfterDays 91 backs up a directory in each.
 * Two days on: in us-east-1 the point is COLD, its snapshot is in the vault's cold repository
 * (restic lists it, `restic check --read-data` passes on both repositories) and gone from the
 * warm one; it restores byte-identical and copies into another vault; past day 91 it is deleted
 * from the cold repository. In eu-west-1 only the class changes: the data stays in the vault.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateBackupPlanCommand,
  CreateBackupSelectionCommand,
  CreateBackupVaultCommand,
  DescribeCopyJobCommand,
  DescribeRecoveryPointCommand,
  ListRecoveryPointsByBackupVaultCommand,
  StartCopyJobCommand,
} from '@aws-sdk/client-backup';
import type { BackupClient } from '@aws-sdk/client-backup';
import { resticOk } from '../support/restic.js';
import { diffDigests, digestTree } from '../support/tree-digest.js';
import { ALPHA } from './support/accounts.js';
import { keysOf, sdk } from './support/clients.js';
import { BACKUP_ROLE, restoreAndWait, waitFor } from './support/jobs.js';
import { useCoffer } from './support/server-fixture.js';
import { vaultKeyId, vaultRepoPath, writeVaultPasswordFile } from './support/vault-password.js';

const START = new Date('2027-01-01T00:00:00Z');
const ROLE = BACKUP_ROLE(ALPHA.accountId);
const EAST = { accountId: ALPHA.accountId, region: 'us-east-1' };
const WEST = { accountId: ALPHA.accountId, region: 'eu-west-1' };
const EAST_ARN = `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-cold`;
const WEST_ARN = `arn:aws:elasticfilesystem:eu-west-1:${ALPHA.accountId}:file-system/fs-class-only`;

const yaml = `listen: 127.0.0.1:0
dataDir: ./data
accounts:
  - id: "${ALPHA.accountId}"
    name: ${ALPHA.name}
    accessKeys: [{ id: ${ALPHA.accessKeyId}, secret: "${ALPHA.secretAccessKey}" }]
regions:
  - { name: us-east-1, storage: "file:./data/vaults/us-east-1", coldStorage: "file:./cold" }
  - { name: eu-west-1, storage: "file:./data/vaults/eu-west-1" }
resources:
  - { arn: "${EAST_ARN}", path: ./east }
  - { arn: "${WEST_ARN}", path: ./west }
`;

const server = useCoffer({ yaml, args: ['--clock', 'manual', '--clock-start', START.toISOString()] });

async function postClock(endpoint: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${endpoint}/_coffer/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await response.json()) as Record<string, unknown>;
  assert.equal(response.status, 200, JSON.stringify(json));
  return json;
}

/** A vault and a plan backing up `resource` once (05:00 on 1 January 2027), cold after 1 day, deleted after 91. */
async function planOnce(client: BackupClient, resource: string): Promise<void> {
  await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'archive' }));
  const plan = await client.send(
    new CreateBackupPlanCommand({
      BackupPlan: {
        BackupPlanName: 'cold-after-a-day',
        Rules: [
          {
            RuleName: 'once',
            TargetBackupVaultName: 'archive',
            ScheduleExpression: 'cron(0 5 1 1 ? 2027)',
            StartWindowMinutes: 60,
            Lifecycle: { MoveToColdStorageAfterDays: 1, DeleteAfterDays: 91 },
          },
        ],
      },
    }),
  );
  await client.send(
    new CreateBackupSelectionCommand({ BackupPlanId: plan.BackupPlanId!, BackupSelection: { SelectionName: 'one', IamRoleArn: ROLE, Resources: [resource] } }),
  );
}

async function onlyPoint(client: BackupClient) {
  const { RecoveryPoints: points = [] } = await client.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'archive' }));
  assert.equal(points.length, 1, JSON.stringify(points));
  return client.send(new DescribeRecoveryPointCommand({ BackupVaultName: 'archive', RecoveryPointArn: points[0]!.RecoveryPointArn! }));
}

const snapshotIds = (repo: string, password: string): string[] =>
  (JSON.parse(resticOk(repo, password, ['snapshots', '--json'])) as { id: string }[]).map((s) => s.id);

describe('cold storage', () => {
  test('a region with a cold location: the point moves there, restores and copies from there, and is deleted there', async () => {
    const { endpoint, dir } = server();
    const data = join(dir, 'data');
    const east = sdk(endpoint, keysOf(ALPHA), 'us-east-1');
    const west = sdk(endpoint, keysOf(ALPHA), 'eu-west-1');
    for (const side of ['east', 'west']) {
      await mkdir(join(dir, side, 'docs'), { recursive: true });
      await writeFile(join(dir, side, 'docs', 'a.txt'), `${side}: kept for 91 days\n`);
      await writeFile(join(dir, side, 'big.bin'), Buffer.alloc(3 * 1024 * 1024 + 17, side));
    }
    await planOnce(east, EAST_ARN);
    await planOnce(west, WEST_ARN);

    const report = await postClock(endpoint, { advance: 'P2D' });
    assert.equal(report['jobsCreated'], 2, JSON.stringify(report));

    // us-east-1: COLD, the snapshot in the cold repository only.
    const point = await onlyPoint(east);
    assert.equal(point.Status, 'COMPLETED', point.StatusMessage);
    assert.equal(point.StorageClass, 'COLD');
    assert.equal(point.StatusMessage, undefined);
    const keyId = vaultKeyId(data, EAST, 'archive');
    const warmRepo = vaultRepoPath(data, EAST, 'archive');
    const coldRepo = join(dir, 'cold', ALPHA.accountId, 'archive', keyId, 'repo');
    const password = await writeVaultPasswordFile(data, EAST, 'archive', join(dir, 'pw-east'));
    assert.equal(snapshotIds(coldRepo, password).length, 1, 'the cold repository holds the snapshot (same password as the warm one)');
    assert.deepEqual(snapshotIds(warmRepo, password), [], 'the warm repository no longer holds it');
    resticOk(coldRepo, password, ['check', '--read-data']);
    resticOk(warmRepo, password, ['check', '--read-data']);

    // It restores from the cold repository, byte-identical.
    const target = join(dir, 'restored');
    const restored = await restoreAndWait(east, point.RecoveryPointArn!, ROLE, { RestorePath: target });
    assert.equal(restored.Status, 'COMPLETED', restored.StatusMessage);
    assert.deepEqual(diffDigests(await digestTree(join(dir, 'east')), await digestTree(target)), []);

    // A copy job reads it from there too.
    await east.send(new CreateBackupVaultCommand({ BackupVaultName: 'copies' }));
    const copy = await east.send(
      new StartCopyJobCommand({
        RecoveryPointArn: point.RecoveryPointArn!,
        SourceBackupVaultName: 'archive',
        IamRoleArn: ROLE,
        DestinationBackupVaultArn: `arn:aws:backup:us-east-1:${ALPHA.accountId}:backup-vault:copies`,
        Lifecycle: { DeleteAfterDays: 7 },
      }),
    );
    const copied = await waitFor(
      'copy job',
      () => east.send(new DescribeCopyJobCommand({ CopyJobId: copy.CopyJobId! })),
      (r) => ['COMPLETED', 'FAILED'].includes(r.CopyJob?.State ?? ''),
    );
    assert.equal(copied.CopyJob?.State, 'COMPLETED', copied.CopyJob?.StatusMessage);

    // eu-west-1 has no cold location: only the class changed, the data stays in the vault.
    const classOnly = await onlyPoint(west);
    assert.equal(classOnly.StorageClass, 'COLD');
    const westPassword = await writeVaultPasswordFile(data, WEST, 'archive', join(dir, 'pw-west'));
    assert.equal(snapshotIds(vaultRepoPath(data, WEST, 'archive'), westPassword).length, 1);

    // Past day 91: deleted from the cold repository.
    const later = await postClock(endpoint, { advance: 'P90D' });
    assert.ok(Number(later['recoveryPointsDeleted']) >= 2, JSON.stringify(later));
    const { RecoveryPoints: left = [] } = await east.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'archive' }));
    assert.deepEqual(left, []);
    assert.deepEqual(snapshotIds(coldRepo, password), [], 'the cold snapshot was forgotten');
    resticOk(coldRepo, password, ['check', '--read-data']);
    assert.deepEqual(snapshotIds(vaultRepoPath(data, WEST, 'archive'), westPassword), []);
  });
});
