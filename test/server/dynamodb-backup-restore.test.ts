/**
 * Backup and restore of DynamoDB tables through the real `coffer serve`, driven by the AWS SDK,
 * against a moto server: a configured table (secret access key from an environment variable)
 * and a discovery entry for every table of the endpoint (secret from a file); StartBackupJob,
 * the restore metadata with its defaults, refused metadata keys, restores into new tables
 * compared item for item, a refused restore over an existing table, a backup of an unreachable
 * endpoint that fails saying so; the endpoint's secret appears in no API answer and no server
 * output.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBackupVaultCommand,
  DescribeBackupJobCommand,
  DescribeRecoveryPointCommand,
  GetRecoveryPointRestoreMetadataCommand,
  StartBackupJobCommand,
} from '@aws-sdk/client-backup';
import { BatchWriteItemCommand, CreateTableCommand, DescribeTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { startMoto } from '../connectors/support/moto-server.js';
import type { MotoServer } from '../connectors/support/moto-server.js';
import { ALPHA, ALPHA_CONFIG_HEAD } from './support/accounts.js';
import { keysOf, sdk } from './support/clients.js';
import { assertRestoreRefused, BACKUP_ROLE, backupAndWait, restoreAndWait, waitFor } from './support/jobs.js';
import { useCoffer } from './support/server-fixture.js';

const ACCESS_KEY_ID = 'AKIACOFFERDYNAMOTEST';
const SECRET = 'dynamodb-secret-that-must-never-show-4711';
process.env['COFFER_TEST_DYNAMODB_SECRET'] = SECRET;
const ROLE = BACKUP_ROLE(ALPHA.accountId);
const tableArn = (table: string): string => `arn:aws:dynamodb:us-east-1:${ALPHA.accountId}:table/${table}`;
const alpha = keysOf(ALPHA);

let moto: MotoServer;
let dynamo: DynamoDBClient;
let secretDir: string;

/** Moto with the source tables, and the secret file; the server's config is written after it. */
async function setUp(): Promise<void> {
  moto = await startMoto();
  dynamo = new DynamoDBClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET } });
  // support/clients.ts turns the SDK's NodeVersionSupportWarning off for this process (the
  // clients above have seen that); the server must not show it either, without being told to.
  delete process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'];
  secretDir = await mkdtemp(join(tmpdir(), 'coffer-dynamodb-secret-'));
  await writeFile(join(secretDir, 'moto.secret'), `${SECRET}\n`, { mode: 0o600 });
  await createTable('orders', 300, true);
  await createTable('inventory', 40, false);
}
const ready = setUp();
before(() => ready);
after(async () => {
  dynamo?.destroy();
  await moto?.stop();
  if (secretDir !== undefined) await rm(secretDir, { recursive: true, force: true });
});

const server = useCoffer({
  yaml: async () => (
    await ready,
    `${ALPHA_CONFIG_HEAD}resources:
  - arn: "${tableArn('orders')}"
    endpoint: ${moto.endpoint}
    accessKeyId: ${ACCESS_KEY_ID}
    secretAccessKeyEnv: COFFER_TEST_DYNAMODB_SECRET
    tags: { backup: daily }
  - arn: "${tableArn('unreachable')}"
    endpoint: http://127.0.0.1:1
    accessKeyId: ${ACCESS_KEY_ID}
    secretAccessKeyEnv: COFFER_TEST_DYNAMODB_SECRET
  - discover:
      name: moto-tables
      type: DynamoDB
      endpoint: ${moto.endpoint}
      accessKeyId: ${ACCESS_KEY_ID}
      secretAccessKeyFile: ${join(secretDir, 'moto.secret')}
      account: "${ALPHA.accountId}"
      region: us-east-1
`
  ),
});

function item(i: number): Record<string, AttributeValue> {
  return {
    pk: { S: `customer-${i % 17}` },
    sk: { N: String(i) },
    status: { S: i % 3 === 0 ? 'shipped' : 'open' },
    total: { N: `${i}.${String(i * 7).padStart(2, '0')}` },
    huge: { N: '12345678901234567890123456789012345678' },
    note: { S: `Zoë ${i} 東京 "quoted" \\ \n` },
    blob: { B: new Uint8Array([i % 256, 0, 255]) },
    tags: { SS: [`t${i % 5}`, 'all'] },
    sizes: { NS: ['1', '2.5'] },
    nested: { M: { list: { L: [{ BOOL: i % 2 === 0 }, { NULL: true }] } } },
  };
}

async function createTable(name: string, items: number, withIndex: boolean): Promise<void> {
  await dynamo.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
        ...(withIndex ? [{ AttributeName: 'status', AttributeType: 'S' as const }] : []),
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      ...(withIndex
        ? {
            GlobalSecondaryIndexes: [
              { IndexName: 'by-status', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' as const }], Projection: { ProjectionType: 'ALL' as const } },
            ],
          }
        : {}),
    }),
  );
  for (let i = 0; i < items; i += 25) {
    const batch = Array.from({ length: Math.min(25, items - i) }, (_, j) => ({ PutRequest: { Item: item(i + j) } }));
    await dynamo.send(new BatchWriteItemCommand({ RequestItems: { [name]: batch } }));
  }
}

