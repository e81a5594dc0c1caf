/**
 * Sealing a secret under Coffer's 32-byte root key: AES-256-GCM with a fresh 12-byte IV and
 * associated data that binds the sealed text to its place (a key's ARN, a vault and key id), so
 * a text copied onto another row does not open. Text form: `v1:` + base64(iv || tag || ciphertext).
 * The one root-key envelope: KMS key material (key-material.ts) and the repository passwords made
 * before KMS (backup/password-envelope.ts) are both sealed this way; rows written by either
 * before they shared it open unchanged, as the format is the same.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { KmsRandom } from './kms-scope.js';

const VERSION = 'v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

function checkRootKey(rootKey: Buffer): void {
  if (rootKey.length !== 32) throw new Error('the root key must be 32 bytes');
}

export function sealUnderRoot(rootKey: Buffer, plaintext: Buffer, associatedData: Buffer, random: Pick<KmsRandom, 'bytes'>): string {
  checkRootKey(rootKey);
  const iv = random.bytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', rootKey, iv).setAAD(associatedData);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return VERSION + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** `what` names the secret in the error (never its value). Throws a plain Error: a fault, not the caller's. */
export function openUnderRoot(rootKey: Buffer, sealed: string, associatedData: Buffer, what: string): Buffer {
  checkRootKey(rootKey);
  if (!sealed.startsWith(VERSION)) throw new Error(`${what} has an unknown envelope version`);
  const raw = Buffer.from(sealed.slice(VERSION.length), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', rootKey, raw.subarray(0, IV_BYTES)).setAAD(associatedData);
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new Error(`${what} does not open under this root key: wrong root key, or the row was altered`);
  }
}
