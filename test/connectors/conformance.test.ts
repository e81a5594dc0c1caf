/**
 * The Connector contract (support/connector-conformance.ts) for every resource type: directories,
 * both database engines, DynamoDB tables and S3 buckets (on one moto server for the file).
 */
import { after, before } from 'node:test';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { BucketResourceConfig, DirectoryResourceConfig, TableResourceConfig } from '../../src/config/resource-config.js';
import { dynamoDbConnector } from '../../src/connectors/dynamodb/dynamodb-connector.js';
import { s3Connector } from '../../src/connectors/s3/s3-connector.js';
import { motoCredentials } from './support/aws-connector-context.js';
import { MOTO_CREDENTIALS, startMoto } from './support/moto-server.js';
import type { MotoServer } from './support/moto-server.js';
import { databaseConnector } from '../../src/connectors/database/database-connector.js';
import { directoryConnector } from '../../src/connectors/filesystem/directory-connector.js';
import { connectorConformance } from './support/connector-conformance.js';
import { ACCOUNT, dbResource, maria, pg, REGION, uniqueName } from './support/sql-servers.js';

let root: string | undefined;
const dirResource = (path: string): DirectoryResourceConfig => ({
  type: 'EFS',
  arn: `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/fs-conf`,
  accountId: ACCOUNT,
  region: REGION,
  name: 'fs-conf',
  tags: {},
  path,
});
connectorConformance('EFS directories', {
  connector: directoryConnector,
  async resource() {
    root ??= await mkdtemp(join(tmpdir(), 'coffer-conf-'));
    await mkdir(join(root, 'src/sub'), { recursive: true });
    await writeFile(join(root, 'src/sub/a.txt'), 'hello');
    return dirResource(join(root, 'src'));
  },
  unreadable: () => dirResource('/nonexistent/coffer/dir'),
  newTarget: () => ({ RestorePath: join(root!, uniqueName('restored')) }),
  existingTarget: (r) => ({ RestorePath: r.path }),
  targetExists: async (m) => (await stat(join(m['RestorePath']!, 'sub/a.txt')).catch(() => undefined)) !== undefined,
  cleanUp: async () => {
    if (root !== undefined) await rm(root, { recursive: true, force: true });
    root = undefined;
  },
});

for (const engine of ['postgres', 'mariadb'] as const) {
  const run = engine === 'postgres' ? (sql: string, db?: string) => pg(sql, db) : (sql: string, db?: string) => maria(sql, db);
  const exists = (name: string) =>
    engine === 'postgres'
      ? pg(`SELECT count(*) FROM pg_database WHERE datname = '${name}'`) === '1'
      : maria(`SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '${name}'`) === '1';
  const made: string[] = [];
  let source: string | undefined;
  connectorConformance(`RDS ${engine}`, {
    connector: databaseConnector,
    async resource() {
      if (source === undefined) {
        source = uniqueName(`coffer_conf_${engine}`);
        made.push(source);
        run(`CREATE DATABASE ${source}`);
        run("CREATE TABLE t (id INT PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'ä'), (2, 'b');", source);
      }
      return dbResource(engine, source);
    },
    unreadable: () => dbResource(engine, 'coffer_conf_missing'),
    newTarget: () => {
      const name = uniqueName('coffer_conf_restored');
      made.push(name);
      return { DBInstanceIdentifier: name.replace(/_/g, '-'), DBName: name };
    },
    existingTarget: (r) => ({ DBName: r.database }),
    targetExists: async (m) => exists(m['DBName']!),
    cleanUp: async () => {
      for (const db of made.splice(0)) run(engine === 'postgres' ? `DROP DATABASE IF EXISTS ${db} WITH (FORCE)` : `DROP DATABASE IF EXISTS ${db}`);
      source = undefined;
    },
  });
}

