/**
 * Coffer's KMS ciphertext blob, self-describing like AWS's so that Decrypt needs no KeyId:
 *
 *     version (1 byte, 0x01) | ARN length (1 byte) | key ARN (UTF-8) | IV (12) | tag (16) | ciphertext
 *
 * under the key's original material, or, under a material that a rotation made (version 0x02),
 *
 *     0x02 | ARN length | key ARN | material id (32 bytes) | IV | tag | ciphertext
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
const ROTATED = 0x02;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MATERIAL_ID_BYTES = 32;

function header(keyArn: string, materialId: string | undefined): Buffer {
  const arn = Buffer.from(keyArn, 'utf8');
  if (arn.length > 255) throw new Error(`key ARN too long for a ciphertext header: ${keyArn}`);
  if (materialId === undefined) return Buffer.concat([Buffer.from([VERSION, arn.length]), arn]);
  return Buffer.concat([Buffer.from([ROTATED, arn.length]), arn, Buffer.from(materialId, 'hex')]);
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

/** `materialId`: the rotated material's id (64 hex digits); undefined for the key's original material. */
export function sealBlob(
  material: Buffer,
  keyArn: string,
  plaintext: Buffer,
  context: EncryptionContext | undefined,
  random: KmsRandom,
  materialId?: string,
): Buffer {
  const head = header(keyArn, materialId);
  const iv = random.bytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', material, iv).setAAD(aad(head, context));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([head, iv, cipher.getAuthTag(), body]);
}

/** Where the header ends; throws InvalidCiphertext when the blob cannot be one. */
function headerEnd(blob: Buffer): number {
  if (blob.length < 2 || (blob[0] !== VERSION && blob[0] !== ROTATED)) throw invalidCiphertext();
  const end = 2 + blob[1]! + (blob[0] === ROTATED ? MATERIAL_ID_BYTES : 0);
  if (blob.length < end + IV_BYTES + TAG_BYTES) throw invalidCiphertext();
  return end;
}

/** The key ARN a blob names, read before its key is looked up; throws InvalidCiphertext. */
export function blobKeyArn(blob: Buffer): string {
  headerEnd(blob);
  return blob.subarray(2, 2 + blob[1]!).toString('utf8');
}

/** The rotated material a blob was sealed under; undefined for the key's original material. */
export function blobMaterialId(blob: Buffer): string | undefined {
  headerEnd(blob);
  if (blob[0] !== ROTATED) return undefined;
  const start = 2 + blob[1]!;
  return blob.subarray(start, start + MATERIAL_ID_BYTES).toString('hex');
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
