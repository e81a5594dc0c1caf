/**
 * The DynamoDB connector against moto: every attribute type, a GSI and an LSI, TTL and tags;
 * two backups around a change, each restored into a new table and compared item for item with
 * the source as it was; discovery; failures that name the table and the cause.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTagsOfResourceCommand,
  PutItemCommand,
  ScanCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import type { AttributeValue, TableDescription } from '@aws-sdk/client-dynamodb';
import { ConnectorError, RestoreMetadataError } from '../../src/connectors/connector.js';
import type { TableResourceConfig } from '../../src/config/resource-config.js';
import { createDynamoDbConnector, dynamoDbConnector } from '../../src/connectors/dynamodb/dynamodb-connector.js';
import { makeDynamoDbClient } from '../../src/connectors/dynamodb/dynamodb-client.js';
import { toJsonValue } from '../../src/connectors/dynamodb/item-json.js';
import type { Item } from '../../src/connectors/dynamodb/item-json.js';
import { tempDir } from '../support/temp-dir.js';
import { ACCOUNT, REGION, backupContext, freshRepo, motoCredentials, restoreContext } from './support/aws-connector-context.js';
import { MOTO_CREDENTIALS, freePort, startMoto } from './support/moto-server.js';
import type { MotoServer } from './support/moto-server.js';

let moto: MotoServer;
let client: DynamoDBClient;

before(async () => {
  moto = await startMoto();
  client = new DynamoDBClient({ endpoint: moto.endpoint, region: REGION, credentials: MOTO_CREDENTIALS });
});
after(async () => {
  client?.destroy();
  await moto?.stop();
});

function resource(table: string, endpoint = moto.endpoint): TableResourceConfig {
  return {
    type: 'DynamoDB',
    arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${table}`,
    accountId: ACCOUNT,
    region: REGION,
    name: table,
    tags: {},
    endpoint,
    endpointRegion: REGION,
    table,
    credentials: motoCredentials(),
  };
}

async function createSourceTable(name: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
        { AttributeName: 'gpk', AttributeType: 'S' },
        { AttributeName: 'lsk', AttributeType: 'B' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'by-gpk',
          KeySchema: [
            { AttributeName: 'gpk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['s'] },
        },
      ],
      LocalSecondaryIndexes: [
        {
          IndexName: 'by-lsk',
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'lsk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
      Tags: [{ Key: 'team', Value: 'storage' }],
    }),
  );
  await client.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } }));
}

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);

/** One item with every attribute type, numbers at DynamoDB's full 38-digit precision. */
function everyType(pk: string, sk: string): Item {
  return {
    pk: { S: pk },
    sk: { N: sk },
    gpk: { S: `g-${pk}` },
    lsk: { B: bytes(0, 255, 1) },
    s: { S: 'ünïcödé 名前 🎉 "quoted" \\ \n' },
    empty: { S: '' },
    n38: { N: '12345678901234567890123456789012345678' },
    nneg: { N: '-0.00000000000000000000000000000000000001' },
    nbig: { N: '9.9999999999999999999999999999999999999E+125' },
    ndec: { N: '1.50' },
    b: { B: bytes(0, 1, 2, 253, 254, 255) },
    bempty: { B: bytes() },
    ss: { SS: ['a', 'b', 'ünï'] },
    ns: { NS: ['1', '12345678901234567890123456789012345678', '-3.14'] },
    bs: { BS: [bytes(1), bytes(2, 3), bytes(255)] },
    m: { M: { nested: { M: { deep: { L: [{ N: '1' }, { S: 'x' }, { NULL: true }] } } }, flag: { BOOL: false } } },
    l: { L: [{ BOOL: true }, { NULL: true }, { B: bytes(9) }, { SS: ['z'] }, { M: {} }, { L: [] }] },
    yes: { BOOL: true },
    no: { BOOL: false },
    nothing: { NULL: true },
    expiresAt: { N: '4102444800' },
  };
}

function plainItem(i: number): Item {
  return {
    pk: { S: `user-${String(i).padStart(4, '0')}` },
    sk: { N: String(i * 7) },
    gpk: { S: `group-${i % 13}` },
    lsk: { B: bytes(i % 256, (i * 3) % 256) },
    s: { S: 'x'.repeat(i % 300) },
    count: { N: `${i}.${i}` },
  };
}

