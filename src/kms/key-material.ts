/**
 * A key's 256-bit material, stored only sealed under Coffer's root key (root-envelope.ts) with
 * the key's ARN as associated data, so material copied onto another key's row does not open.
 * The material is never logged, returned or written anywhere else.
 */
import { createHash } from 'node:crypto';
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

/** The associated data of a material that a rotation made: the key's ARN and the material's id. */
function rotatedBinding(keyArn: string, materialId: string): string {
  return `${keyArn}#${materialId}`;
}

export function wrapRotatedMaterial(rootKey: Buffer, material: Buffer, keyArn: string, materialId: string, random: KmsRandom): string {
  return wrapMaterial(rootKey, material, rotatedBinding(keyArn, materialId), random);
}

export function unwrapRotatedMaterial(rootKey: Buffer, wrapped: string, keyArn: string, materialId: string): Buffer {
  return unwrapMaterial(rootKey, wrapped, rotatedBinding(keyArn, materialId));
}

/** A new material id: 64 hex digits, as AWS's KeyMaterialId. */
export function newMaterialId(random: KmsRandom): string {
  return random.bytes(32).toString('hex');
}

/**
 * The id of a key's original material: for a key whose material Coffer made, fixed by its ARN;
 * for imported material, derived from the key and the material (so importing the same material
 * again gives the same id, and different material a different one), without revealing it.
 */
export function originalMaterialId(keyArn: string, importedMaterial?: Buffer): string {
  const hash = createHash('sha256').update(importedMaterial === undefined ? 'coffer-kms-original-material\0' : 'coffer-kms-imported-material\0');
  hash.update(keyArn);
  if (importedMaterial !== undefined) hash.update('\0').update(importedMaterial);
  return hash.digest('hex');
}
