/** Sign, Verify, GetPublicKey, DeriveSharedSecret, GenerateMac, VerifyMac: wire shapes to the KMS domain. */
import type { KmsDomain } from '../../../kms/kms-domain.js';
import type { OperationHandler } from '../../http-handler.js';
import { kmsScopeOf, optionalBoolean, optionalString, requiredBlob, requiredString } from './wire-input.js';

export function signingHandlers(kms: KmsDomain): Readonly<Record<string, OperationHandler>> {
  const signing = kms.signing;
  return {
    async Sign(ctx, input) {
      const out = await signing.sign(kmsScopeOf(ctx), requiredString(input, 'KeyId'), {
        message: requiredBlob(input, 'Message'),
        messageType: optionalString(input, 'MessageType'),
        algorithm: requiredString(input, 'SigningAlgorithm'),
        dryRun: optionalBoolean(input, 'DryRun'),
      });
      return { KeyId: out.keyArn, Signature: out.signature, SigningAlgorithm: out.algorithm };
    },

    async Verify(ctx, input) {
      const out = await signing.verify(kmsScopeOf(ctx), requiredString(input, 'KeyId'), {
        message: requiredBlob(input, 'Message'),
        messageType: optionalString(input, 'MessageType'),
        algorithm: requiredString(input, 'SigningAlgorithm'),
        signature: requiredBlob(input, 'Signature'),
        dryRun: optionalBoolean(input, 'DryRun'),
      });
      return { KeyId: out.keyArn, SignatureValid: true, SigningAlgorithm: out.algorithm };
    },

    async GetPublicKey(ctx, input) {
      const out = await signing.publicKey(kmsScopeOf(ctx), requiredString(input, 'KeyId'));
      return {
        KeyId: out.keyArn,
        PublicKey: out.publicKey,
        CustomerMasterKeySpec: out.keySpec,
        KeySpec: out.keySpec,
        KeyUsage: out.keyUsage,
        EncryptionAlgorithms: out.encryptionAlgorithms,
        SigningAlgorithms: out.signingAlgorithms,
        KeyAgreementAlgorithms: out.keyAgreementAlgorithms,
      };
    },

    async DeriveSharedSecret(ctx, input) {
      const out = await signing.deriveSharedSecret(
        kmsScopeOf(ctx),
        requiredString(input, 'KeyId'),
        requiredString(input, 'KeyAgreementAlgorithm'),
        requiredBlob(input, 'PublicKey'),
        optionalBoolean(input, 'DryRun'),
      );
      return { KeyId: out.keyArn, SharedSecret: out.secret, KeyAgreementAlgorithm: 'ECDH', KeyOrigin: 'AWS_KMS' };
    },

    async GenerateMac(ctx, input) {
      const algorithm = requiredString(input, 'MacAlgorithm');
      const out = await signing.generateMac(
        kmsScopeOf(ctx),
        requiredString(input, 'KeyId'),
        algorithm,
        requiredBlob(input, 'Message'),
        optionalBoolean(input, 'DryRun'),
      );
      return { Mac: out.mac, MacAlgorithm: algorithm, KeyId: out.keyArn };
    },

    async VerifyMac(ctx, input) {
      const algorithm = requiredString(input, 'MacAlgorithm');
      const out = await signing.verifyMac(
        kmsScopeOf(ctx),
        requiredString(input, 'KeyId'),
        algorithm,
        requiredBlob(input, 'Message'),
        requiredBlob(input, 'Mac'),
        optionalBoolean(input, 'DryRun'),
      );
      return { KeyId: out.keyArn, MacValid: true, MacAlgorithm: algorithm };
    },
  };
}