let moto: MotoServer;
let dynamo: DynamoDBClient;
let s3: S3Client;
before(async () => {
  moto = await startMoto();
  dynamo = new DynamoDBClient({ endpoint: moto.endpoint, region: REGION, credentials: MOTO_CREDENTIALS });
  s3 = new S3Client({ endpoint: moto.endpoint, region: REGION, credentials: MOTO_CREDENTIALS, forcePathStyle: true });
});
after(async () => {
  dynamo?.destroy();
  s3?.destroy();
  await moto?.stop();
});

{
  const tableResource = (table: string): TableResourceConfig => ({
    type: 'DynamoDB',
    arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${table}`,
    accountId: ACCOUNT,
    region: REGION,
    name: table,
    tags: {},
    endpoint: moto.endpoint,
    endpointRegion: REGION,
    table,
    credentials: motoCredentials(),
  });
  const tables: string[] = [];
  let source: string | undefined;
  connectorConformance('DynamoDB tables', {
    connector: dynamoDbConnector,
    async resource() {
      if (source === undefined) {
        source = uniqueName('conf-table');
        tables.push(source);
        await dynamo.send(
          new CreateTableCommand({
            TableName: source,
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          }),
        );
        for (const pk of ['a', 'b', 'ä']) await dynamo.send(new PutItemCommand({ TableName: source, Item: { pk: { S: pk }, n: { N: '1.5' } } }));
      }
      return tableResource(source);
    },
    unreadable: () => tableResource('conf-table-missing'),
    newTarget: () => {
      const name = uniqueName('conf-restored');
      tables.push(name);
      return { targetTableName: name };
    },
    existingTarget: (r) => ({ targetTableName: r.table }),
    targetExists: async (m) => (await dynamo.send(new DescribeTableCommand({ TableName: m['targetTableName']! })).catch(() => undefined)) !== undefined,
    cleanUp: async () => {
      for (const table of tables.splice(0)) await dynamo.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
      source = undefined;
    },
  });
}

{
  const bucketResource = (bucket: string): BucketResourceConfig => ({
    type: 'S3',
    arn: `arn:aws:s3:::${bucket}`,
    accountId: ACCOUNT,
    region: REGION,
    name: bucket,
    tags: {},
    endpoint: moto.endpoint,
    endpointRegion: REGION,
    bucket,
    prefix: '',
    forcePathStyle: true,
    credentials: motoCredentials(),
  });
  const buckets: string[] = [];
  let source: string | undefined;
  const emptyAndDelete = async (bucket: string): Promise<void> => {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket })).catch(() => undefined);
    for (const object of listed?.Contents ?? []) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: object.Key! }));
    await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
  };
  connectorConformance('S3 buckets', {
    connector: s3Connector,
    async resource() {
      if (source === undefined) {
        source = uniqueName('conf-bucket').replace(/_/g, '-');
        buckets.push(source);
        await s3.send(new CreateBucketCommand({ Bucket: source }));
        await s3.send(new PutObjectCommand({ Bucket: source, Key: 'docs/a.txt', Body: 'hello', ContentType: 'text/plain' }));
        await s3.send(new PutObjectCommand({ Bucket: source, Key: 'b/ünï.bin', Body: Buffer.from([0, 1, 2, 255]) }));
      }
      return bucketResource(source);
    },
    unreadable: () => bucketResource('conf-bucket-missing'),
    newTarget: () => {
      const name = uniqueName('conf-restored').replace(/_/g, '-');
      buckets.push(name);
      return { DestinationBucketName: name, NewBucket: 'true' };
    },
    existingTarget: (r) => ({ DestinationBucketName: r.bucket, NewBucket: 'true' }),
    targetExists: async (m) => ((await s3.send(new ListObjectsV2Command({ Bucket: m['DestinationBucketName']! })).catch(() => undefined))?.KeyCount ?? 0) > 0,
    cleanUp: async () => {
      for (const bucket of buckets.splice(0)) await emptyAndDelete(bucket);
      source = undefined;
    },
  });
}
