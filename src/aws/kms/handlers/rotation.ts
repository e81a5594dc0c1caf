/** GetKeyRotationStatus, EnableKeyRotation, DisableKeyRotation, RotateKeyOnDemand, ListKeyRotations: wire shapes to the KMS domain. */
import type { KmsDomain } from '../../../kms/kms-domain.js';
import type { OperationHandler } from '../../http-handler.js';
import { kmsListRequestOf, kmsScopeOf, listOutput, optionalInteger, optionalString, requiredString } from './wire-input.js';

export function rotationHandlers(kms: KmsDomain): Readonly<Record<string, OperationHandler>> {
  const rotation = kms.rotation;
  return {
    async GetKeyRotationStatus(ctx, input) {
      const status = await rotation.status(kmsScopeOf(ctx), requiredString(input, 'KeyId'));
      return {
        KeyRotationEnabled: status.enabled,
        KeyId: status.keyArn,
        RotationPeriodInDays: status.rotationPeriodInDays,
        NextRotationDate: status.nextRotationDate,
      };
    },

    async EnableKeyRotation(ctx, input) {
      await rotation.enable(kmsScopeOf(ctx), requiredString(input, 'KeyId'), optionalInteger(input, 'RotationPeriodInDays'));
    },

    async DisableKeyRotation(ctx, input) {
      await rotation.disable(kmsScopeOf(ctx), requiredString(input, 'KeyId'));
    },

    async RotateKeyOnDemand(ctx, input) {
      const key = await rotation.rotateOnDemand(kmsScopeOf(ctx), requiredString(input, 'KeyId'));
      return { KeyId: key.arn };
    },

    async ListKeyRotations(ctx, input) {
      const include = optionalString(input, 'IncludeKeyMaterial') ?? 'ROTATIONS_ONLY';
      const page = await rotation.list(kmsScopeOf(ctx), requiredString(input, 'KeyId'), include === 'ALL_KEY_MATERIAL', kmsListRequestOf(input));
      return listOutput('Rotations', {
        ...page,
        items: page.items.map((r) => ({
          KeyId: r.keyArn,
          KeyMaterialId: r.materialId,
          KeyMaterialState: r.current ? 'CURRENT' : 'NON_CURRENT',
          RotationDate: r.rotatedAt,
          RotationType: r.type,
        })),
      });
    },
  };
}
