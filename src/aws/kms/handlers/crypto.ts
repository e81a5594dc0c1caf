/** Encrypt, Decrypt, ReEncrypt, GenerateDataKey(WithoutPlaintext), GenerateDataKeyPair(WithoutPlaintext), GenerateRandom: wire shapes to the KMS domain. */
import type { KmsDomain } from '../../../kms/kms-domain.js';
import type { OperationHandler } from '../../http-handler.js';
import { contextOf, kmsScopeOf, optionalBlob, optionalBoolean, optionalInteger, optionalString, requiredBlob, requiredString } from './wire-input.js';
import type { WireInput } from './wire-input.js';

function dataKeySize(input: WireInput) {
  return { keySpec: optionalString(input, 'KeySpec'), numberOfBytes: optionalInteger(input, 'NumberOfBytes') };
}

function options(input: WireInput) {
  return { context: contextOf(input), dryRun: optionalBoolean(input, 'DryRun') };
}

export function cryptoHandlers(kms: KmsDomain): Readonly<Record<string, OperationHandler>> {
  const crypto = kms.crypto;
  return {
    async Encrypt(ctx, input) {
      const out = await crypto.encrypt(kmsScopeOf(ctx), requiredString(input, 'KeyId'), requiredBlob(input, 'Plaintext'), {
        ...options(input),
        algorithm: optionalString(input, 'EncryptionAlgorithm'),
      });
      return { CiphertextBlob: out.ciphertext, KeyId: out.keyArn, EncryptionAlgorithm: out.algorithm };
    },

    async Decrypt(ctx, input) {
      // CiphertextBlob is optional in the model only for the Recipient (Nitro enclave) variant.
      const blob = optionalBlob(input, 'CiphertextBlob') ?? Buffer.alloc(0);
      const out = await crypto.decrypt(kmsScopeOf(ctx), blob, {
        ...options(input),
        keyRef: optionalString(input, 'KeyId'),
        algorithm: optionalString(input, 'EncryptionAlgorithm'),
      });
      return { Plaintext: out.plaintext, KeyId: out.keyArn, EncryptionAlgorithm: out.algorithm };
    },

    async ReEncrypt(ctx, input) {
      const out = await crypto.reEncrypt(kmsScopeOf(ctx), optionalBlob(input, 'CiphertextBlob') ?? Buffer.alloc(0), requiredString(input, 'DestinationKeyId'), {
        sourceContext: contextOf(input, 'SourceEncryptionContext'),
        sourceKeyRef: optionalString(input, 'SourceKeyId'),
        sourceAlgorithm: optionalString(input, 'SourceEncryptionAlgorithm'),
        destinationContext: contextOf(input, 'DestinationEncryptionContext'),
        destinationAlgorithm: optionalString(input, 'DestinationEncryptionAlgorithm'),
        dryRun: optionalBoolean(input, 'DryRun'),
      });
      return {
        CiphertextBlob: out.ciphertext,
        SourceKeyId: out.sourceKeyArn,
        KeyId: out.keyArn,
        SourceEncryptionAlgorithm: out.sourceAlgorithm,
        DestinationEncryptionAlgorithm: out.algorithm,
      };
    },

    async GenerateDataKey(ctx, input) {
      const out = await crypto.generateDataKey(kmsScopeOf(ctx), requiredString(input, 'KeyId'), dataKeySize(input), options(input));
      return { CiphertextBlob: out.ciphertext, Plaintext: out.plaintext, KeyId: out.keyArn };
    },

    async GenerateDataKeyWithoutPlaintext(ctx, input) {
      const out = await crypto.generateDataKeyWithoutPlaintext(kmsScopeOf(ctx), requiredString(input, 'KeyId'), dataKeySize(input), options(input));
      return { CiphertextBlob: out.ciphertext, KeyId: out.keyArn };
    },

    async GenerateDataKeyPair(ctx, input) {
      const out = await crypto.generateDataKeyPair(kmsScopeOf(ctx), requiredString(input, 'KeyId'), requiredString(input, 'KeyPairSpec'), options(input));
      return {
        PrivateKeyCiphertextBlob: out.privateKeyCiphertext,
        PrivateKeyPlaintext: out.privateKeyPlaintext,
        PublicKey: out.publicKey,
        KeyId: out.keyArn,
        KeyPairSpec: out.keyPairSpec,
      };
    },

    async GenerateDataKeyPairWithoutPlaintext(ctx, input) {
      const out = await crypto.generateDataKeyPair(
        kmsScopeOf(ctx),
        requiredString(input, 'KeyId'),
        requiredString(input, 'KeyPairSpec'),
        options(input),
        false,
      );
      return { PrivateKeyCiphertextBlob: out.privateKeyCiphertext, PublicKey: out.publicKey, KeyId: out.keyArn, KeyPairSpec: out.keyPairSpec };
    },

    async GenerateRandom(_ctx, input) {
      return { Plaintext: crypto.generateRandom(optionalInteger(input, 'NumberOfBytes'), optionalString(input, 'CustomKeyStoreId')) };
    },
  };
}