/** Every item of a table, as sorted JSON lines (byte values included). */
async function tableItems(table: string): Promise<string[]> {
  const lines: string[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true }));
    for (const it of page.Items ?? [])
      lines.push(
        JSON.stringify(
          Object.keys(it)
            .sort()
            .map((k) => [k, it[k]]),
        ),
      );
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return lines.sort();
}

async function keyShape(table: string): Promise<unknown> {
  const { Table: t } = await dynamo.send(new DescribeTableCommand({ TableName: table }));
  return { keys: t?.KeySchema, gsis: (t?.GlobalSecondaryIndexes ?? []).map((g) => [g.IndexName, g.KeySchema, g.Projection]) };
}

describe('DynamoDB backup and restore through the AWS Backup API', () => {
  test('a configured table: back up, read its restore metadata, refuse bad keys, restore into a new table', async () => {
    const { endpoint, process: coffer } = server();
    const client = sdk(endpoint, alpha);
    await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'tables' }));

    const { rpArn, job } = await backupAndWait(client, 'tables', tableArn('orders'), ROLE);
    const point = await client.send(new DescribeRecoveryPointCommand({ BackupVaultName: 'tables', RecoveryPointArn: rpArn }));
    assert.equal(point.ResourceType, 'DynamoDB');
    assert.equal(point.ResourceArn, tableArn('orders'));
    const { RestoreMetadata: metadata = {} } = await client.send(
      new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: 'tables', RecoveryPointArn: rpArn }),
    );
    const rpId = rpArn.split(':').pop()!;
    assert.deepEqual(metadata, {
      targetTableName: `orders-restore-${rpId.slice(0, 8)}`,
      encryptionType: 'Default',
      sourceTableName: 'orders',
      itemCount: '300',
    });

    const refusals = [
      await assertRestoreRefused(client, rpArn, ROLE, { targetTableName: 'x' }, 'targetTableName'),
      await assertRestoreRefused(client, rpArn, ROLE, { encryptionType: 'Sometimes' }, 'encryptionType'),
      await assertRestoreRefused(client, rpArn, ROLE, { encryptionType: 'KMS' }, 'kmsMasterKeyArn'),
    ];

    const done = await restoreAndWait(client, rpArn, ROLE, { targetTableName: 'orders-copy' });
    assert.equal(done.Status, 'COMPLETED', done.StatusMessage);
    assert.equal(done.CreatedResourceArn, tableArn('orders-copy'));
    assert.deepEqual(await tableItems('orders-copy'), await tableItems('orders'));
    assert.deepEqual(await keyShape('orders-copy'), await keyShape('orders'));

    const refused = await restoreAndWait(client, rpArn, ROLE, { targetTableName: 'inventory' });
    assert.equal(refused.Status, 'FAILED');
    assert.match(refused.StatusMessage ?? '', /inventory/);
    assert.equal((await tableItems('inventory')).length, 40, 'the existing table is untouched');

    const started = await client.send(new StartBackupJobCommand({ BackupVaultName: 'tables', ResourceArn: tableArn('unreachable'), IamRoleArn: ROLE }));
    // The job fails (or waits for a retry within its start window) saying why.
    const failed = await waitFor(
      'backup job',
      () => client.send(new DescribeBackupJobCommand({ BackupJobId: started.BackupJobId! })),
      (j) => j.State === 'FAILED' || j.State === 'COMPLETED' || /failed/.test(j.StatusMessage ?? ''),
    );
    assert.notEqual(failed.State, 'COMPLETED');
    assert.match(failed.StatusMessage ?? '', /table unreachable: the endpoint http:\/\/127\.0\.0\.1:1 is unreachable/);

    const everything = JSON.stringify([job, point, metadata, refusals, done, refused, failed]) + coffer.stdout() + coffer.stderr();
    assert.ok(!everything.includes(SECRET), 'the secret access key shows nowhere');
  });

  test('discovery: every table of the endpoint, also one created after the server started', async () => {
    const { endpoint, process: coffer } = server();
    const client = sdk(endpoint, alpha);
    const { rpArn } = await backupAndWait(client, 'tables', tableArn('inventory'), ROLE);
    const { RestoreMetadata: metadata = {} } = await client.send(
      new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: 'tables', RecoveryPointArn: rpArn }),
    );
    assert.equal(metadata['sourceTableName'], 'inventory');
    const done = await restoreAndWait(client, rpArn, ROLE, {});
    assert.equal(done.Status, 'COMPLETED', done.StatusMessage);
    assert.equal(done.CreatedResourceArn, tableArn(metadata['targetTableName']!));
    assert.deepEqual(await tableItems(metadata['targetTableName']!), await tableItems('inventory'));

    await createTable('made-later', 3, false);
    const later = await backupAndWait(client, 'tables', tableArn('made-later'), ROLE);
    const copy = await restoreAndWait(client, later.rpArn, ROLE, { targetTableName: 'made-later-copy' });
    assert.equal(copy.Status, 'COMPLETED', copy.StatusMessage);
    assert.deepEqual(await tableItems('made-later-copy'), await tableItems('made-later'));
    assert.ok(!(JSON.stringify([metadata, done, later, copy]) + coffer.stdout() + coffer.stderr()).includes(SECRET));
    assert.equal(coffer.stderr(), '', 'nothing on stderr (no SDK warnings either)');
  });
});
