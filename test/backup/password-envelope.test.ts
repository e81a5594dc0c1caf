/** The envelope of vault repository passwords, and the root key file made at first start. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { unwrapPassword, wrapPassword } from '../../src/backup/password-envelope.js';
import { loadRootKey } from '../../src/server/root-key.js';
import { tempDir } from '../support/temp-dir.js';

const ctx = { accountId: '111111111111', region: 'us-east-1', vaultName: 'daily', keyId: 'aws-backup-default' };

test('wrap and unwrap round-trip; the wrapped text never holds the password', () => {
  const root = randomBytes(32);
  const password = Buffer.from(randomBytes(32).toString('hex'));
  const wrapped = wrapPassword(root, password, ctx);
  assert.match(wrapped, /^v1:/);
  assert.ok(!wrapped.includes(password.toString()));
  assert.ok(!Buffer.from(wrapped.slice(3), 'base64').includes(password));
  assert.notEqual(wrapPassword(root, password, ctx), wrapped, 'a fresh IV each time');
  assert.deepEqual(unwrapPassword(root, wrapped, ctx), password);
});

test('the wrong root key or another vault does not open it', () => {
  const root = randomBytes(32);
  const wrapped = wrapPassword(root, Buffer.from('secret'), ctx);
  assert.throws(() => unwrapPassword(randomBytes(32), wrapped, ctx), /does not open/);
  assert.throws(() => unwrapPassword(root, wrapped, { ...ctx, vaultName: 'other' }), /does not open/);
});

test('root key: made once with mode 0600, read back the same; COFFER_ROOT_KEY wins', async (t) => {
  const dir = await tempDir(t);
  const key = await loadRootKey(join(dir, 'data'), {});
  assert.equal(key.length, 32);
  assert.equal((await stat(join(dir, 'data/root.key'))).mode & 0o777, 0o600);
  assert.deepEqual(await loadRootKey(join(dir, 'data'), {}), key);
  assert.deepEqual(await readFile(join(dir, 'data/root.key')), key);
  const fromEnv = randomBytes(32);
  assert.deepEqual(await loadRootKey(join(dir, 'data'), { COFFER_ROOT_KEY: fromEnv.toString('base64') }), fromEnv);
  await assert.rejects(loadRootKey(join(dir, 'data'), { COFFER_ROOT_KEY: 'c2hvcnQ=' }), /32 bytes/);
});
