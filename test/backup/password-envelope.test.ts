/** The envelope of vault repository passwords (the root key's sourcing: test/server/root-key.test.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { unwrapPassword, wrapPassword } from '../../src/backup/password-envelope.js';

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