async function putAll(table: string, items: readonly Item[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
}

/** A table's items in a canonical text form: typed JSON, sets sorted (they have no order), keys sorted. */
async function tableContents(table: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) out.set(`${item['pk']!.S}|${item['sk']!.N}`, canonical(item));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return out;
}

function canonical(item: Item): string {
  const sortValue = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sortValue);
    if (typeof value !== 'object' || value === null) return value;
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, ['SS', 'NS', 'BS'].includes(k) ? [...(v as string[])].sort() : sortValue(v)]));
  };
  return JSON.stringify(sortValue(Object.fromEntries(Object.entries(item).map(([k, v]) => [k, toJsonValue(v)]))));
}

function schemaOf(table: TableDescription): unknown {
  const keys = (list: { IndexName?: string; KeySchema?: unknown; Projection?: unknown }[] | undefined) =>
    (list ?? []).map((i) => ({ name: i.IndexName, keys: i.KeySchema, projection: i.Projection }));
  return {
    keys: table.KeySchema,
    attributes: [...(table.AttributeDefinitions ?? [])].sort((a, b) => a.AttributeName!.localeCompare(b.AttributeName!)),
    billing: table.BillingModeSummary?.BillingMode,
    gsis: keys(table.GlobalSecondaryIndexes),
    lsis: keys(table.LocalSecondaryIndexes),
  };
}

test('two backups around a change restore into new tables equal to the source at each point', async (t) => {
  const repo = await freshRepo(await tempDir(t));
  const source = 'orders';
  await createSourceTable(source);
  const first = [
    everyType('every-type', '12345678901234567890123456789012345678'),
    everyType('every-type-2', '-1'),
    ...Array.from({ length: 600 }, (_, i) => plainItem(i)),
  ];
  await putAll(source, first);
  const atFirst = await tableContents(source);
  assert.equal(atFirst.size, 602);

  const ctx1 = backupContext(repo, resource(source).arn, undefined);
  const started = Date.now();
  const one = await dynamoDbConnector.backup(resource(source), ctx1);
  const seconds = (Date.now() - started) / 1000;
  t.diagnostic(`backup of 602 items: ${seconds.toFixed(2)} s, ${(602 / seconds).toFixed(0)} items/s, ${one.sizeBytes} bytes of JSON lines`);
  assert.equal(one.restoreMetadata['itemCount'], '602');
  assert.match(one.restoreMetadata['targetTableName']!, /^orders-restore-[0-9a-f]{8}$/);
  assert.equal(one.restoreMetadata['encryptionType'], 'Default');

  // The change: an item rewritten, items deleted, items added.
  await client.send(
    new PutItemCommand({
      TableName: source,
      Item: {
        ...everyType('every-type', '12345678901234567890123456789012345678'),
        s: { S: 'changed' },
        ns: { NS: ['0.000000000000000000000000000000000001'] },
      },
    }),
  );
  for (let i = 0; i < 50; i++) await client.send(new DeleteItemCommand({ TableName: source, Key: { pk: plainItem(i).pk!, sk: plainItem(i).sk! } }));
  await putAll(
    source,
    Array.from({ length: 100 }, (_, i) => plainItem(1000 + i)),
  );
  const atSecond = await tableContents(source);
  assert.equal(atSecond.size, 652);

  const two = await dynamoDbConnector.backup(resource(source), backupContext(repo, resource(source).arn, await repo.loadSnapshot(one.snapshotId)));
  assert.equal(two.restoreMetadata['itemCount'], '652');

  for (const [outcome, expected, target] of [
    [one, atFirst, 'orders-at-one'],
    [two, atSecond, 'orders-at-two'],
  ] as const) {
    const ctx = await restoreContext(repo, outcome, resource(source), { targetTableName: target });
    const restoreStarted = Date.now();
    const restored = await dynamoDbConnector.restore(ctx);
    t.diagnostic(`restore of ${expected.size} items: ${((Date.now() - restoreStarted) / 1000).toFixed(2)} s`);
    assert.equal(restored.resultArn, `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${target}`);
    assert.deepEqual(restored.warnings, []);
    const actual = await tableContents(target);
    assert.equal(actual.size, expected.size);
    for (const [key, item] of expected) assert.equal(actual.get(key), item, `item ${key} in ${target}`);
    const [src, dst] = await Promise.all([source, target].map(async (name) => (await client.send(new DescribeTableCommand({ TableName: name }))).Table!));
    assert.deepEqual(schemaOf(dst!), schemaOf(src!));
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: target }));
    assert.equal(ttl.TimeToLiveDescription?.AttributeName, 'expiresAt');
    const tags = await client.send(new ListTagsOfResourceCommand({ ResourceArn: dst!.TableArn }));
    assert.deepEqual(tags.Tags, [{ Key: 'team', Value: 'storage' }]);
  }
});

