/**
 * Restore testing of DynamoDB tables and S3 buckets through the real `coffer serve` on the
 * manual clock, against a moto server: at the plan's time each resource's newest recovery point
 * is restored into a scratch table / bucket on the same endpoint, its items or objects counted
 * against the recovery point, and the scratch table / bucket deleted.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBackupVaultCommand,
  CreateRestoreTestingPlanCommand,
  CreateRestoreTestingSelectionCommand,
  ListRestoreJobsCommand,
} from '@aws-sdk/client-backup';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, ListBucketsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startMoto } from '../connectors/support/moto-server.js';
import type { MotoServer } from '../connectors/support/moto-server.js';
import { ALPHA, ALPHA_CONFIG_HEAD } from './support/accounts.js';
import { keysOf, sdk } from './support/clients.js';
import { BACKUP_ROLE, backupAndWait } from './support/jobs.js';
import { useCoffer } from './support/server-fixture.js';

const ACCESS_KEY_ID = 'AKIACOFFERRTMOTOTEST';
const SECRET = 'rt-secret-that-must-never-show-4711';
process.env['COFFER_TEST_RT_SECRET'] = SECRET;
const ROLE = BACKUP_ROLE(ALPHA.accountId);
const TABLE_ARN = `arn:aws:dynamodb:us-east-1:${ALPHA.accountId}:table/rt-orders`;
const BUCKET_ARN = 'arn:aws:s3:::rt-photos';

let moto: MotoServer;
let dynamo: DynamoDBClient;
let s3: S3Client;

async function setUp(): Promise<void> {
  moto = await startMoto();
  const credentials = { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET };
  dynamo = new DynamoDBClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials });
  s3 = new S3Client({ endpoint: moto.endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
  delete process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'];
  await dynamo.send(
    new CreateTableCommand({
      TableName: 'rt-orders',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  for (let i = 0; i < 25; i++) await dynamo.send(new PutItemCommand({ TableName: 'rt-orders', Item: { id: { S: `order-${i}` }, n: { N: String(i) } } }));
  await s3.send(new CreateBucketCommand({ Bucket: 'rt-photos' }));
  for (let i = 0; i < 7; i++) await s3.send(new PutObjectCommand({ Bucket: 'rt-photos', Key: `albums/p-${i}.jpg`, Body: Buffer.from(`photo ${i}`) }));
}
const ready = setUp();
before(() => ready);
after(async () => {
  dynamo?.destroy();
  s3?.destroy();
  await moto?.stop();
});

const server = useCoffer({
  yaml: async () => (
    await ready,
    `${ALPHA_CONFIG_HEAD}resources:
  - arn: "${TABLE_ARN}"
    endpoint: ${moto.endpoint}
    accessKeyId: ${ACCESS_KEY_ID}
    secretAccessKeyEnv: COFFER_TEST_RT_SECRET
  - arn: "${BUCKET_ARN}"
    account: "${ALPHA.accountId}"
    region: us-east-1
    endpoint: ${moto.endpoint}
    accessKeyId: ${ACCESS_KEY_ID}
    secretAccessKeyEnv: COFFER_TEST_RT_SECRET
`
  ),
  args: ['--clock', 'manual', '--clock-start', '2027-07-01T00:00:00Z'],
});

test('tables and buckets: restored into scratch ones, counted, deleted', async () => {
  const { endpoint } = server();
  const client = sdk(endpoint, keysOf(ALPHA));
  await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'cloud' }));
  await backupAndWait(client, 'cloud', TABLE_ARN, ROLE);
  await backupAndWait(client, 'cloud', BUCKET_ARN, ROLE);
  const plan = await client.send(
    new CreateRestoreTestingPlanCommand({
      RestoreTestingPlan: {
        RestoreTestingPlanName: 'cloud_nightly',
        ScheduleExpression: 'cron(0 2 ? * * *)',
        RecoveryPointSelection: { Algorithm: 'LATEST_WITHIN_WINDOW', IncludeVaults: ['*'], RecoveryPointTypes: ['SNAPSHOT'] },
      },
    }),
  );
  for (const [name, type, arn] of [
    ['tables', 'DynamoDB', TABLE_ARN],
    ['buckets', 'S3', BUCKET_ARN],
  ] as const) {
    await client.send(
      new CreateRestoreTestingSelectionCommand({
        RestoreTestingPlanName: 'cloud_nightly',
        RestoreTestingSelection: { RestoreTestingSelectionName: name, ProtectedResourceType: type, IamRoleArn: ROLE, ProtectedResourceArns: [arn] },
      }),
    );
  }
  const moved = await fetch(`${endpoint}/_coffer/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advance: 'PT3H' }),
  });
  assert.equal(moved.status, 200, await moved.text());

  const jobs = (await client.send(new ListRestoreJobsCommand({ ByRestoreTestingPlanArn: plan.RestoreTestingPlanArn! }))).RestoreJobs!;
  const byType = new Map(jobs.map((j) => [j.ResourceType, j]));
  const table = byType.get('DynamoDB')!;
  assert.equal(table.Status, 'COMPLETED', table.StatusMessage);
  assert.equal(table.ValidationStatus, 'SUCCESSFUL', table.ValidationStatusMessage);
  assert.match(table.ValidationStatusMessage!, /^Table rt-orders-restore-test-[0-9a-f]{8} holds the recovery point's 25 items\.$/);
  assert.equal(table.DeletionStatus, 'SUCCESSFUL', table.DeletionStatusMessage);
  const bucket = byType.get('S3')!;
  assert.equal(bucket.Status, 'COMPLETED', bucket.StatusMessage);
  assert.equal(bucket.ValidationStatus, 'SUCCESSFUL', bucket.ValidationStatusMessage);
  assert.match(bucket.ValidationStatusMessage!, /^s3:\/\/rt-photos-restore-test-[0-9a-f]{8}\/ holds the recovery point's 7 objects\.$/);
  assert.equal(bucket.DeletionStatus, 'SUCCESSFUL', bucket.DeletionStatusMessage);
  assert.match(bucket.DeletionStatusMessage!, /and its 7 objects were deleted/);

  assert.deepEqual((await dynamo.send(new ListTablesCommand({}))).TableNames, ['rt-orders'], 'the scratch table is gone');
  assert.deepEqual(
    (await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name),
    ['rt-photos'],
    'the scratch bucket is gone',
  );
});
