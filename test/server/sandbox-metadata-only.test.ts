/**
 * Sandbox mode's metadata-only recovery points: StartBackupJob on resources the config does not
 * name (made-up tables and databases, as infrastructure tests use) completes with a clearly
 * marked point (StatusMessage, CofferMetadataOnly restore metadata) that is copied to another
 * region, restored (creating nothing, saying so) and expired by its lifecycle like any other.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBackupVaultCommand,
  DescribeCopyJobCommand,
  DescribeRecoveryPointCommand,
  GetRecoveryPointRestoreMetadataCommand,
  ListRecoveryPointsByBackupVaultCommand,
  StartCopyJobCommand,
} from '@aws-sdk/client-backup';
import { sdk } from './support/clients.js';
import { BACKUP_ROLE, backupAndWait, restoreAndWait, waitFor } from './support/jobs.js';
import { useCoffer } from './support/server-fixture.js';

const server = useCoffer({ args: ['--sandbox', '--clock', 'manual', '--clock-start', '2027-05-01T00:00:00Z'] });
const anyone = { accessKeyId: 'AKIAANYTHINGGOES0002', secretAccessKey: 'test' };
const SANDBOX = '000000000000';
const ROLE = BACKUP_ROLE(SANDBOX);

test('made-up resources back up as metadata-only points that copy, restore and expire', async () => {
  const { endpoint } = server();
  const client = sdk(endpoint, anyone);
  const dr = sdk(endpoint, anyone, 'eu-west-1');
  await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'ci' }));
  await dr.send(new CreateBackupVaultCommand({ BackupVaultName: 'ci-dr' }));

  for (const arn of [`arn:aws:dynamodb:us-east-1:${SANDBOX}:table/made-up-orders`, `arn:aws:rds:us-east-1:${SANDBOX}:db:made-up-db`]) {
    const { rpArn, job } = await backupAndWait(client, 'ci', arn, ROLE);
    assert.match(job.StatusMessage ?? '', /metadata-only recovery point \(CofferMetadataOnly\); no data was read/);
    const point = await client.send(new DescribeRecoveryPointCommand({ BackupVaultName: 'ci', RecoveryPointArn: rpArn }));
    assert.equal(point.Status, 'COMPLETED');
    assert.equal(point.ResourceArn, arn);
    const metadata = await client.send(new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: 'ci', RecoveryPointArn: rpArn }));
    assert.deepEqual(metadata.RestoreMetadata, { CofferMetadataOnly: 'true', SourceResourceArn: arn });

    const restored = await restoreAndWait(client, rpArn, ROLE, {});
    assert.equal(restored.Status, 'COMPLETED', restored.StatusMessage);
    assert.match(restored.StatusMessage ?? '', /metadata-only \(CofferMetadataOnly\), so nothing was restored/);
    assert.equal(restored.CreatedResourceArn, undefined);
  }

  const [point] = (await client.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'ci' }))).RecoveryPoints!;
  const copy = await client.send(
    new StartCopyJobCommand({
      RecoveryPointArn: point!.RecoveryPointArn!,
      SourceBackupVaultName: 'ci',
      DestinationBackupVaultArn: `arn:aws:backup:eu-west-1:${SANDBOX}:backup-vault:ci-dr`,
      IamRoleArn: ROLE,
      Lifecycle: { DeleteAfterDays: 1 },
    }),
  );
  const copied = await waitFor(
    'copy job',
    () => client.send(new DescribeCopyJobCommand({ CopyJobId: copy.CopyJobId! })),
    (j) => ['COMPLETED', 'FAILED'].includes(j.CopyJob?.State ?? ''),
  );
  assert.equal(copied.CopyJob?.State, 'COMPLETED', copied.CopyJob?.StatusMessage);
  const copies = (await dr.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'ci-dr' }))).RecoveryPoints!;
  assert.equal(copies.length, 1);
  const copyMetadata = await dr.send(new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: 'ci-dr', RecoveryPointArn: copies[0]!.RecoveryPointArn! }));
  assert.equal(copyMetadata.RestoreMetadata?.['CofferMetadataOnly'], 'true', 'the copy is marked too');

  // Its lifecycle expires it like any other point.
  const moved = await fetch(`${endpoint}/_coffer/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advance: 'P2D' }),
  });
  assert.equal(moved.status, 200, await moved.text());
  assert.deepEqual((await dr.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'ci-dr' }))).RecoveryPoints, []);
});
