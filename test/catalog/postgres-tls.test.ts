/**
 * `catalog: postgres://...?sslmode=...`: the catalog over TLS with a password from a file,
 * against a PostgreSQL server of this test's own (initdb in a temp directory, a self-signed
 * certificate for 127.0.0.1, only `hostssl ... scram-sha-256` in pg_hba.conf, a free port), so
 * that both the TLS modes and the password are really checked (the machine's shared server
 * trusts every local connection and has no TLS). The config is parsed as `coffer serve` parses
 * it and opened as it opens it.
 */
// test-needs: postgres
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCatalog } from '../../src/catalog/open-catalog.js';
import { parseConfig } from '../../src/config/load-config.js';
import type { PostgresCatalogLocation } from '../../src/config/schema.js';
import { freePort } from '../connectors/support/moto-server.js';

const PASSWORD = 'tls-catalog-pw-4711';
const binDir = (() => {
  const root = '/usr/lib/postgresql';
  const version = existsSync(root) ? readdirSync(root).sort().pop() : undefined;
  return version === undefined ? undefined : join(root, version, 'bin');
})();
let dir = '';
let port = 0;
let started = false;

/** initdb and pg_ctl refuse to run as root: as root, they run as the postgres user. */
function asServerUser(cmd: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const r = asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8' }) : spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stdout}${r.stderr}`);
}

before(() => {
  if (binDir === undefined) return;
  dir = mkdtempSync(join(tmpdir(), 'coffer-pg-tls-'));
  chmodSync(dir, 0o755);
  const data = join(dir, 'data');
  writeFileSync(join(dir, 'pw'), PASSWORD);
  const uid = process.getuid?.() === 0 ? Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })) : undefined;
  const gid = process.getuid?.() === 0 ? Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })) : undefined;
  if (uid !== undefined && gid !== undefined) {
    chownSync(dir, uid, gid);
    chownSync(join(dir, 'pw'), uid, gid);
  }
  asServerUser(join(binDir, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${join(dir, 'pw')}`, '-E', 'UTF8']);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(data, 'server.key'),
      '-out',
      join(data, 'server.crt'),
    ],
    { stdio: 'ignore' },
  );
  if (uid !== undefined && gid !== undefined) for (const f of ['server.key', 'server.crt']) chownSync(join(data, f), uid, gid);
  chmodSync(join(data, 'server.key'), 0o600);
  writeFileSync(join(dir, 'ca.pem'), execFileSync('cat', [join(data, 'server.crt')]));
  writeFileSync(join(data, 'pg_hba.conf'), 'hostssl all all 127.0.0.1/32 scram-sha-256\n');
  return freePort().then((p) => {
    port = p;
    asServerUser(join(binDir, 'pg_ctl'), [
      '-D',
      data,
      '-w',
      '-l',
      join(dir, 'server.log'),
      '-o',
      `-c port=${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c ssl=on -c fsync=off`,
      'start',
    ]);
    started = true;
  });
});

after(() => {
  if (started) asServerUser(join(binDir!, 'pg_ctl'), ['-D', join(dir, 'data'), '-m', 'immediate', 'stop']);
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

function location(query: string, passwordLine = `passwordFile: ${join(dir, 'pw')}`): PostgresCatalogLocation {
  const yaml = `catalog:\n  url: "postgres://postgres@127.0.0.1:${port}/postgres${query}"\n  ${passwordLine}\n`;
  const catalog = parseConfig(yaml, { baseDir: dir, env: {} }).catalog;
  assert.equal(catalog.kind, 'postgres');
  return catalog as PostgresCatalogLocation;
}

async function opens(catalog: PostgresCatalogLocation): Promise<void> {
  const opened = await openCatalog(catalog);
  try {
    assert.equal(await opened.schedulerState.get('no-such-cursor'), undefined);
  } finally {
    await opened.close();
  }
}

async function refused(catalog: PostgresCatalogLocation, reason: RegExp): Promise<void> {
  await assert.rejects(openCatalog(catalog), (err: Error) => {
    assert.match(err.message, /PostgreSQL catalog postgres@127\.0\.0\.1:\d+\/postgres/);
    assert.match(err.message, reason);
    assert.ok(!err.message.includes(PASSWORD), err.message);
    return true;
  });
}

const skip = binDir === undefined ? 'no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql' : false;

test('sslmode=verify-full with sslrootcert and the password from a file: the catalog opens (migrated) over TLS', { skip }, async () => {
  const catalog = location('?sslmode=verify-full&sslrootcert=ca.pem');
  assert.deepEqual(catalog.ssl, { mode: 'verify-full', rootCertFile: join(dir, 'ca.pem') });
  await opens(catalog);
  await opens(location('?sslmode=verify-ca&sslrootcert=ca.pem', `password: ${PASSWORD}`));
});

test('sslmode=require encrypts without checking the certificate', { skip }, async () => {
  await opens(location('?sslmode=require'));
});

test('sslmode=verify-full without the CA refuses the self-signed server; a wrong password and no TLS are refused, the password never shown', {
  skip,
}, async () => {
  await refused(location('?sslmode=verify-full'), /self[- ]signed certificate/i);
  await refused(location('?sslmode=require', 'password: not-the-password'), /password authentication failed/);
  await refused(location(''), /no pg_hba\.conf entry.*no encryption/);
  await refused(location('?sslmode=disable'), /no encryption/);
});

test('a missing sslrootcert file fails the start, naming the file', { skip }, async () => {
  await assert.rejects(openCatalog(location('?sslmode=verify-ca&sslrootcert=missing.pem')), /sslrootcert .*missing\.pem: ENOENT/);
});
