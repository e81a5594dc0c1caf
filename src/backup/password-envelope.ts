/**
 * Envelope encryption of a vault repository's password under a 32-byte root key: AES-256-GCM,
 * fresh 12-byte IV, the vault and key id bound in as associated data (so a wrapped password
 * moved to another vault's row does not open). Text form: `v1:` + base64(iv || tag || ciphertext).
 * Repositories made before KMS (migration 0003 rows, key id `aws-backup-default`) still carry
 * this envelope and are read through it; new ones are enveloped by KMS (repository-passwords.ts).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1:';

export interface EnvelopeContext {
  readonly accountId: string;
  readonly region: string;
  readonly vaultName: string;
  readonly keyId: string;
}

function aad(ctx: EnvelopeContext): Buffer {
  return Buffer.from(JSON.stringify([ctx.accountId, ctx.region, ctx.vaultName, ctx.keyId]));
}

function checkRootKey(rootKey: Buffer): void {
  if (rootKey.length !== 32) throw new Error('the root key must be 32 bytes');
}

export function wrapPassword(rootKey: Buffer, password: Buffer, ctx: EnvelopeContext): string {
  checkRootKey(rootKey);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', rootKey, iv).setAAD(aad(ctx));
  const body = Buffer.concat([cipher.update(password), cipher.final()]);
  return VERSION + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

export function unwrapPassword(rootKey: Buffer, wrapped: string, ctx: EnvelopeContext): Buffer {
  checkRootKey(rootKey);
  if (!wrapped.startsWith(VERSION)) throw new Error('unknown password envelope version');
  const raw = Buffer.from(wrapped.slice(VERSION.length), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', rootKey, raw.subarray(0, 12)).setAAD(aad(ctx));
  decipher.setAuthTag(raw.subarray(12, 28));
  try {
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
  } catch {
    throw new Error(`the password of vault ${ctx.vaultName} (key ${ctx.keyId}) does not open under this root key: wrong root key, or the row was altered`);
  }
}
