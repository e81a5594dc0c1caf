/**
 * Recovery point indexes through the real `coffer serve`: a directory backup is indexed on
 * request (PENDING, then ACTIVE with every file counted), DescribeRecoveryPoint and
 * ListIndexedRecoveryPoints show it (every filter), the vault's subscriber hears
 * RECOVERY_POINT_INDEX_COMPLETED and, once disabled, RECOVERY_POINT_INDEX_DELETED; asking twice
 * changes nothing; a missing index and a missing point answer AWS's errors (also through the AWS CLI).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateBackupVaultCommand,
  DescribeRecoveryPointCommand,
  GetRecoveryPointIndexDetailsCommand,
  ListIndexedRecoveryPointsCommand,
  PutBackupVaultNotificationsCommand,
  UpdateRecoveryPointIndexSettingsCommand,
} from '@aws-sdk/client-backup';
import { startHttpReceiver } from '../notifications/support/receivers.js';
import type { HttpReceiver } from '../notifications/support/receivers.js';
import { ALPHA, ALPHA_CONFIG_HEAD } from './support/accounts.js';
import { awsCli, keysOf, sdk, signedRequest } from './support/clients.js';
import { BACKUP_ROLE, backupAndWait, waitFor } from './support/jobs.js';
import { useCoffer } from './support/server-fixture.js';

const RESOURCE_ARN = `arn:aws:elasticfilesystem:us-east-1:${ALPHA.accountId}:file-system/fs-indexed`;
const TOPIC = `arn:aws:sns:us-east-1:${ALPHA.accountId}:index-events`;
const alpha = keysOf(ALPHA);

let receiver: HttpReceiver;
before(async () => {
  receiver = await startHttpReceiver();
});
after(() => receiver.close());

const server = useCoffer({
  yaml: () => `${ALPHA_CONFIG_HEAD}resources:
  - { arn: "${RESOURCE_ARN}", path: ./source }
notifications:
  topics:
    - { arn: "${TOPIC}", subscribers: ["${receiver.url}"] }
`,
});

describe('recovery point indexes', () => {
  test('a directory recovery point is indexed, listed, announced and removed', async () => {
    const { endpoint, dir } = server();
    for (const sub of ['docs', 'docs/2026', 'img']) await mkdir(join(dir, 'source', sub), { recursive: true });
    const files = ['docs/a.txt', 'docs/2026/report.pdf', 'img/logo.png', 'readme.md'];
    for (const f of files) await writeFile(join(dir, 'source', f), `content of ${f}\n`);
    const client = sdk(endpoint, alpha);
    await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'indexed' }));
    await client.send(
      new PutBackupVaultNotificationsCommand({
        BackupVaultName: 'indexed',
        SNSTopicArn: TOPIC,
        BackupVaultEvents: ['RECOVERY_POINT_INDEX_COMPLETED', 'RECOVERY_POINT_INDEX_DELETED', 'RECOVERY_POINT_INDEXING_FAILED'],
      }),
    );
    const { rpArn } = await backupAndWait(client, 'indexed', RESOURCE_ARN, BACKUP_ROLE(ALPHA.accountId));

    const missing = await client.send(new GetRecoveryPointIndexDetailsCommand({ BackupVaultName: 'indexed', RecoveryPointArn: rpArn })).catch((e: Error) => e);
    assert.ok(missing instanceof Error && missing.name === 'ResourceNotFoundException', String(missing));
    assert.match(missing.message, /has no index; create one with UpdateRecoveryPointIndexSettings \(Index ENABLED\)/);

    const asked = await client.send(
      new UpdateRecoveryPointIndexSettingsCommand({
        BackupVaultName: 'indexed',
        RecoveryPointArn: rpArn,
        Index: 'ENABLED',
        IamRoleArn: BACKUP_ROLE(ALPHA.accountId),
      }),
    );
    assert.equal(asked.Index, 'ENABLED');
    assert.ok(asked.IndexStatus === 'PENDING' || asked.IndexStatus === 'ACTIVE', asked.IndexStatus);

    const details = await waitFor(
      'an ACTIVE index',
      () => client.send(new GetRecoveryPointIndexDetailsCommand({ BackupVaultName: 'indexed', RecoveryPointArn: rpArn })),
      (d) => d.IndexStatus !== 'PENDING',
      60_000,
    );
    assert.equal(details.IndexStatus, 'ACTIVE', details.IndexStatusMessage);
    assert.equal(details.TotalItemsIndexed, files.length);
    assert.equal(details.SourceResourceArn, RESOURCE_ARN);
    assert.ok(details.IndexCompletionDate instanceof Date && details.IndexCreationDate instanceof Date);
    assert.match(details.BackupVaultArn ?? '', /:backup-vault:indexed$/);

    // Asking again while ACTIVE changes nothing.
    const again = await client.send(new UpdateRecoveryPointIndexSettingsCommand({ BackupVaultName: 'indexed', RecoveryPointArn: rpArn, Index: 'ENABLED' }));
    assert.equal(again.IndexStatus, 'ACTIVE');

    const described = await client.send(new DescribeRecoveryPointCommand({ BackupVaultName: 'indexed', RecoveryPointArn: rpArn }));
    assert.equal(described.IndexStatus, 'ACTIVE');

    const list = async (filter: Record<string, unknown>) => (await client.send(new ListIndexedRecoveryPointsCommand(filter))).IndexedRecoveryPoints ?? [];
    const all = await list({});
    assert.deepEqual(
      all.map((p) => [p.RecoveryPointArn, p.ResourceType, p.IndexStatus, p.SourceResourceArn, p.IamRoleArn]),
      [[rpArn, 'EFS', 'ACTIVE', RESOURCE_ARN, BACKUP_ROLE(ALPHA.accountId)]],
    );
    const created = all[0]!.BackupCreationDate!;
    for (const [filter, n] of [
      [{ SourceResourceArn: RESOURCE_ARN }, 1],
      [{ SourceResourceArn: `${RESOURCE_ARN}-other` }, 0],
      [{ ResourceType: 'EFS' }, 1],
      [{ ResourceType: 'S3' }, 0],
      [{ IndexStatus: 'ACTIVE' }, 1],
      [{ IndexStatus: 'PENDING' }, 0],
      [{ CreatedAfter: new Date(created.getTime() - 1000) }, 1],
      [{ CreatedAfter: new Date(created.getTime() + 1000) }, 0],
      [{ CreatedBefore: new Date(created.getTime() + 1000) }, 1],
      [{ CreatedBefore: new Date(created.getTime() - 1000) }, 0],
    ] as const) {
      assert.equal((await list(filter)).length, n, JSON.stringify(filter));
    }

    const completed = await waitFor(
      'the index notification',
      async () => receiver.posts,
      (posts) => posts.some((p) => (p.body['MessageAttributes'] as Record<string, { Value: string }>)['EventType']?.Value === 'RECOVERY_POINT_INDEX'),
      30_000,
    );
    const post = completed.find((p) => (p.body['MessageAttributes'] as Record<string, { Value: string }>)['EventType']?.Value === 'RECOVERY_POINT_INDEX')!;
    assert.equal(
      String(post.body['Message']),
      `A recovery point index was created; it holds 4 items. Recovery point ARN: ${rpArn}. Resource ARN : ${RESOURCE_ARN}. Backup vault : indexed`,
    );

    // The AWS CLI speaks the same operations.
    const cliList = await awsCli(endpoint, alpha, ['backup', 'list-indexed-recovery-points', '--index-status', 'ACTIVE']);
    assert.equal(cliList.status, 0, cliList.stderr);
    assert.match(cliList.stdout, new RegExp(rpArn));

    const disabled = await client.send(new UpdateRecoveryPointIndexSettingsCommand({ BackupVaultName: 'indexed', RecoveryPointArn: rpArn, Index: 'DISABLED' }));
    assert.equal(disabled.IndexStatus, 'DELETING');
    assert.equal((await list({})).length, 0);
    const deliveries = await waitFor(
      'the deletion delivered',
      async () => {
        const res = await signedRequest(endpoint, alpha, { method: 'GET', path: '/_coffer/notifications', query: { vaultName: 'indexed' } });
        return res.json['Deliveries'] as { State: string; EventType: string }[];
      },
      (d) => d.filter((x) => x.State === 'DELIVERED').length === 2,
      30_000,
    );
    assert.deepEqual(deliveries.map((d) => d.EventType).sort(), ['RECOVERY_POINT_INDEX_COMPLETED', 'RECOVERY_POINT_INDEX_DELETED']);
    const twice = await client
      .send(new UpdateRecoveryPointIndexSettingsCommand({ BackupVaultName: 'indexed', RecoveryPointArn: rpArn, Index: 'DISABLED' }))
      .catch((e: Error) => e);
    assert.ok(twice instanceof Error && twice.name === 'ResourceNotFoundException', String(twice));

    const cliMissing = await awsCli(endpoint, alpha, [
      'backup',
      'update-recovery-point-index-settings',
      '--backup-vault-name',
      'indexed',
      '--recovery-point-arn',
      `${rpArn.slice(0, -4)}beef`,
      '--index',
      'ENABLED',
    ]);
    assert.notEqual(cliMissing.status, 0);
    assert.match(cliMissing.stderr, /ResourceNotFoundException/);
  });
});