test('discovery lists every table of the endpoint with its ARN', async () => {
  await createSourceTable('discovered-a');
  await createSourceTable('discovered-b');
  const found = await dynamoDbConnector.discover({
    type: 'DynamoDB',
    name: 'local-ddb',
    accountId: ACCOUNT,
    region: REGION,
    tags: { backup: 'daily' },
    endpoint: moto.endpoint,
    endpointRegion: REGION,
    credentials: motoCredentials(),
  });
  const byName = new Map(found.map((r) => [r.name, r]));
  for (const name of ['discovered-a', 'discovered-b']) {
    const r = byName.get(name);
    assert.ok(r, `${name} found`);
    assert.equal(r.arn, `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`);
    assert.equal(r.table, name);
    assert.equal(r.discoveredBy, 'local-ddb');
    assert.deepEqual(r.tags, { backup: 'daily' });
    assert.equal(r.endpoint, moto.endpoint);
  }
});

test('a missing table and an endpoint that is down fail naming the table and the cause, without the secret', async (t) => {
  const repo = await freshRepo(await tempDir(t));
  const missing = await dynamoDbConnector.backup(resource('no-such-table'), backupContext(repo, 'arn', undefined)).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(missing instanceof ConnectorError);
  assert.equal(missing.kind, 'NotFound');
  assert.match(missing.message, /table no-such-table does not exist at http:\/\/127\.0\.0\.1:\d+/);

  const down = `http://127.0.0.1:${await freePort()}`;
  const fast = createDynamoDbConnector({ makeClient: (s) => makeDynamoDbClient({ ...s, maxAttempts: 1 }) });
  const unreachable = await fast.backup(resource('orders', down), backupContext(repo, 'arn', undefined)).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(unreachable instanceof ConnectorError);
  assert.equal(unreachable.kind, 'Unavailable');
  assert.equal(unreachable.message, `table orders: the endpoint ${down} is unreachable: connection refused (ECONNREFUSED)`);
  const discovery = await fast
    .discover({
      type: 'DynamoDB',
      name: 'gone',
      accountId: ACCOUNT,
      region: REGION,
      tags: {},
      endpoint: down,
      endpointRegion: REGION,
      credentials: motoCredentials(),
    })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  assert.ok(discovery instanceof ConnectorError);
  assert.match(discovery.message, /listing the tables of discovery entry gone: the endpoint .* is unreachable/);
  for (const err of [missing, unreachable, discovery]) {
    assert.ok(!`${err.message} ${JSON.stringify(err)} ${String(err.stack)}`.includes(MOTO_CREDENTIALS.secretAccessKey));
  }
  assert.ok(!JSON.stringify(resource('x')).includes(MOTO_CREDENTIALS.secretAccessKey));
});

