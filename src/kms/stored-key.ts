/** Between the catalog's key rows and the domain's KmsKey: a stored key is a key plus its enveloped material. */
import type { KmsKeyRecord } from '../catalog/kms-keys.js';
import type { ArnScope } from '../iam/arn.js';
import type { KeyManager, KeyState, KmsKey } from './kms-key.js';

export interface StoredKey {
  readonly key: KmsKey;
  /** Enveloped under the root key (key-material.ts); opened only to encrypt or decrypt. */
  readonly wrappedMaterial: string;
}

export function fromRecord(owner: ArnScope, record: KmsKeyRecord): StoredKey {
  return {
    key: {
      accountId: owner.accountId,
      region: owner.region,
      keyId: record.keyId,
      arn: record.arn,
      description: record.description,
      keyManager: record.keyManager as KeyManager,
      keySpec: 'SYMMETRIC_DEFAULT',
      keyUsage: 'ENCRYPT_DECRYPT',
      state: record.state as KeyState,
      policy: record.policy,
      createdAt: new Date(record.createdAt),
      deletionDate: record.deletionAt === undefined ? undefined : new Date(record.deletionAt),
      pendingWindowDays: record.pendingWindowDays,
      rotationEnabled: record.rotationEnabledAt !== undefined,
    },
    wrappedMaterial: record.wrappedMaterial,
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
  };
}
