/**
 * The RDS connector with the PostgreSQL engine against the local server: several tables, a
 * 1M-row table, constraints, sequences, a view, non-ASCII text and bytea; back up, change 1%,
 * back up again (the second recovery point adds little to the vault), restore both into new
 * databases and compare with the source as it was; the dump restic restores loads by hand;
 * failures name the resource and the cause and leave no half-restored database.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConnectorError } from '../../src/connectors/connector.js';
import type { BackupOutcome } from '../../src/connectors/connector.js';
import { databaseConnector } from '../../src/connectors/database/database-connector.js';
import { toolStream } from '../../src/connectors/database/run-tool.js';
import { backupEntries } from '../../src/vault/virtual-tree.js';
import { resticOk } from '../support/restic.js';
import { tempDir } from '../support/temp-dir.js';
import { backupContext, freshRepo, restoreContext } from './support/aws-connector-context.js';
import { dbResource, pg, uniqueName } from './support/sql-servers.js';

const SCHEMA = (owner: string) => `
CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL UNIQUE, city text, photo bytea);
CREATE TABLE orders (
  id bigserial PRIMARY KEY, customer_id int NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  amount numeric(12,2) NOT NULL CHECK (amount >= 0), note text, created timestamptz NOT NULL DEFAULT '2024-01-01T00:00:00Z');
CREATE SEQUENCE invoice_no START 1000 INCREMENT 7;
CREATE TABLE big (id bigint PRIMARY KEY, n int NOT NULL, payload text NOT NULL);
CREATE VIEW customer_totals AS SELECT c.name, sum(o.amount) AS total, count(*) AS orders FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.name;
CREATE TABLE owned_by_role (k text PRIMARY KEY);
ALTER TABLE owned_by_role OWNER TO ${owner};
INSERT INTO customers (name, city, photo) VALUES
  ('Zoë Ångström', 'Zürich', '\\x00ff10deadbeef'), ('Łukasz Żółć', 'Łódź', decode(repeat('ab', 500), 'hex')),
  ('山田太郎', '東京', NULL), ('Ωmega “quotes” \\ backslash', 'Αθήνα', '\\x');
INSERT INTO orders (customer_id, amount, note) SELECT 1 + (i % 4), (i * 3.17)::numeric(12,2), 'note ' || i || ' ✓' FROM generate_series(1, 5000) i;
SELECT nextval('invoice_no'), nextval('invoice_no'), nextval('invoice_no');
INSERT INTO big SELECT i, i % 1000, md5(i::text) || ' payload row ' || i FROM generate_series(1, 1000000) i;
INSERT INTO owned_by_role VALUES ('a'), ('b');
`;

/** What "the same data" means: every table's rows (hashed), the sequences, the view's output. */
function state(database: string): Record<string, string> {
  const q = (sql: string) => pg(sql, database);
  return {
    customers: q(`SELECT md5(string_agg(t::text, E'\\n' ORDER BY id)) FROM customers t`),
    orders: q(`SELECT count(*) || ':' || md5(string_agg(t::text, E'\\n' ORDER BY id)) FROM orders t`),
    big: q(`SELECT count(*) || ':' || md5(string_agg(md5(t::text), '' ORDER BY id)) FROM big t`),
    owned: q(`SELECT string_agg(k, ',' ORDER BY k) FROM owned_by_role`),
    view: q(`SELECT md5(string_agg(t::text, E'\\n' ORDER BY name)) FROM customer_totals t`),
    sequences: q(
      `SELECT (SELECT last_value FROM invoice_no) || '/' || (SELECT last_value FROM orders_id_seq) || '/' || (SELECT last_value FROM customers_id_seq)`,
    ),
    owner: q(`SELECT tableowner FROM pg_tables WHERE tablename = 'owned_by_role'`),
  };
}

function dropDb(name: string): void {
  pg(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

async function du(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath ?? entry.path, entry.name))).size;
  }
  return total;
}

