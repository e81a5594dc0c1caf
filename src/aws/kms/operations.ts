/**
 * The KMS operations Coffer serves and how completely, by name (kms-binding.ts registers exactly
 * these; test/kms/kms-binding.test.ts checks). Every other operation of the model answers 501
 * NotImplementedException naming it. `partial`: AWS's shapes, part of the behaviour to come.
 */
export const KMS_IMPLEMENTED: Readonly<Record<string, 'implemented' | 'partial'>> = {
  CreateKey: 'implemented',
  DescribeKey: 'implemented',
  ListKeys: 'implemented',
  EnableKey: 'implemented',
  DisableKey: 'implemented',
  ScheduleKeyDeletion: 'implemented',
  CancelKeyDeletion: 'implemented',
  CreateAlias: 'implemented',
  UpdateAlias: 'implemented',
  DeleteAlias: 'implemented',
  ListAliases: 'implemented',
  GetKeyPolicy: 'implemented',
  PutKeyPolicy: 'implemented',
  ListKeyPolicies: 'implemented',
  Encrypt: 'implemented',
  Decrypt: 'implemented',
  ReEncrypt: 'implemented',
  GenerateDataKey: 'implemented',
  GenerateDataKeyWithoutPlaintext: 'implemented',
  TagResource: 'implemented',
  UntagResource: 'implemented',
  ListResourceTags: 'implemented',
  // Grant tokens are accepted and ignored: Coffer's grants take effect at once.
  CreateGrant: 'partial',
  ListGrants: 'implemented',
  RevokeGrant: 'implemented',
  // The status only: Coffer does not rotate key material yet.
  GetKeyRotationStatus: 'partial',
  EnableKeyRotation: 'partial',
  DisableKeyRotation: 'partial',
};
