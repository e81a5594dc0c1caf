/**
 * The RDS connector with the MariaDB engine against the local server: tables with constraints,
 * an AUTO_INCREMENT, a view, a routine, a trigger, non-ASCII text and binary data; back up,
 * change, back up again, restore both points into new databases and compare; restic restore
 * yields a .sql that `mariadb` loads by hand; failures name the cause and never leak a password.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Secret } from '../../src/config/secret.js';
import { ConnectorError } from '../../src/connectors/connector.js';
import { databaseConnector } from '../../src/connectors/database/database-connector.js';
import { backupEntries } from '../../src/vault/virtual-tree.js';
import { resticOk } from '../support/restic.js';
import { tempDir } from '../support/temp-dir.js';
import { backupContext, freshRepo, restoreContext } from './support/aws-connector-context.js';
import { dbResource, maria, uniqueName } from './support/sql-servers.js';

const SCHEMA = `
CREATE TABLE customers (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL UNIQUE, city VARCHAR(100), photo BLOB) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, customer_id INT NOT NULL, amount DECIMAL(12,2) NOT NULL CHECK (amount >= 0), note TEXT,
  FOREIGN KEY (customer_id) REFERENCES customers(id) ON DELETE CASCADE) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(200)) ENGINE=InnoDB;
CREATE VIEW customer_totals AS SELECT c.name, SUM(o.amount) AS total, COUNT(*) AS orders FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.name;
CREATE TRIGGER orders_audit AFTER INSERT ON orders FOR EACH ROW INSERT INTO audit (what) VALUES (CONCAT('order ', NEW.id));
CREATE FUNCTION double_it(x INT) RETURNS INT DETERMINISTIC RETURN x * 2;
INSERT INTO customers (name, city, photo) VALUES ('Zoë Ångström', 'Zürich', X'00FF10DEADBEEF'), ('山田太郎', '東京', NULL), ('Łukasz "quote" \\\\ back', 'Łódź', REPEAT(X'AB', 500));
INSERT INTO orders (customer_id, amount, note) SELECT 1 + (seq % 3), seq * 3.17, CONCAT('note ', seq, ' ✓') FROM seq_1_to_20000;
`;

function state(database: string): Record<string, string> {
  const q = (sql: string) => maria(sql, database);
  return {
    customers: q('SELECT MD5(GROUP_CONCAT(CONCAT_WS("|", id, name, IFNULL(city, "-"), IFNULL(HEX(photo), "-")) ORDER BY id SEPARATOR "\\n")) FROM customers'),
    orders: q(
      'SELECT CONCAT(COUNT(*), ":", SUM(amount), ":", MD5(GROUP_CONCAT(CONCAT_WS("|", id, customer_id, amount, note) ORDER BY id SEPARATOR ""))) FROM orders',
    ),
    audit: q('SELECT COUNT(*) FROM audit'),
    view: q('SELECT GROUP_CONCAT(CONCAT_WS("|", name, total, orders) ORDER BY name) FROM customer_totals'),
    fn: q('SELECT double_it(21)'),
    nextId: q(`SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'orders'`),
  };
}

describe('MariaDB databases (RDS)', () => {
  const source = uniqueName('coffer_maria');
  const created: string[] = [];
  before(() => {
    maria(`CREATE DATABASE ${source} CHARACTER SET utf8mb4`);
    maria(SCHEMA, source);
  });
  after(() => {
    for (const db of [source, ...created]) maria(`DROP DATABASE IF EXISTS ${db}`);
  });

  test('back up, change, back up again, restore both points, compare; restic restore loads by hand', async (t) => {
    const dir = await tempDir(t);
    const repo = await freshRepo(dir);
    const resource = dbResource('mariadb', source);
    const state1 = state(source);
    const first = await databaseConnector.backup(resource, backupContext(repo, resource.arn, undefined));
    maria(
      `UPDATE orders SET note = CONCAT(note, ' changed') WHERE id BETWEEN 1000 AND 1200; INSERT INTO orders (customer_id, amount) VALUES (2, 1.5); UPDATE customers SET city = 'Genève' WHERE id = 1;`,
      source,
    );
    const state2 = state(source);
    assert.notDeepEqual(state2, state1);
    const second = await databaseConnector.backup(resource, backupContext(repo, resource.arn, await repo.loadSnapshot(first.snapshotId)));
    t.diagnostic(`dump ${first.sizeBytes} B stored ${first.storedBytes} B; second stored ${second.storedBytes} B`);
    assert.equal(first.restoreMetadata['Engine'], 'mariadb');

    for (const [outcome, expected] of [
      [first, state1],
      [second, state2],
    ] as const) {
      const target = uniqueName('coffer_mrestored');
      created.push(target);
      const restored = await databaseConnector.restore(await restoreContext(repo, outcome, resource, { DBInstanceIdentifier: 'ignored-id', DBName: target }));
      assert.equal(restored.resultArn, 'arn:aws:rds:us-east-1:111122223333:db:ignored-id');
      assert.deepEqual(state(target), expected);
      assert.equal(maria(`SELECT SCHEMA_COMMENT FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '${target}'`), '', 'the marker is gone');
      assert.throws(() => maria('INSERT INTO orders (customer_id, amount) VALUES (999, 1)', target), /foreign key/i);
    }

    const passwordFile = join(dir, 'pw');
    await writeFile(passwordFile, 'pw');
    const out = join(dir, 'restic-out');
    resticOk(join(dir, 'repo'), passwordFile, ['restore', second.snapshotId, '--target', out]);
    assert.deepEqual(await readdir(out), [`${source}.sql`]);
    const byHand = uniqueName('coffer_mbyhand');
    created.push(byHand);
    maria(`CREATE DATABASE ${byHand}`);
    const r = spawnSync('mariadb', ['--no-defaults', '--protocol=TCP', '-h', '127.0.0.1', '-u', 'root', byHand], {
      input: await readFile(join(out, `${source}.sql`)),
    });
    assert.equal(r.status, 0, r.stderr.toString());
    assert.deepEqual(state(byHand), state2);
  });

  test('an existing database is refused; a failed load drops the new one; a wrong password never shows', async (t) => {
    const dir = await tempDir(t);
    const repo = await freshRepo(dir);
    const resource = dbResource('mariadb', source);
    const outcome = await databaseConnector.backup(resource, backupContext(repo, resource.arn, undefined));
    await assert.rejects(
      databaseConnector.restore(await restoreContext(repo, outcome, resource, { DBName: source })),
      (err: unknown) => err instanceof ConnectorError && err.kind === 'Refused' && err.message.includes('already exists'),
    );

    const junk = await backupEntries(repo, [{ path: 'x.sql', type: 'file', open: () => [Buffer.from('CREATE TABLE ok (x INT);\nTHIS IS NOT SQL;\n')] }], {
      hostname: 'coffer',
    });
    const target = uniqueName('coffer_mfailed');
    await assert.rejects(
      databaseConnector.restore(await restoreContext(repo, { ...outcome, snapshotId: junk.snapshotId }, resource, { DBName: target })),
      (err: unknown) =>
        err instanceof ConnectorError
        && err.message.includes(`into database ${target} on 127.0.0.1:3306 failed`)
        && err.message.endsWith('the new database was dropped.'),
    );
    assert.equal(maria(`SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '${target}'`), '0');

    const wrong = dbResource('mariadb', source, { password: new Secret('hunter2-very-secret') });
    await assert.rejects(databaseConnector.backup(wrong, backupContext(repo, wrong.arn, undefined)), (err: unknown) => {
      assert.ok(err instanceof ConnectorError);
      assert.equal(err.kind, 'Unavailable');
      assert.match(err.message, new RegExp(`^mariadb-dump of database ${source} on 127.0.0.1:3306: the server refused the login`));
      assert.ok(!err.message.includes('hunter2'));
      return true;
    });
    const down = dbResource('mariadb', source, { port: 1 });
    await assert.rejects(
      databaseConnector.backup(down, backupContext(repo, down.arn, undefined)),
      (err: unknown) => err instanceof ConnectorError && err.kind === 'Unavailable' && /the server cannot be reached/.test(err.message),
    );
  });

  test('discovery skips the system schemas', async () => {
    const found = await databaseConnector.discover({
      type: 'RDS',
      name: 'maria',
      accountId: '111122223333',
      region: 'us-east-1',
      tags: {},
      engine: 'mariadb',
      host: '127.0.0.1',
      port: 3306,
      user: 'root',
      password: undefined,
      kmsKeyId: undefined,
    });
    assert.ok(found.some((r) => r.database === source && r.arn === `arn:aws:rds:us-east-1:111122223333:db:maria-${source.replace(/_/g, '-')}`));
    assert.ok(!found.some((r) => ['mysql', 'sys', 'information_schema', 'performance_schema'].includes(r.database)));
  });
});
