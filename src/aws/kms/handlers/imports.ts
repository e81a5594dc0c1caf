/** GetParametersForImport, ImportKeyMaterial, DeleteImportedKeyMaterial: wire shapes to the KMS domain. */
import type { KmsDomain } from '../../../kms/kms-domain.js';
import type { OperationHandler } from '../../http-handler.js';
import { kmsScopeOf, optionalString, requiredBlob, requiredString } from './wire-input.js';

export function importHandlers(kms: KmsDomain): Readonly<Record<string, OperationHandler>> {
  const imports = kms.imports;
  return {
    async GetParametersForImport(ctx, input) {
      const out = await imports.parameters(
        kmsScopeOf(ctx),
        requiredString(input, 'KeyId'),
        requiredString(input, 'WrappingAlgorithm'),
        requiredString(input, 'WrappingKeySpec'),
      );
      return { KeyId: out.keyArn, ImportToken: out.importToken, PublicKey: out.publicKey, ParametersValidTo: out.validTo };
    },

    async ImportKeyMaterial(ctx, input) {
      const out = await imports.importMaterial(kmsScopeOf(ctx), requiredString(input, 'KeyId'), {
        importToken: requiredBlob(input, 'ImportToken'),
        encryptedKeyMaterial: requiredBlob(input, 'EncryptedKeyMaterial'),
        validTo: input['ValidTo'] as Date | undefined,
        expirationModel: optionalString(input, 'ExpirationModel'),
      });
      return { KeyId: out.keyArn, KeyMaterialId: out.materialId };
    },

    async DeleteImportedKeyMaterial(ctx, input) {
      const out = await imports.deleteMaterial(kmsScopeOf(ctx), requiredString(input, 'KeyId'));
      return { KeyId: out.keyArn, KeyMaterialId: out.materialId };
    },
  };
}
