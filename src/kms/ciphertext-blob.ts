/**
 * Coffer's KMS ciphertext blob, self-describing like AWS's so that Decrypt needs no KeyId:
 *
 *     version (1 byte, 0x01) | ARN length (1 byte) | key ARN (UTF-8) | IV (12) | tag (16) | ciphertext
 *
 * The body is AES-256-GCM under the key's material; the associated data is the header (version,
 * length and ARN) followed by the canonical encryption context, so a changed header, a changed
 * byte or another context all fail as one error: InvalidCiphertext.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { canonicalContext } from './encryption-context.js';
import type { EncryptionContext } from './encryption-context.js';
import { KmsError } from './kms-error.js';
import type { KmsRandom } from './kms-scope.js';

const VERSION = 0x01;
const IV_BYTES = 12;
const TAG_BYTES = 16;

function header(keyArn: string): Buffer {
  const arn = Buffer.from(keyArn, 'utf8');
  if (arn.length > 255) throw new Error(`key ARN too long for a ciphertext header: ${keyArn}`);
  return Buffer.concat([Buffer.from([VERSION, arn.length]), arn]);
}

function aad(head: Buffer, context: EncryptionContext | undefined): Buffer {
  return Buffer.concat([head, canonicalContext(context)]);
}

export function invalidCiphertext(): KmsError {
  return new KmsError(
    'InvalidCiphertext',
    'The ciphertext is invalid: it was altered, is not a KMS ciphertext, or the encryption context differs from the one it was encrypted with.',
  );
}

export function sealBlob(material: Buffer, keyArn: string, plaintext: Buffer, context: EncryptionContext | undefined, random: KmsRandom): Buffer {
  const head = header(keyArn);
  const iv = random.bytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', material, iv).setAAD(aad(head, context));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([head, iv, cipher.getAuthTag(), body]);
}

/** Where the header ends; throws InvalidCiphertext when the blob cannot be one. */
function headerEnd(blob: Buffer): number {
  if (blob.length < 2 || blob[0] !== VERSION) throw invalidCiphertext();
  const end = 2 + blob[1]!;
  if (blob.length < end + IV_BYTES + TAG_BYTES) throw invalidCiphertext();
  return end;
}

/** The key ARN a blob names, read before its key is looked up; throws InvalidCiphertext. */
export function blobKeyArn(blob: Buffer): string {
  return blob.subarray(2, headerEnd(blob)).toString('utf8');
}

export function openBlob(material: Buffer, blob: Buffer, context: EncryptionContext | undefined): Buffer {
  const start = headerEnd(blob);
  const iv = blob.subarray(start, start + IV_BYTES);
  const tag = blob.subarray(start + IV_BYTES, start + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', material, iv).setAAD(aad(blob.subarray(0, start), context));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(blob.subarray(start + IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw invalidCiphertext();
  }
}
