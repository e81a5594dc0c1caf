/**
 * A key's 256-bit material, stored only enveloped under Coffer's root key: AES-256-GCM with a
 * fresh 12-byte IV and the key's ARN as associated data, so material copied onto another key's
 * row does not open. Text form: `v1:` + base64(iv || tag || ciphertext). The material is never
 * logged, returned or written anywhere else.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { KmsRandom } from './kms-scope.js';

const VERSION = 'v1:';
export const MATERIAL_BYTES = 32;

function checkRootKey(rootKey: Buffer): void {
  if (rootKey.length !== 32) throw new Error('the root key must be 32 bytes');
}

export function newWrappedMaterial(rootKey: Buffer, keyArn: string, random: KmsRandom): string {
  return wrapMaterial(rootKey, random.bytes(MATERIAL_BYTES), keyArn, random);
}

export function wrapMaterial(rootKey: Buffer, material: Buffer, keyArn: string, random: KmsRandom): string {
  checkRootKey(rootKey);
  const iv = random.bytes(12);
  const cipher = createCipheriv('aes-256-gcm', rootKey, iv).setAAD(Buffer.from(keyArn, 'utf8'));
  const body = Buffer.concat([cipher.update(material), cipher.final()]);
  return VERSION + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** Throws a plain Error (a fault, not the caller's): wrong root key or an altered row. */
export function unwrapMaterial(rootKey: Buffer, wrapped: string, keyArn: string): Buffer {
  checkRootKey(rootKey);
  if (!wrapped.startsWith(VERSION)) throw new Error(`the material of ${keyArn} has an unknown envelope version`);
  const raw = Buffer.from(wrapped.slice(VERSION.length), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', rootKey, raw.subarray(0, 12)).setAAD(Buffer.from(keyArn, 'utf8'));
  decipher.setAuthTag(raw.subarray(12, 28));
  try {
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
  } catch {
    throw new Error(`the material of ${keyArn} does not open under this root key: wrong root key, or the row was altered`);
  }
}