test('a restore never writes into an existing table, and removes the table it created when it fails', async (t) => {
  const repo = await freshRepo(await tempDir(t));
  await createSourceTable('small');
  await putAll(
    'small',
    Array.from({ length: 120 }, (_, i) => plainItem(i)),
  );
  const outcome = await dynamoDbConnector.backup(resource('small'), backupContext(repo, resource('small').arn, undefined));

  await createSourceTable('occupied');
  await putAll('occupied', [plainItem(1)]);
  const refused = await dynamoDbConnector.restore(await restoreContext(repo, outcome, resource('small'), { targetTableName: 'occupied' })).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(refused instanceof ConnectorError);
  assert.equal(refused.kind, 'Refused');
  assert.match(refused.message, /table occupied already exists/);
  assert.equal((await tableContents('occupied')).size, 1);

  // BatchWriteItem fails on its third request: the new table must be gone afterwards.
  let batches = 0;
  const failing = createDynamoDbConnector({
    writeConcurrency: 1,
    makeClient: (settings) => {
      const c = makeDynamoDbClient(settings);
      c.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'BatchWriteItemCommand' && ++batches === 3)
            throw Object.assign(new Error('Internal server error'), { name: 'InternalServerError' });
          return next(args);
        },
        { step: 'initialize' },
      );
      return c;
    },
  });
  const failed = await failing.restore(await restoreContext(repo, outcome, resource('small'), { targetTableName: 'half-done' })).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(failed instanceof ConnectorError);
  assert.match(
    failed.message,
    /restore of table small into half-done at .*InternalServerError: Internal server error; the table half-done it had created was deleted/,
  );
  const gone = await client.send(new DescribeTableCommand({ TableName: 'half-done' })).then(
    () => 'exists',
    (e: Error) => e.name,
  );
  assert.equal(gone, 'ResourceNotFoundException');

  const noResource = await dynamoDbConnector.restore(await restoreContext<TableResourceConfig>(repo, outcome, undefined, {})).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(noResource instanceof ConnectorError);
  assert.equal(noResource.kind, 'Refused');
});

test('restore metadata: defaults and validation', () => {
  const point = { arn: 'arn:aws:backup:us-east-1:111122223333:recovery-point:0123abcd-0000', id: '0123abcd-0000', createdAt: new Date() };
  assert.deepEqual(dynamoDbConnector.restoreMetadataDefaults(resource('orders', 'http://x'), point), {
    targetTableName: 'orders-restore-0123abcd',
    encryptionType: 'Default',
  });
  dynamoDbConnector.validateRestoreMetadata({ targetTableName: 'ok-name', encryptionType: 'KMS', kmsMasterKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/k' });
  const bad = (metadata: Record<string, string>, key: string): void => {
    assert.throws(
      () => dynamoDbConnector.validateRestoreMetadata(metadata),
      (e: unknown) => e instanceof RestoreMetadataError && e.key === key,
    );
  };
  bad({ targetTableName: 'x' }, 'targetTableName');
  bad({ targetTableName: 'has space' }, 'targetTableName');
  bad({ targetTableName: 'fine', encryptionType: 'AES' }, 'encryptionType');
  bad({ targetTableName: 'fine', encryptionType: 'KMS' }, 'kmsMasterKeyArn');
});

test('after a restart, the table an interrupted restore created is found by its marker tag and deleted', async () => {
  await client.send(
    new CreateTableCommand({
      TableName: 'interrupted',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      Tags: [{ Key: 'coffer:restore-job', Value: 'job-1' }],
    }),
  );
  const cleanUp = dynamoDbConnector.cleanUpInterruptedRestore!;
  const metadata = { targetTableName: 'interrupted' };
  assert.equal(await cleanUp({ metadata, resource: resource('orders'), jobId: 'job-2' }), undefined);
  assert.equal((await client.send(new DescribeTableCommand({ TableName: 'interrupted' }))).Table?.TableName, 'interrupted');
  assert.equal(await cleanUp({ metadata, resource: resource('orders'), jobId: 'job-1' }), 'The table interrupted it had begun to restore was deleted.');
  const gone = await client.send(new DescribeTableCommand({ TableName: 'interrupted' })).then(
    () => 'exists',
    (e: Error) => e.name,
  );
  assert.equal(gone, 'ResourceNotFoundException');
  assert.equal(await cleanUp({ metadata: { targetTableName: 'never-made' }, resource: resource('orders'), jobId: 'job-1' }), undefined);
});

test('a stopped backup throws the stop reason and writes no snapshot', async (t) => {
  const repo = await freshRepo(await tempDir(t));
  await createSourceTable('stopped');
  await putAll(
    'stopped',
    Array.from({ length: 50 }, (_, i) => plainItem(i)),
  );
  const stop = new AbortController();
  stop.abort(new Error('Stopped by StopBackupJob'));
  await assert.rejects(
    dynamoDbConnector.backup(resource('stopped'), backupContext(repo, resource('stopped').arn, undefined, stop.signal)),
    /Stopped by StopBackupJob/,
  );
  assert.equal((await repo.snapshots()).length, 0);
});
