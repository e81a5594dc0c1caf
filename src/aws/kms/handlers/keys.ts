/** CreateKey, DescribeKey, ListKeys, Enable/DisableKey, Schedule/CancelKeyDeletion, UpdateKeyDescription, GetKeyLastUsage: wire shapes to the KMS domain. */
import type { KmsDomain } from '../../../kms/kms-domain.js';
import type { OperationHandler } from '../../http-handler.js';
import { keyMetadata } from './key-wire.js';
import { kmsListRequestOf, kmsScopeOf, listOutput, optionalBoolean, optionalInteger, optionalString, requiredString, tagList } from './wire-input.js';

export function keyHandlers(kms: KmsDomain): Readonly<Record<string, OperationHandler>> {
  const keys = kms.keys;
  return {
    async CreateKey(ctx, input) {
      const key = await keys.create(kmsScopeOf(ctx), {
        description: optionalString(input, 'Description'),
        keyUsage: optionalString(input, 'KeyUsage'),
        keySpec: optionalString(input, 'KeySpec') ?? optionalString(input, 'CustomerMasterKeySpec'),
        origin: optionalString(input, 'Origin'),
        policy: optionalString(input, 'Policy'),
        bypassPolicyLockoutSafetyCheck: optionalBoolean(input, 'BypassPolicyLockoutSafetyCheck'),
        tags: tagList(input, 'Tags'),
        multiRegion: optionalBoolean(input, 'MultiRegion'),
        customKeyStoreId: optionalString(input, 'CustomKeyStoreId'),
      });
      return { KeyMetadata: keyMetadata(key) };
    },

    async DescribeKey(ctx, input) {
      return { KeyMetadata: keyMetadata(await keys.describe(kmsScopeOf(ctx), requiredString(input, 'KeyId'))) };
    },

    async ListKeys(ctx, input) {
      const page = await keys.list(kmsScopeOf(ctx), kmsListRequestOf(input));
      return listOutput('Keys', { ...page, items: page.items.map((k) => ({ KeyId: k.keyId, KeyArn: k.arn })) });
    },

    async EnableKey(ctx, input) {
      await keys.enable(kmsScopeOf(ctx), requiredString(input, 'KeyId'));
    },

    async DisableKey(ctx, input) {
      await keys.disable(kmsScopeOf(ctx), requiredString(input, 'KeyId'));
    },

    async ScheduleKeyDeletion(ctx, input) {
      const key = await keys.scheduleDeletion(kmsScopeOf(ctx), requiredString(input, 'KeyId'), optionalInteger(input, 'PendingWindowInDays'));
      return { KeyId: key.arn, DeletionDate: key.deletionDate, KeyState: key.state, PendingWindowInDays: key.pendingWindowDays };
    },

    async CancelKeyDeletion(ctx, input) {
      const key = await keys.cancelDeletion(kmsScopeOf(ctx), requiredString(input, 'KeyId'));
      return { KeyId: key.arn };
    },

    async UpdateKeyDescription(ctx, input) {
      await keys.updateDescription(kmsScopeOf(ctx), requiredString(input, 'KeyId'), requiredString(input, 'Description'));
    },

    async GetKeyLastUsage(ctx, input) {
      const usage = await keys.lastUsage(kmsScopeOf(ctx), requiredString(input, 'KeyId'));
      return {
        KeyId: usage.keyArn,
        KeyCreationDate: usage.keyCreatedAt,
        TrackingStartDate: usage.trackingSince,
        KeyLastUsage: usage.last === undefined ? undefined : { Operation: usage.last.operation, Timestamp: usage.last.at, KmsRequestId: usage.last.requestId },
      };
    },
  };
}