describe('PostgreSQL databases (RDS)', () => {
  const source = uniqueName('coffer_pg');
  const role = uniqueName('coffer_role');
  const created: string[] = [];
  before(() => {
    pg(`CREATE ROLE ${role} NOLOGIN`);
    pg(`CREATE DATABASE ${source}`);
    pg(SCHEMA(role), source);
  });
  after(() => {
    for (const db of [source, ...created]) dropDb(db);
    pg(`DROP ROLE IF EXISTS ${role}`);
  });

  test('back up, change 1%, back up again, restore both points, compare; restic restore loads by hand', async (t) => {
    const dir = await tempDir(t);
    const repo = await freshRepo(dir);
    const resource = dbResource('postgres', source);
    const state1 = state(source);

    let started = Date.now();
    const first = await databaseConnector.backup(resource, backupContext(repo, resource.arn, undefined));
    const firstMs = Date.now() - started;
    const afterFirst = await du(join(dir, 'repo'));

    // 1% of the big table (10,000 of 1M rows) changes, plus a few rows elsewhere.
    pg(
      `UPDATE big SET payload = payload || ' changed', n = n + 1 WHERE id BETWEEN 500001 AND 510000;
        INSERT INTO orders (customer_id, amount, note) VALUES (2, 99.99, 'after the first backup ☃');
        UPDATE customers SET city = 'Genève' WHERE id = 1; SELECT nextval('invoice_no');`,
      source,
    );
    const state2 = state(source);
    assert.notDeepEqual(state2, state1);

    started = Date.now();
    const parent = await repo.loadSnapshot(first.snapshotId);
    const second = await databaseConnector.backup(resource, backupContext(repo, resource.arn, parent));
    const secondMs = Date.now() - started;
    const afterSecond = await du(join(dir, 'repo'));
    const growth = afterSecond - afterFirst;
    t.diagnostic(
      `dump ${first.sizeBytes} B; first backup ${firstMs} ms, repo ${afterFirst} B; second backup ${secondMs} ms, stored ${second.storedBytes} B, repo grew ${growth} B = ${((100 * growth) / afterFirst).toFixed(2)}% of the first`,
    );
    assert.ok(first.sizeBytes > 50_000_000, `the dump is uncompressed (${first.sizeBytes} B)`);
    assert.ok(growth < afterFirst * 0.1, `the second point adds ${growth} B to a ${afterFirst} B vault`);

    assert.deepEqual(Object.keys(first.restoreMetadata).sort(), ['DBInstanceIdentifier', 'Endpoint', 'Engine', 'SourceDBInstanceIdentifier', 'SourceDBName']);
    assert.equal(first.restoreMetadata['Engine'], 'postgres');
    assert.equal(first.restoreMetadata['SourceDBName'], source);

    for (const [outcome, expected] of [
      [first, state1],
      [second, state2],
    ] as const) {
      const target = uniqueName('coffer_restored');
      created.push(target);
      const ctx = await restoreContext(repo, outcome as BackupOutcome, resource, { DBInstanceIdentifier: target.replace(/_/g, '-'), DBName: target });
      started = Date.now();
      const restored = await databaseConnector.restore(ctx);
      t.diagnostic(`restore into ${target}: ${Date.now() - started} ms, ${restored.bytes} B`);
      assert.equal(restored.resultArn, `arn:aws:rds:us-east-1:111122223333:db:${target.replace(/_/g, '-')}`);
      assert.deepEqual(state(target), expected);
      assert.equal(
        pg(`SELECT shobj_description(oid, 'pg_database') IS NULL FROM pg_database WHERE datname = '${target}'`),
        't',
        'the in-progress marker is gone',
      );
      assert.throws(() => pg(`INSERT INTO orders (customer_id, amount) VALUES (1, -1)`, target), /check constraint/);
      assert.throws(() => pg(`INSERT INTO orders (customer_id, amount) VALUES (999, 1)`, target), /foreign key/);
      assert.equal(pg(`SELECT nextval('invoice_no')`, target), String(Number(expected.sequences?.split('/')[0]) + 7));
    }

    // restic, without Coffer: the snapshot holds <db>.pg_dump and globals.sql; pg_restore loads the dump.
    const passwordFile = join(dir, 'pw');
    await writeFile(passwordFile, 'pw');
    const out = join(dir, 'restic-out');
    resticOk(join(dir, 'repo'), passwordFile, ['restore', second.snapshotId, '--target', out]);
    assert.deepEqual((await readdir(out)).sort(), [`${source}.pg_dump`, 'globals.sql']);
    const byHand = uniqueName('coffer_byhand');
    created.push(byHand);
    pg(`CREATE DATABASE ${byHand}`);
    const r = spawnSync('pg_restore', ['-h', '127.0.0.1', '-U', 'postgres', '-d', byHand, '--exit-on-error', join(out, `${source}.pg_dump`)]);
    assert.equal(r.status, 0, r.stderr.toString());
    assert.deepEqual(state(byHand), state2);
    const check = resticOk(join(dir, 'repo'), passwordFile, ['check', '--read-data']);
    assert.match(check, /no errors were found/);
  });

  test('a restore never overwrites an existing database, and a failed one drops what it created', async (t) => {
    const dir = await tempDir(t);
    const repo = await freshRepo(dir);
    const resource = dbResource('postgres', source);
    const small = uniqueName('coffer_small');
    created.push(small);
    pg(`CREATE DATABASE ${small}`);
    pg('CREATE TABLE t (x int); INSERT INTO t VALUES (1);', small);
    const smallResource = dbResource('postgres', small);
    const outcome = await databaseConnector.backup(smallResource, backupContext(repo, smallResource.arn, undefined));
    const existing = await restoreContext(repo, outcome, smallResource, { DBInstanceIdentifier: 'whatever', DBName: source });
    await assert.rejects(
      databaseConnector.restore(existing),
      (err: unknown) => err instanceof ConnectorError && err.kind === 'Refused' && err.message.includes(`database ${source} on 127.0.0.1:5432 already exists`),
    );
    assert.equal(pg('SELECT count(*) FROM big', source), '1000000', 'the existing database is untouched');

    // A recovery point whose dump is damaged: pg_restore fails, the new database is dropped.
    const junk = await backupEntries(repo, [{ path: 'x.pg_dump', type: 'file', open: () => [Buffer.from('PGDMP not really a dump')] }], { hostname: 'coffer' });
    const target = uniqueName('coffer_failed');
    const ctx = await restoreContext(repo, { ...outcome, snapshotId: junk.snapshotId }, resource, {
      DBInstanceIdentifier: target.replace(/_/g, '-'),
      DBName: target,
    });
    await assert.rejects(databaseConnector.restore(ctx), (err: unknown) => {
      assert.ok(err instanceof ConnectorError);
      assert.match(
        err.message,
        new RegExp(`Restore of ${resource.arn} into database ${target} on 127.0.0.1:5432 failed: pg_restore .*; the new database was dropped\\.`),
      );
      return true;
    });
    assert.equal(pg(`SELECT count(*) FROM pg_database WHERE datname = '${target}'`), '0');

    // An interrupted restore (process died): only a database carrying that job's marker is dropped.
    const interrupted = uniqueName('coffer_interrupted');
    pg(`CREATE DATABASE ${interrupted}; COMMENT ON DATABASE ${interrupted} IS 'coffer: restore job JOB-1 in progress'`);
    created.push(interrupted);
    assert.equal(
      await databaseConnector.cleanUpInterruptedRestore!({ metadata: { DBInstanceIdentifier: 'x', DBName: interrupted }, resource, jobId: 'JOB-2' }),
      undefined,
    );
    assert.equal(pg(`SELECT count(*) FROM pg_database WHERE datname = '${interrupted}'`), '1');
    assert.match(
      (await databaseConnector.cleanUpInterruptedRestore!({ metadata: { DBInstanceIdentifier: 'x', DBName: interrupted }, resource, jobId: 'JOB-1' })) ?? '',
      /was dropped/,
    );
    assert.equal(pg(`SELECT count(*) FROM pg_database WHERE datname = '${interrupted}'`), '0');
  });

  test('failures name the resource and the cause: server down, database missing, tool missing', async (t) => {
    const dir = await tempDir(t);
    const repo = await freshRepo(dir);
    const down = dbResource('postgres', source, { port: 1 });
    await assert.rejects(
      databaseConnector.backup(down, backupContext(repo, down.arn, undefined)),
      (err: unknown) =>
        err instanceof ConnectorError
        && err.kind === 'Unavailable'
        && err.message.startsWith(`pg_dump of database ${source} on 127.0.0.1:1: the server cannot be reached`),
    );
    const missing = dbResource('postgres', 'coffer_no_such_db');
    await assert.rejects(
      databaseConnector.backup(missing, backupContext(repo, missing.arn, undefined)),
      (err: unknown) =>
        err instanceof ConnectorError
        && err.kind === 'NotFound'
        && err.message.includes('database coffer_no_such_db on 127.0.0.1:5432: the database does not exist'),
    );
    assert.deepEqual(await repo.snapshots(), [], 'no snapshot is written for a failed dump');
    const noTool = toolStream({ tool: 'pg_dump_not_installed', args: [], env: {}, what: 'pg_dump of database x on h:1' });
    await assert.rejects(
      (async () => {
        for await (const _ of noTool) {
          /* nothing */
        }
      })(),
      (err: unknown) =>
        err instanceof ConnectorError
        && err.kind === 'ToolMissing'
        && err.message === 'pg_dump_not_installed is not installed (or not on PATH); it is needed for pg_dump of database x on h:1',
    );
  });

  test('discovery finds every non-template database with an RDS ARN', async () => {
    const found = await databaseConnector.discover({
      type: 'RDS',
      name: 'pg-local',
      accountId: '111122223333',
      region: 'us-east-1',
      tags: { backup: 'nightly' },
      engine: 'postgres',
      host: '127.0.0.1',
      port: 5432,
      user: 'postgres',
      password: undefined,
      kmsKeyId: undefined,
    });
    const mine = found.find((r) => r.database === source);
    assert.ok(mine);
    assert.equal(mine.arn, `arn:aws:rds:us-east-1:111122223333:db:pg-local-${source.replace(/_/g, '-')}`);
    assert.deepEqual(mine.tags, { backup: 'nightly' });
    assert.ok(!found.some((r) => r.database.startsWith('template')));
  });

  test('restore metadata: defaults and validation naming the bad key', () => {
    const resource = dbResource('postgres', 'orders', { name: 'orders-db' });
    const defaults = databaseConnector.restoreMetadataDefaults(resource, { arn: 'x', id: '0a1b2c3d-4e5f', createdAt: new Date() });
    assert.deepEqual(defaults, {
      Engine: 'postgres',
      DBInstanceIdentifier: 'orders-db-restore-0a1b2c3d',
      SourceDBInstanceIdentifier: 'orders-db',
      SourceDBName: 'orders',
      Endpoint: '127.0.0.1:5432',
    });
    databaseConnector.validateRestoreMetadata({ ...defaults, DBInstanceClass: 'db.t3.micro', MultiAZ: 'false' });
    const bad = (metadata: Record<string, string>, key: string) =>
      assert.throws(
        () => databaseConnector.validateRestoreMetadata({ ...defaults, ...metadata }),
        (err: Error & { key?: string }) => err.key === key,
      );
    bad({ DBInstanceIdentifier: '1abc' }, 'DBInstanceIdentifier');
    bad({ DBInstanceIdentifier: 'a--b' }, 'DBInstanceIdentifier');
    bad({ DBName: 'x y' }, 'DBName');
    bad({ Engine: 'oracle' }, 'Engine');
    bad({ dbinstanceidentifier: 'abc' }, 'dbinstanceidentifier');
  });
});
