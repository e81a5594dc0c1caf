/**
 * Restore testing of a PostgreSQL database (resource type RDS) through the real `coffer serve`
 * on the manual clock: at the plan's time the newest recovery point is restored into a scratch
 * database `<source id>-restore-test-<suffix>` on the same server, every table's rows are
 * counted against the recovery point's dump, and the scratch database is dropped.
 */
// test-needs: postgres
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBackupVaultCommand,
  CreateRestoreTestingPlanCommand,
  CreateRestoreTestingSelectionCommand,
  ListRestoreJobsCommand,
} from '@aws-sdk/client-backup';
import { pg, uniqueName } from '../connectors/support/sql-servers.js';
import { ALPHA, ALPHA_CONFIG_HEAD } from './support/accounts.js';
import { keysOf, sdk } from './support/clients.js';
import { BACKUP_ROLE, backupAndWait } from './support/jobs.js';
import { useCoffer } from './support/server-fixture.js';

const SOURCE = uniqueName('coffer_rt');
const RESOURCE_ARN = `arn:aws:rds:us-east-1:${ALPHA.accountId}:db:rt-orders`;
const ROLE = BACKUP_ROLE(ALPHA.accountId);
const yaml = `${ALPHA_CONFIG_HEAD}resources:
  - arn: "${RESOURCE_ARN}"
    url: postgres://postgres@127.0.0.1:5432/${SOURCE}
`;

before(() => {
  pg(`CREATE DATABASE ${SOURCE}`);
  pg(
    `CREATE TABLE people (id serial PRIMARY KEY, name text NOT NULL);
     INSERT INTO people (name) SELECT 'line ' || i || E'\\nwith a newline' FROM generate_series(1, 1500) i;
     CREATE SCHEMA sales;
     CREATE TABLE sales."Orders" (id int, note text);
     INSERT INTO sales."Orders" SELECT i, 'o' FROM generate_series(1, 42) i;
     CREATE TABLE empty_one (x int);`,
    SOURCE,
  );
});
after(() => {
  pg(`DROP DATABASE IF EXISTS "${SOURCE}" WITH (FORCE)`);
  for (const name of pg(`SELECT datname FROM pg_database WHERE datname LIKE 'rt-orders-restore-test-%'`)
    .split('\n')
    .filter((l) => l !== '')) {
    pg(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
});

const server = useCoffer({ yaml, args: ['--clock', 'manual', '--clock-start', '2027-06-01T00:00:00Z'] });

test('a restore test restores the database, counts every table and drops the scratch database', async () => {
  const { endpoint } = server();
  const client = sdk(endpoint, keysOf(ALPHA));
  await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'db' }));
  const { rpArn } = await backupAndWait(client, 'db', RESOURCE_ARN, ROLE);
  const plan = await client.send(
    new CreateRestoreTestingPlanCommand({
      RestoreTestingPlan: {
        RestoreTestingPlanName: 'db_nightly',
        ScheduleExpression: 'cron(30 1 ? * * *)',
        RecoveryPointSelection: { Algorithm: 'LATEST_WITHIN_WINDOW', IncludeVaults: ['*'], RecoveryPointTypes: ['SNAPSHOT'] },
      },
    }),
  );
  await client.send(
    new CreateRestoreTestingSelectionCommand({
      RestoreTestingPlanName: 'db_nightly',
      RestoreTestingSelection: { RestoreTestingSelectionName: 'orders', ProtectedResourceType: 'RDS', IamRoleArn: ROLE, ProtectedResourceArns: ['*'] },
    }),
  );
  const moved = await fetch(`${endpoint}/_coffer/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advance: 'PT2H' }),
  });
  assert.equal(moved.status, 200, await moved.text());

  const jobs = (await client.send(new ListRestoreJobsCommand({ ByRestoreTestingPlanArn: plan.RestoreTestingPlanArn! }))).RestoreJobs!;
  assert.equal(jobs.length, 1);
  const job = jobs[0]!;
  assert.equal(job.Status, 'COMPLETED', job.StatusMessage);
  assert.equal(job.RecoveryPointArn, rpArn);
  assert.match(job.CreatedResourceArn!, new RegExp(`^arn:aws:rds:us-east-1:${ALPHA.accountId}:db:rt-orders-restore-test-[0-9a-f]{8}$`));
  assert.equal(job.ValidationStatus, 'SUCCESSFUL', job.ValidationStatusMessage);
  assert.match(job.ValidationStatusMessage!, /holds the recovery point's 3 tables with their 1542 rows, table by table/);
  assert.equal(job.DeletionStatus, 'SUCCESSFUL', job.DeletionStatusMessage);
  assert.match(job.DeletionStatusMessage!, /Database rt-orders-restore-test-[0-9a-f]{8} on server 127\.0\.0\.1:5432 was dropped/);
  assert.equal(pg(`SELECT count(*) FROM pg_database WHERE datname LIKE 'rt-orders-restore-test-%'`), '0', 'the scratch database is gone');
});
