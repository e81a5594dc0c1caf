/**
 * `catalog`: SQLite forms, the PostgreSQL URL and mapping forms, the password from the URL, a
 * file or the environment, and that no message, log line or serialised config shows it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { parseConfig } from '../../src/config/load-config.js';
import { describeCatalog } from '../../src/config/read-catalog.js';
import type { CatalogLocation } from '../../src/config/schema.js';
import { assertOneProblem, problems, withTempDir } from './config-fixture.js';

const PASSWORD = 'hunter2-Zq9';

function catalogOf(yaml: string, env: Record<string, string> = {}, baseDir = '/etc/coffer'): CatalogLocation {
  return parseConfig(yaml, { baseDir, env }).catalog;
}

function assertHidden(catalog: CatalogLocation): void {
  for (const shown of [JSON.stringify(catalog), inspect(catalog, { depth: 5 }), String(describeCatalog(catalog))]) assert.ok(!shown.includes(PASSWORD), shown);
}

test('a postgres URL with the password in it', () => {
  const catalog = catalogOf(`catalog: postgres://coffer:${PASSWORD}@db.internal:5433/coffer_catalog\n`);
  assert.equal(catalog.kind, 'postgres');
  if (catalog.kind !== 'postgres') return;
  assert.deepEqual(
    { ...catalog, password: catalog.password?.reveal() },
    {
      kind: 'postgres',
      host: 'db.internal',
      port: 5433,
      user: 'coffer',
      database: 'coffer_catalog',
      password: PASSWORD,
      poolSize: 10,
    },
  );
  assert.equal(describeCatalog(catalog), 'postgres coffer@db.internal:5433/coffer_catalog');
  assertHidden(catalog);
});

test('postgresql: too, default port 5432 and user postgres, no password (trust, PGPASSWORD or ~/.pgpass)', () => {
  const catalog = catalogOf('catalog: postgresql://[::1]/coffer\n');
  assert.deepEqual(catalog, { kind: 'postgres', host: '::1', port: 5432, user: 'postgres', database: 'coffer', password: undefined, poolSize: 10 });
  assert.equal(describeCatalog(catalog), 'postgres postgres@[::1]:5432/coffer');
});

test('the mapping form takes the password from a file or the environment, and a pool size', () =>
  withTempDir(async (dir) => {
    await writeFile(join(dir, 'pg-password'), `${PASSWORD}\n`, { mode: 0o600 });
    const fromFile = catalogOf('catalog: { url: "postgres://coffer@db:5432/coffer", passwordFile: pg-password, poolSize: 4 }\n', {}, dir);
    assert.equal(fromFile.kind === 'postgres' && fromFile.password?.reveal(), PASSWORD);
    assert.equal(fromFile.kind === 'postgres' && fromFile.poolSize, 4);
    assertHidden(fromFile);
    const fromEnv = catalogOf('catalog: { url: "postgres://coffer@db/coffer", passwordEnv: COFFER_PG_PASSWORD }\n', { COFFER_PG_PASSWORD: PASSWORD });
    assert.equal(fromEnv.kind === 'postgres' && fromEnv.password?.reveal(), PASSWORD);
    assertHidden(fromEnv);
  }));

test('sslmode (disable, require, verify-ca, verify-full) and sslrootcert in the URL, in either form; the banner names the mode', () => {
  assert.equal(Object.hasOwn(catalogOf('catalog: postgres://coffer@db/coffer\n'), 'ssl'), false, 'no sslmode: unencrypted, as before');
  assert.equal(Object.hasOwn(catalogOf('catalog: postgres://coffer@db/coffer?sslmode=disable\n'), 'ssl'), false);
  const required = catalogOf('catalog: postgres://coffer@db/coffer?sslmode=require\n');
  assert.deepEqual(required.kind === 'postgres' && required.ssl, { mode: 'require' });
  assert.equal(describeCatalog(required), 'postgres coffer@db:5432/coffer (sslmode=require)');
  const full = catalogOf('catalog: { url: "postgres://coffer@db/coffer?sslmode=verify-full&sslrootcert=certs/ca.pem", passwordEnv: PGPW }\n', {
    PGPW: PASSWORD,
  });
  assert.deepEqual(full.kind === 'postgres' && full.ssl, { mode: 'verify-full', rootCertFile: '/etc/coffer/certs/ca.pem' });
  assert.equal(full.kind === 'postgres' && full.password?.reveal(), PASSWORD);
  const ca = catalogOf('catalog: postgres://coffer@db/coffer?sslmode=verify-ca&sslrootcert=/etc/ssl/pg-ca.pem\n');
  assert.deepEqual(ca.kind === 'postgres' && ca.ssl, { mode: 'verify-ca', rootCertFile: '/etc/ssl/pg-ca.pem' });
});

test('sqlite forms are unchanged', () => {
  assert.deepEqual(catalogOf('catalog: sqlite\n'), { kind: 'sqlite', file: '/etc/coffer/data/catalog.sqlite' });
  assert.deepEqual(catalogOf('catalog: sqlite:/var/lib/coffer/db.sqlite\n'), { kind: 'sqlite', file: '/var/lib/coffer/db.sqlite' });
});

test('bad catalogs are refused with the reason, never quoting the URL or the password', () => {
  const cases: [string, RegExp][] = [
    [`catalog: postgres://coffer:${PASSWORD}@db\n`, /^catalog: must name a database/],
    [`catalog: postgres://coffer:${PASSWORD}@db/a/b\n`, /^catalog: names a database with a slash/],
    [
      `catalog: postgres://coffer:${PASSWORD}@db/coffer?sslmode=prefer\n`,
      /^catalog: sslmode=prefer may fall back to an unencrypted connection.*use sslmode=require, verify-ca or verify-full/,
    ],
    [`catalog: postgres://coffer:${PASSWORD}@db/coffer?sslmode=allow\n`, /^catalog: sslmode=allow may fall back/],
    [`catalog: postgres://coffer:${PASSWORD}@db/coffer?sslmode=${PASSWORD}\n`, /^catalog: sslmode must be disable, require, verify-ca or verify-full$/],
    [`catalog: postgres://coffer:${PASSWORD}@db/coffer?sslmode=require&sslmode=disable\n`, /^catalog: gives sslmode twice$/],
    [
      `catalog: postgres://coffer:${PASSWORD}@db/coffer?connect_timeout=3\n`,
      /^catalog: has the query parameter "connect_timeout"; only sslmode and sslrootcert are understood$/,
    ],
    [`catalog: postgres://coffer:${PASSWORD}@db/coffer?sslrootcert=ca.pem\n`, /^catalog: gives sslrootcert with sslmode=disable/],
    [`catalog: postgres://coffer:${PASSWORD}@db/coffer#x\n`, /^catalog: must not have a fragment/],
    ['catalog: { url: "postgres://c@db/c?sslmode=verify-full&sslrootcert=" }\n', /^catalog\.url: gives an empty sslrootcert$/],
    ['catalog: mysql\n', /^catalog: must be sqlite, sqlite:<file> or postgres:\/\/USER@HOST:PORT\/DB$/],
    ['catalog: { passwordEnv: X }\n', /^catalog\.url: is required/],
    ['catalog: { url: "sqlite:/x" }\n', /^catalog\.url: must be postgres:/],
    [`catalog: { url: "postgres://c:${PASSWORD}@db/c", password: "${PASSWORD}" }\n`, /^catalog: the password is given twice/],
    ['catalog: { url: "postgres://c@db/c", passwordEnv: UNSET_VAR }\n', /^catalog\.passwordEnv: environment variable UNSET_VAR is not set$/],
    ['catalog: { url: "postgres://c@db/c", poolSize: 0 }\n', /^catalog\.poolSize: must be a whole number from 1 to 1000$/],
    ['catalog: { url: "postgres://c@db/c", pool: 3 }\n', /^catalog\.pool: unknown field/],
  ];
  for (const [yaml, pattern] of cases) {
    assertOneProblem(yaml, pattern);
    for (const line of problems(yaml)) assert.ok(!line.includes(PASSWORD), line);
  }
});
