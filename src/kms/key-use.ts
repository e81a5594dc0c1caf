/**
 * Using a key for a cryptographic operation, shared by every such operation: find it, authorize
 * the caller (policy, then grants), check its state, record the use (GetKeyLastUsage), and open
 * its material: the current one for new ciphertexts, MACs and signatures, or the one a ciphertext
 * names. A symmetric key's rotations add materials (kms-rotation.ts); its original stays on its row.
 */
import type { EncryptionContext } from './encryption-context.js';
import type { KmsOperation } from './key-access.js';
import { unwrapMaterial, unwrapRotatedMaterial } from './key-material.js';
import { checkUsable } from './kms-key.js';
import type { KmsKey } from './kms-key.js';
import type { KmsContext } from './kms-context.js';
import { invalidCiphertext } from './ciphertext-blob.js';
import type { KmsScope } from './kms-scope.js';
import type { StoredKey } from './stored-key.js';

export interface KeyMaterial {
  readonly material: Buffer;
  /** Undefined for the key's original material. */
  readonly materialId: string | undefined;
}

export interface KeyUse {
  usable(scope: KmsScope, keyRef: string, operation: KmsOperation, context?: EncryptionContext): Promise<StoredKey>;
  /** The material new ciphertexts use. */
  current(stored: StoredKey): Promise<KeyMaterial>;
  /** The material `materialId` names (undefined: the original); InvalidCiphertext when the key has none by that id. */
  byId(stored: StoredKey, materialId: string | undefined): Promise<Buffer>;
}

/** GetKeyLastUsage's operation names: ReEncrypt for both of its halves. */
const TRACKED: Partial<Record<KmsOperation, string>> = {
  Encrypt: 'Encrypt',
  Decrypt: 'Decrypt',
  ReEncryptFrom: 'ReEncrypt',
  ReEncryptTo: 'ReEncrypt',
  GenerateDataKey: 'GenerateDataKey',
  GenerateDataKeyWithoutPlaintext: 'GenerateDataKeyWithoutPlaintext',
  GenerateDataKeyPair: 'GenerateDataKeyPair',
  GenerateDataKeyPairWithoutPlaintext: 'GenerateDataKeyPairWithoutPlaintext',
  Sign: 'Sign',
  Verify: 'Verify',
  GenerateMac: 'GenerateMac',
  VerifyMac: 'VerifyMac',
  DeriveSharedSecret: 'DeriveSharedSecret',
};

/** Whether new ciphertexts of the key use a rotated material (only symmetric keys of Coffer's own material rotate). */
export function usesRotatedMaterial(key: KmsKey): boolean {
  return key.origin === 'AWS_KMS' && key.currentMaterialId !== undefined;
}

export function createKeyUse(ctx: KmsContext): KeyUse {
  const { loader, access, stores, clock, rootKey } = ctx;
  const byId = async (stored: StoredKey, materialId: string | undefined): Promise<Buffer> => {
    const { key } = stored;
    if (materialId === undefined) {
      if (stored.wrappedMaterial === '') throw invalidCiphertext();
      return unwrapMaterial(rootKey, stored.wrappedMaterial, key.arn);
    }
    const row = await stores.kmsKeyMaterials.get(key, key.keyId, materialId);
    if (row === undefined) throw invalidCiphertext();
    return unwrapRotatedMaterial(rootKey, row.wrappedMaterial, key.arn, materialId);
  };
  return {
    async usable(scope, keyRef, operation, context) {
      const stored = await loader.load(scope, keyRef, operation);
      await access.authorize(scope, stored.key, operation, context);
      checkUsable(stored.key);
      const tracked = TRACKED[operation];
      if (tracked !== undefined) {
        await stores.kmsKeys.recordUse(stored.key, stored.key.keyId, { at: clock.now().getTime(), operation: tracked, requestId: scope.requestId });
      }
      return stored;
    },
    async current(stored) {
      const materialId = usesRotatedMaterial(stored.key) ? stored.key.currentMaterialId : undefined;
      return { material: await byId(stored, materialId), materialId };
    },
    byId,
  };
}
