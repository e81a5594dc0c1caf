/**
 * Backup and restore of a PostgreSQL database (resource type RDS) through the real `coffer
 * serve`, driven by the AWS SDK: a configured database (password from an environment variable)
 * and a discovery entry for the whole server; StartBackupJob, the restore metadata, a refused
 * metadata key, StartRestoreJob into a new database compared row by row, a refused restore over
 * an existing database; the password appears in no API answer and no server output.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBackupVaultCommand,
  DescribeBackupJobCommand,
  DescribeRecoveryPointCommand,
  DescribeRestoreJobCommand,
  GetRecoveryPointRestoreMetadataCommand,
  GetSupportedResourceTypesCommand,
  StartBackupJobCommand,
  StartRestoreJobCommand,
} from '@aws-sdk/client-backup';
import type { BackupClient } from '@aws-sdk/client-backup';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { pg, uniqueName } from '../connectors/support/sql-servers.js';
import { ALPHA, ALPHA_CONFIG_HEAD } from './support/accounts.js';
import { keysOf, sdk } from './support/clients.js';
import { useCoffer } from './support/server-fixture.js';

const PASSWORD = 'pg-password-that-must-never-show-0123';
process.env['COFFER_TEST_PG_PASSWORD'] = PASSWORD;
const SOURCE = uniqueName('coffer_srv');
const LATER = uniqueName('coffer_srv_later');
const RESOURCE_ARN = `arn:aws:rds:us-east-1:${ALPHA.accountId}:db:orders-db`;
const ROLE = `arn:aws:iam::${ALPHA.accountId}:role/service-role/AWSBackupDefaultServiceRole`;
const alpha = keysOf(ALPHA);
const kms = (endpoint: string) => new KMSClient({ endpoint, region: 'us-east-1', credentials: alpha });

const yaml = `${ALPHA_CONFIG_HEAD}resources:
  - arn: "${RESOURCE_ARN}"
    url: postgres://postgres@127.0.0.1:5432/${SOURCE}
    passwordEnv: COFFER_TEST_PG_PASSWORD
    tags: { backup: daily }
  - discover: { name: pg-local, url: "postgres://postgres@127.0.0.1:5432", passwordEnv: COFFER_TEST_PG_PASSWORD, account: "${ALPHA.accountId}", region: us-east-1 }
`;

before(() => {
  pg(`CREATE DATABASE ${SOURCE}`);
  pg(
    `CREATE TABLE people (id serial PRIMARY KEY, name text NOT NULL, photo bytea);
      INSERT INTO people (name, photo) SELECT 'Zoë ' || i || ' 東京', decode(md5(i::text), 'hex') FROM generate_series(1, 20000) i;
      CREATE VIEW first_ten AS SELECT * FROM people WHERE id <= 10;`,
    SOURCE,
  );
});
const created: string[] = [];
after(() => {
  for (const db of [SOURCE, LATER, ...created]) pg(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
});

const server = useCoffer({ yaml });

async function waitFor<T>(what: string, poll: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await poll();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function backup(client: BackupClient, arn: string): Promise<{ jobId: string; rpArn: string; output: string }> {
  const started = await client.send(new StartBackupJobCommand({ BackupVaultName: 'databases', ResourceArn: arn, IamRoleArn: ROLE }));
  const job = await waitFor(
    'backup job',
    () => client.send(new DescribeBackupJobCommand({ BackupJobId: started.BackupJobId! })),
    (j) => ['COMPLETED', 'FAILED', 'ABORTED'].includes(j.State ?? ''),
  );
  assert.equal(job.State, 'COMPLETED', job.StatusMessage);
  return { jobId: started.BackupJobId!, rpArn: started.RecoveryPointArn!, output: JSON.stringify(job) };
}

async function restore(client: BackupClient, rpArn: string, metadata: Record<string, string>) {
  const started = await client.send(new StartRestoreJobCommand({ RecoveryPointArn: rpArn, IamRoleArn: ROLE, Metadata: metadata }));
  return waitFor(
    'restore job',
    () => client.send(new DescribeRestoreJobCommand({ RestoreJobId: started.RestoreJobId! })),
    (j) => ['COMPLETED', 'FAILED'].includes(j.Status ?? ''),
  );
}

const rows = (db: string) => pg(`SELECT count(*) || ':' || md5(string_agg(t::text, ',' ORDER BY id)) FROM people t`, db);

describe('PostgreSQL backup and restore through the AWS Backup API', () => {
  test('AWS SDK: back up a configured database, read its restore metadata, restore into a new database', async () => {
    const { endpoint, process: coffer } = server();
    const client = sdk(endpoint, alpha);
    const types = await client.send(new GetSupportedResourceTypesCommand({}));
    assert.ok(types.ResourceTypes?.includes('RDS'));
    await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'databases' }));

    const { rpArn, output } = await backup(client, RESOURCE_ARN);
    const point = await client.send(new DescribeRecoveryPointCommand({ BackupVaultName: 'databases', RecoveryPointArn: rpArn }));
    assert.equal(point.ResourceType, 'RDS');
    assert.equal(point.ResourceArn, RESOURCE_ARN);
    // The database's own key protects it (no kmsKeyId: the AWS managed aws/rds key), not the vault's aws/backup.
    const rdsKey = await kms(endpoint).send(new DescribeKeyCommand({ KeyId: 'alias/aws/rds' }));
    assert.equal(point.EncryptionKeyArn, rdsKey.KeyMetadata?.Arn);
    const job = JSON.parse(output) as { EncryptionKeyArn?: string; IsEncrypted?: boolean };
    assert.equal(job.EncryptionKeyArn, rdsKey.KeyMetadata?.Arn, "the job names the point's key");
    assert.equal(job.IsEncrypted, true);
    const { RestoreMetadata: metadata = {} } = await client.send(
      new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: 'databases', RecoveryPointArn: rpArn }),
    );
    assert.equal(metadata['Engine'], 'postgres');
    assert.equal(metadata['SourceDBName'], SOURCE);
    assert.match(metadata['DBInstanceIdentifier'] ?? '', /^orders-db-restore-[0-9a-f]{8}$/);

    await assert.rejects(
      client.send(new StartRestoreJobCommand({ RecoveryPointArn: rpArn, IamRoleArn: ROLE, Metadata: { DBInstanceIdentifier: 'not valid!' } })),
      (err: Error) => err.name === 'InvalidParameterValueException' && /DBInstanceIdentifier/.test(err.message),
    );

    const target = uniqueName('coffer_srv_restored');
    created.push(target);
    const done = await restore(client, rpArn, { DBInstanceIdentifier: target.replace(/_/g, '-'), DBName: target });
    assert.equal(done.Status, 'COMPLETED', done.StatusMessage);
    assert.equal(done.CreatedResourceArn, `arn:aws:rds:us-east-1:${ALPHA.accountId}:db:${target.replace(/_/g, '-')}`);
    assert.equal(rows(target), rows(SOURCE));
    assert.equal(pg('SELECT count(*) FROM first_ten', target), '10');

    const refused = await restore(client, rpArn, { DBInstanceIdentifier: 'again', DBName: SOURCE });
    assert.equal(refused.Status, 'FAILED');
    assert.match(refused.StatusMessage ?? '', new RegExp(`database ${SOURCE} on 127.0.0.1:5432 already exists`));
    assert.equal(rows(SOURCE).split(':')[0], '20000');

    const everything = JSON.stringify([output, point, metadata, done, refused]) + coffer.stdout() + coffer.stderr();
    assert.ok(!everything.includes(PASSWORD), 'the password shows nowhere');
  });

  test('a database created after the server started is found by discovery and backed up', async () => {
    const { endpoint } = server();
    const client = sdk(endpoint, alpha);
    pg(`CREATE DATABASE ${LATER}`);
    pg("CREATE TABLE people (id int PRIMARY KEY, name text); INSERT INTO people VALUES (1, 'Ægir');", LATER);
    const arn = `arn:aws:rds:us-east-1:${ALPHA.accountId}:db:pg-local-${LATER.replace(/_/g, '-')}`;
    const { rpArn } = await backup(client, arn);
    const target = uniqueName('coffer_srv_found');
    created.push(target);
    const done = await restore(client, rpArn, { DBInstanceIdentifier: 'found-copy', DBName: target });
    assert.equal(done.Status, 'COMPLETED', done.StatusMessage);
    assert.equal(rows(target), rows(LATER));
    const missing = await client
      .send(
        new StartBackupJobCommand({
          BackupVaultName: 'databases',
          ResourceArn: `arn:aws:rds:us-east-1:${ALPHA.accountId}:db:pg-local-nothing-here`,
          IamRoleArn: ROLE,
        }),
      )
      .catch((err: Error) => err);
    assert.ok(missing instanceof Error && missing.name === 'ResourceNotFoundException');
  });
});
