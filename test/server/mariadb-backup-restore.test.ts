/**
 * Backup and restore of a MariaDB database (resource type RDS) through the real `coffer serve`,
 * driven by the AWS SDK: a configured database reached as a user with a password from a file, and
 * a discovery entry for the whole server (the same password from an environment variable);
 * StartBackupJob, the restore metadata, a refused metadata key, StartRestoreJob into a new
 * database compared row by row; the password appears in no API answer and no server output.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBackupVaultCommand, DescribeRecoveryPointCommand, GetRecoveryPointRestoreMetadataCommand } from '@aws-sdk/client-backup';
import { maria, uniqueName } from '../connectors/support/sql-servers.js';
import { ALPHA, ALPHA_CONFIG_HEAD } from './support/accounts.js';
import { keysOf, sdk } from './support/clients.js';
import { assertRestoreRefused, BACKUP_ROLE, backupAndWait, restoreAndWait } from './support/jobs.js';
import { useCoffer } from './support/server-fixture.js';

const USER = uniqueName('coffer_bk');
const PASSWORD = 'maria-password-that-must-never-show-9876';
process.env['COFFER_TEST_MARIA_PASSWORD'] = PASSWORD;
const SOURCE = uniqueName('coffer_msrv');
const RESOURCE_ARN = `arn:aws:rds:us-east-1:${ALPHA.accountId}:db:shop-db`;
const ROLE = BACKUP_ROLE(ALPHA.accountId);
const alpha = keysOf(ALPHA);
const created: string[] = [];
let secretDir: string;

async function setUp(): Promise<void> {
  for (const host of ['%', 'localhost']) maria(`CREATE USER '${USER}'@'${host}' IDENTIFIED BY '${PASSWORD}'; GRANT ALL ON *.* TO '${USER}'@'${host}';`);
  maria(`CREATE DATABASE ${SOURCE} CHARACTER SET utf8mb4`);
  maria(
    `CREATE TABLE items (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL, price DECIMAL(10,2), picture BLOB) ENGINE=InnoDB;
    INSERT INTO items (name, price, picture) SELECT CONCAT('Zoë ', seq, ' 東京'), seq / 7, UNHEX(MD5(seq)) FROM seq_1_to_5000;
    CREATE VIEW cheap AS SELECT * FROM items WHERE price < 1;`,
    SOURCE,
  );
  secretDir = await mkdtemp(join(tmpdir(), 'coffer-maria-secret-'));
  await writeFile(join(secretDir, 'maria.password'), `${PASSWORD}\n`, { mode: 0o600 });
}
const ready = setUp();
before(() => ready);
after(async () => {
  for (const db of [SOURCE, ...created]) maria(`DROP DATABASE IF EXISTS ${db}`);
  for (const host of ['%', 'localhost']) maria(`DROP USER IF EXISTS '${USER}'@'${host}'`);
  if (secretDir !== undefined) await rm(secretDir, { recursive: true, force: true });
});

const server = useCoffer({
  yaml: async () => (
    await ready,
    `${ALPHA_CONFIG_HEAD}resources:
  - arn: "${RESOURCE_ARN}"
    url: mysql://${USER}@127.0.0.1:3306/${SOURCE}
    passwordFile: ${join(secretDir, 'maria.password')}
  - discover: { name: maria-local, url: "mariadb://${USER}@127.0.0.1:3306", passwordEnv: COFFER_TEST_MARIA_PASSWORD, account: "${ALPHA.accountId}", region: us-east-1 }
`
  ),
});

const rows = (db: string): string =>
  maria('SELECT CONCAT(COUNT(*), ":", MD5(GROUP_CONCAT(CONCAT_WS("|", id, name, price, HEX(picture)) ORDER BY id SEPARATOR ""))) FROM items', db);

describe('MariaDB backup and restore through the AWS Backup API', () => {
  test('a configured database and a discovered one: back up, restore metadata, refused key, restore into new databases', async () => {
    const { endpoint, process: coffer } = server();
    const client = sdk(endpoint, alpha);
    await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'databases' }));

    const { rpArn, job } = await backupAndWait(client, 'databases', RESOURCE_ARN, ROLE);
    const point = await client.send(new DescribeRecoveryPointCommand({ BackupVaultName: 'databases', RecoveryPointArn: rpArn }));
    assert.equal(point.ResourceType, 'RDS');
    const { RestoreMetadata: metadata = {} } = await client.send(
      new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: 'databases', RecoveryPointArn: rpArn }),
    );
    assert.equal(metadata['Engine'], 'mariadb');
    assert.equal(metadata['SourceDBName'], SOURCE);
    assert.equal(metadata['SourceDBInstanceIdentifier'], 'shop-db');
    assert.equal(metadata['Endpoint'], '127.0.0.1:3306');
    assert.match(metadata['DBInstanceIdentifier'] ?? '', /^shop-db-restore-[0-9a-f]{8}$/);
    const refusals = [
      await assertRestoreRefused(client, rpArn, ROLE, { DBInstanceIdentifier: 'not valid!' }, 'DBInstanceIdentifier'),
      await assertRestoreRefused(client, rpArn, ROLE, { Engine: 'oracle' }, 'Engine'),
      await assertRestoreRefused(client, rpArn, ROLE, { dbname: 'x' }, 'dbname'),
    ];
    // Another engine is a valid value, but not this source's: the job (not the call) is refused.
    const otherEngine = await restoreAndWait(client, rpArn, ROLE, { Engine: 'postgres' });
    assert.equal(otherEngine.Status, 'FAILED');
    assert.match(otherEngine.StatusMessage ?? '', /Engine is postgres, but the source database runs mariadb/);

    const target = uniqueName('coffer_msrv_restored');
    created.push(target);
    const done = await restoreAndWait(client, rpArn, ROLE, { DBInstanceIdentifier: 'shop-copy', DBName: target });
    assert.equal(done.Status, 'COMPLETED', done.StatusMessage);
    assert.equal(done.CreatedResourceArn, `arn:aws:rds:us-east-1:${ALPHA.accountId}:db:shop-copy`);
    assert.equal(rows(target), rows(SOURCE));
    assert.equal(rows(target).split(':')[0], '5000');
    assert.equal(maria('SELECT COUNT(*) FROM cheap', target), '6');

    const discovered = `arn:aws:rds:us-east-1:${ALPHA.accountId}:db:maria-local-${SOURCE.replace(/_/g, '-')}`;
    const found = await backupAndWait(client, 'databases', discovered, ROLE);
    const foundTarget = uniqueName('coffer_msrv_found');
    created.push(foundTarget);
    const foundDone = await restoreAndWait(client, found.rpArn, ROLE, { DBName: foundTarget });
    assert.equal(foundDone.Status, 'COMPLETED', foundDone.StatusMessage);
    assert.equal(rows(foundTarget), rows(SOURCE));

    const everything = JSON.stringify([job, point, metadata, refusals, otherEngine, done, found, foundDone]) + coffer.stdout() + coffer.stderr();
    assert.ok(!everything.includes(PASSWORD), 'the password shows nowhere');
    assert.equal(coffer.stderr(), '');
  });
});
