/**
 * The root key's sources: COFFER_ROOT_KEY (base64 of 32 bytes), the config's rootKeyFile (base64
 * text or 32 raw bytes, never made up when missing), else <dataDir>/root.key made once (0600).
 * Every refusal says where the key came from and never shows it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load-config.js';
import { loadRootKey, RootKeyError } from '../../src/server/root-key.js';
import { tempDir } from '../support/temp-dir.js';

test('the data dir key is made once with mode 0600 and read back the same', async (t) => {
  const dataDir = join(await tempDir(t), 'data');
  const made = await loadRootKey({ dataDir }, {});
  assert.equal(made.key.length, 32);
  assert.equal(made.created, true);
  assert.equal(made.from, join(dataDir, 'root.key'));
  assert.equal((await stat(join(dataDir, 'root.key'))).mode & 0o777, 0o600);
  const again = await loadRootKey({ dataDir }, {});
  assert.deepEqual(again.key, made.key);
  assert.equal(again.created, false);
  assert.deepEqual(await readFile(join(dataDir, 'root.key')), made.key);
});

test('COFFER_ROOT_KEY wins over rootKeyFile and the data dir', async (t) => {
  const dir = await tempDir(t);
  const fromEnv = randomBytes(32);
  await writeFile(join(dir, 'key'), randomBytes(32).toString('base64'));
  const loaded = await loadRootKey({ dataDir: join(dir, 'data'), rootKeyFile: join(dir, 'key') }, { COFFER_ROOT_KEY: fromEnv.toString('base64') });
  assert.deepEqual(loaded.key, fromEnv);
  assert.equal(loaded.from, 'COFFER_ROOT_KEY');
  await assert.rejects(stat(join(dir, 'data', 'root.key')), /ENOENT/, 'no data dir key is made');
});

test('rootKeyFile holds base64 (with a newline) or 32 raw bytes', async (t) => {
  const dir = await tempDir(t);
  const key = randomBytes(32);
  await writeFile(join(dir, 'b64'), `${key.toString('base64')}\n`);
  await writeFile(join(dir, 'raw'), key);
  for (const name of ['b64', 'raw']) {
    const loaded = await loadRootKey({ dataDir: join(dir, 'data'), rootKeyFile: join(dir, name) }, {});
    assert.deepEqual(loaded.key, key, name);
    assert.equal(loaded.from, join(dir, name));
  }
});

test('bad keys are refused with where they came from, never their value', async (t) => {
  const dir = await tempDir(t);
  const dataDir = join(dir, 'data');
  const short = Buffer.from('not-a-key').toString('base64');
  await assert.rejects(loadRootKey({ dataDir }, { COFFER_ROOT_KEY: short }), (err: Error) => {
    assert.ok(err instanceof RootKeyError);
    assert.match(err.message, /^COFFER_ROOT_KEY must be the standard base64 of exactly 32 bytes \(44 characters/);
    assert.ok(!err.message.includes(short));
    return true;
  });
  const notBase64 = `${'!'.repeat(43)}=`;
  await assert.rejects(loadRootKey({ dataDir }, { COFFER_ROOT_KEY: notBase64 }), /with characters outside base64/);
  await assert.rejects(loadRootKey({ dataDir, rootKeyFile: join(dir, 'missing') }, {}), (err: Error) => {
    assert.match(err.message, /the root key file .*missing \(rootKeyFile\) cannot be read: ENOENT; restore it from your offline copy/);
    return true;
  });
  await assert.rejects(stat(join(dataDir, 'root.key')), /ENOENT/, 'a missing configured key is never replaced by a new one');
  const secretText = 'x'.repeat(20);
  await writeFile(join(dir, 'bad'), secretText);
  await assert.rejects(loadRootKey({ dataDir, rootKeyFile: join(dir, 'bad') }, {}), (err: Error) => {
    assert.match(err.message, /must hold 32 raw bytes or their base64; it holds 20 bytes/);
    assert.ok(!err.message.includes(secretText));
    return true;
  });
  await mkdir(dataDir);
  await writeFile(join(dataDir, 'root.key'), randomBytes(31));
  await assert.rejects(loadRootKey({ dataDir }, {}), /root\.key must hold exactly 32 bytes; it holds 31/);
});

test('the config reads rootKeyFile relative to its own directory', () => {
  assert.equal(parseConfig('rootKeyFile: keys/root.key\n', { baseDir: '/etc/coffer', env: {} }).rootKeyFile, '/etc/coffer/keys/root.key');
  assert.equal(parseConfig('', { baseDir: '/etc/coffer', env: {} }).rootKeyFile, undefined);
  assert.throws(() => parseConfig('rootKeyFile: ""\n', { baseDir: '/etc/coffer', env: {} }), /rootKeyFile: must name a file/);
});
