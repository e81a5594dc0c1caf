/** A domain KmsKey as KMS's KeyMetadata wire shape. */
import { originalMaterialId } from '../../../kms/key-material.js';
import { algorithmsOf } from '../../../kms/key-specs.js';
import type { KmsKey } from '../../../kms/kms-key.js';

/** The material new ciphertexts use, as DescribeKey's CurrentKeyMaterialId; none while an import is pending. */
export function currentMaterialId(key: KmsKey): string | undefined {
  if (key.origin === 'EXTERNAL') return key.state === 'PendingImport' ? undefined : key.currentMaterialId;
  return key.currentMaterialId ?? originalMaterialId(key.arn);
}

export function keyMetadata(key: KmsKey): Record<string, unknown> {
  const algorithms = algorithmsOf(key.keySpec, key.keyUsage);
  return {
    AWSAccountId: key.accountId,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: key.createdAt,
    Enabled: key.state === 'Enabled',
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: key.state,
    DeletionDate: key.deletionDate,
    PendingDeletionWindowInDays: key.pendingWindowDays,
    Origin: key.origin,
    ...(key.origin === 'EXTERNAL' && key.state !== 'PendingImport'
      ? { ExpirationModel: key.materialValidTo === undefined ? 'KEY_MATERIAL_DOES_NOT_EXPIRE' : 'KEY_MATERIAL_EXPIRES', ValidTo: key.materialValidTo }
      : {}),
    KeyManager: key.keyManager,
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    EncryptionAlgorithms: algorithms.encryption,
    SigningAlgorithms: algorithms.signing,
    MacAlgorithms: algorithms.mac,
    KeyAgreementAlgorithms: algorithms.agreement,
    MultiRegion: false,
    CurrentKeyMaterialId: currentMaterialId(key),
  };
}
