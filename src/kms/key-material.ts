/**
 * A key's 256-bit material, stored only sealed under Coffer's root key (root-envelope.ts) with
 * the key's ARN as associated data, so material copied onto another key's row does not open.
 * The material is never logged, returned or written anywhere else.
 */
import type { KmsRandom } from './kms-scope.js';
import { openUnderRoot, sealUnderRoot } from './root-envelope.js';

export const MATERIAL_BYTES = 32;

export function newWrappedMaterial(rootKey: Buffer, keyArn: string, random: KmsRandom): string {
  return wrapMaterial(rootKey, random.bytes(MATERIAL_BYTES), keyArn, random);
}

export function wrapMaterial(rootKey: Buffer, material: Buffer, keyArn: string, random: KmsRandom): string {
  return sealUnderRoot(rootKey, material, Buffer.from(keyArn, 'utf8'), random);
}

/** Throws a plain Error (a fault, not the caller's): wrong root key or an altered row. */
export function unwrapMaterial(rootKey: Buffer, wrapped: string, keyArn: string): Buffer {
  return openUnderRoot(rootKey, wrapped, Buffer.from(keyArn, 'utf8'), `the material of ${keyArn}`);
}
