/** DynamoDB connector parts without a server: the item codec, the batch writer's retries, error words. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BatchWriteItemCommand, BatchWriteItemCommandOutput, WriteRequest } from '@aws-sdk/client-dynamodb';
import { endpointFailure } from '../../src/connectors/aws-endpoint/endpoint-error.js';
import { BatchWriter } from '../../src/connectors/dynamodb/batch-writer.js';
import { itemToLine, lineToItem } from '../../src/connectors/dynamodb/item-json.js';
import type { Item } from '../../src/connectors/dynamodb/item-json.js';
import { createTableInput, tableSchema } from '../../src/connectors/dynamodb/table-schema.js';

test('items round-trip through JSON lines exactly: numbers stay strings, binary stays bytes', () => {
  const item: Item = {
    n: { N: '12345678901234567890123456789012345678' },
    e: { N: '1E-130' },
    z: { N: '1.500' },
    b: { B: new Uint8Array([0, 255, 128]) },
    bs: { BS: [new Uint8Array([]), new Uint8Array([1])] },
    ns: { NS: ['2', '1.0'] },
    m: { M: { l: { L: [{ NULL: true }, { BOOL: false }, { SS: ['b', 'a'] }] } } },
    s: { S: 'line\nbreak' },
  };
  const line = itemToLine(item);
  assert.ok(line.endsWith('\n'));
  assert.equal(line.indexOf('\n'), line.length - 1, 'one line per item');
  assert.match(line, /"N":"12345678901234567890123456789012345678"/);
  assert.match(line, /"B":"AP\+A"/);
  assert.deepEqual(lineToItem(line, 'test'), item);
  assert.throws(() => lineToItem('{"a":{"X":"1"}}', 'items line 3'), /items line 3\.a: unknown attribute type "X"/);
  assert.throws(() => lineToItem('{"a":{"S":"1","N":"2"}}', 'line'), /expected one type key/);
  assert.throws(() => lineToItem('{"a":', 'line 9'), /line 9: not JSON/);
});

test('the batch writer sends unprocessed items again with growing delays, and gives up when they stay', async () => {
  const sent: number[] = [];
  const delays: number[] = [];
  let round = 0;
  const api = {
    async send(command: BatchWriteItemCommand): Promise<BatchWriteItemCommandOutput> {
      const requests = command.input.RequestItems!['t']!;
      sent.push(requests.length);
      round += 1;
      // First two rounds: DynamoDB takes only the first 5 items of each request.
      const left: WriteRequest[] = round <= 2 ? requests.slice(5) : [];
      return { $metadata: {}, UnprocessedItems: left.length > 0 ? { t: left } : {} };
    },
  };
  const writer = new BatchWriter(api, 't', {
    concurrency: 1,
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 1,
    baseDelayMs: 100,
  });
  for (let i = 0; i < 25; i++) await writer.put({ id: { N: String(i) } });
  const stats = await writer.flush();
  assert.deepEqual(sent, [25, 20, 15]);
  assert.deepEqual(delays, [100, 200]);
  assert.deepEqual(stats, { items: 25, requests: 3, retriedItems: 35 });

  const stuck = new BatchWriter({ send: async (c) => ({ $metadata: {}, UnprocessedItems: c.input.RequestItems }) }, 't', {
    maxAttempts: 3,
    sleep: async () => undefined,
  });
  await stuck.put({ id: { N: '1' } });
  await assert.rejects(stuck.flush(), /1 items stayed unprocessed after 3 BatchWriteItem attempts/);
});

test('the CreateTable input rebuilds keys, indexes and billing, with capacity for provisioned tables', () => {
  const schema = tableSchema(
    {
      TableName: 'src',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'g', AttributeType: 'N' },
      ],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingModeSummary: undefined,
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 7, NumberOfDecreasesToday: 0 },
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gi',
          KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
          ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
          IndexStatus: 'ACTIVE',
          ItemCount: 4,
        },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      DeletionProtectionEnabled: true,
    },
    'ttl',
    [{ Key: 'k', Value: 'v' }],
  );
  assert.deepEqual(createTableInput(schema, { tableName: 'dst' }), {
    TableName: 'dst',
    AttributeDefinitions: schema.attributeDefinitions,
    KeySchema: schema.keySchema,
    BillingMode: 'PROVISIONED',
    ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 7 },
    GlobalSecondaryIndexes: [
      {
        IndexName: 'gi',
        KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL' },
        ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
      },
    ],
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
  });
  assert.equal(schema.timeToLiveAttribute, 'ttl');
  assert.equal(schema.deletionProtection, true);
  const kms = createTableInput(schema, { tableName: 'dst', kmsMasterKeyArn: 'arn:aws:kms:us-east-1:1:key/x' });
  assert.deepEqual(kms.SSESpecification, { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: 'arn:aws:kms:us-east-1:1:key/x' });
});

test('SDK failures are put in words: refused credentials, missing resources, throttling', () => {
  const sdk = (name: string, message: string, status: number) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
  const auth = endpointFailure(
    'table orders',
    'https://dynamodb.eu-west-1.amazonaws.com',
    sdk('UnrecognizedClientException', 'The security token included in the request is invalid.', 400),
  );
  assert.equal(auth.kind, 'Unavailable');
  assert.equal(
    auth.message,
    'table orders: https://dynamodb.eu-west-1.amazonaws.com refused the credentials: UnrecognizedClientException: The security token included in the request is invalid. (HTTP 400)',
  );
  const denied = endpointFailure('bucket b', 'http://minio:9000', sdk('AccessDenied', 'Access Denied', 403));
  assert.equal(denied.kind, 'Unavailable');
  assert.match(denied.message, /refused the credentials: AccessDenied: Access Denied \(HTTP 403\)/);
  const missing = endpointFailure('bucket b', 'http://minio:9000', sdk('NoSuchBucket', 'The specified bucket does not exist', 404));
  assert.equal(missing.kind, 'NotFound');
  assert.equal(missing.message, 'bucket b does not exist at http://minio:9000 (NoSuchBucket: The specified bucket does not exist (HTTP 404))');
  const throttled = endpointFailure('table t', 'e', sdk('ProvisionedThroughputExceededException', 'Rate exceeded', 400));
  assert.match(throttled.message, /kept throttling/);
});
