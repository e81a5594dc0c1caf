/** Between the catalog's key rows and the domain's KmsKey: a stored key is a key plus its enveloped material. */
import type { KmsKeyRecord } from '../catalog/kms-keys.js';
import type { ArnScope } from '../iam/arn.js';
import type { KeyUsage } from './key-specs.js';
import type { KeyManager, KeyOrigin, KeyState, KmsKey } from './kms-key.js';

export interface StoredKey {
  readonly key: KmsKey;
  /**
   * The key's original material, enveloped under the root key (key-material.ts); opened only to
   * use it. Empty for an imported key whose material is not (or no longer) imported.
   */
  readonly wrappedMaterial: string;
  /** A pending import's sealed wrapping key and token (kms-import.ts). */
  readonly importParameters?: string | undefined;
}

const date = (millis: number | undefined): Date | undefined => (millis === undefined ? undefined : new Date(millis));

export function fromRecord(owner: ArnScope, record: KmsKeyRecord): StoredKey {
  return {
    key: {
      accountId: owner.accountId,
      region: owner.region,
      keyId: record.keyId,
      arn: record.arn,
      description: record.description,
      keyManager: record.keyManager as KeyManager,
      keySpec: record.keySpec,
      keyUsage: record.keyUsage as KeyUsage,
      origin: (record.origin ?? 'AWS_KMS') as KeyOrigin,
      state: record.state as KeyState,
      policy: record.policy,
      createdAt: new Date(record.createdAt),
      deletionDate: date(record.deletionAt),
      pendingWindowDays: record.pendingWindowDays,
      rotationEnabled: record.rotationEnabledAt !== undefined,
      rotationPeriodDays: record.rotationPeriodDays,
      nextRotationDate: date(record.nextRotationAt),
      currentMaterialId: record.currentMaterialId,
      materialValidTo: date(record.materialValidTo),
    },
    wrappedMaterial: record.wrappedMaterial,
    importParameters: record.importParameters,
  };
}

export function toRecord(stored: StoredKey, rotationEnabledAt?: number): KmsKeyRecord {
  const { key } = stored;
  return {
    keyId: key.keyId,
    arn: key.arn,
    description: key.description,
    keyManager: key.keyManager,
    keySpec: key.keySpec,
    keyUsage: key.keyUsage,
    state: key.state,
    policy: key.policy,
    wrappedMaterial: stored.wrappedMaterial,
    createdAt: key.createdAt.getTime(),
    deletionAt: key.deletionDate?.getTime(),
    pendingWindowDays: key.pendingWindowDays,
    rotationEnabledAt,
    origin: key.origin === 'AWS_KMS' ? undefined : key.origin,
    rotationPeriodDays: key.rotationPeriodDays,
    nextRotationAt: key.nextRotationDate?.getTime(),
    currentMaterialId: key.currentMaterialId,
    materialValidTo: key.materialValidTo?.getTime(),
    importParameters: stored.importParameters,
  };
}
