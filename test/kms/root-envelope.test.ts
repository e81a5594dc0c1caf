/**
 * The one root-key envelope: rows sealed by the two envelopes Coffer had before (repository
 * passwords from before KMS, KMS key material), written by that code, still open; the two kinds
 * stay bound to their place.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unwrapPassword } from '../../src/backup/password-envelope.js';
import { unwrapMaterial } from '../../src/kms/key-material.js';

const ROOT = Buffer.alloc(32, 7);
const VAULT = { accountId: '111111111111', region: 'us-east-1', vaultName: 'daily', keyId: 'aws-backup-default' };
const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
// Written by backup/password-envelope.ts and kms/key-material.ts as they were before they shared one envelope.
const OLD_PASSWORD_ROW = 'v1:YvhL3JO9p91eAo+aRgs/ufHUM8lRg9a41dAdN9jB3agEime0E72zXuhsJmcTLFia7qZ3947vrg==';
const OLD_MATERIAL_ROW = 'v1:AwMDAwMDAwMDAwMDMpuJUvL2R9N++gGaYtclLSz3qgpTIVdLc0lKVeJe9gXkNenmvZydeSbXjrjq7Emx';

test('rows sealed before the envelopes were one still open', () => {
  assert.equal(unwrapPassword(ROOT, OLD_PASSWORD_ROW, VAULT).toString(), 'the old repository password');
  assert.deepEqual(unwrapMaterial(ROOT, OLD_MATERIAL_ROW, KEY_ARN), Buffer.alloc(32, 9));
});

test("each stays bound to its place: a password row is not key material, nor another vault's", () => {
  assert.throws(() => unwrapMaterial(ROOT, OLD_PASSWORD_ROW, KEY_ARN), /the material of .* does not open under this root key/);
  assert.throws(() => unwrapPassword(ROOT, OLD_PASSWORD_ROW, { ...VAULT, vaultName: 'weekly' }), /the password of vault weekly .* does not open/);
  assert.throws(() => unwrapPassword(ROOT, 'v2:abc', VAULT), /unknown envelope version/);
});
