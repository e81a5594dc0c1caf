/**
 * Customer managed keys: create, describe, list, enable and disable, schedule and cancel
 * deletion, rotation status, and the purge of keys whose deletion date has passed (for the
 * scheduler; a due key also counts as gone the moment anyone names it). Coffer makes symmetric
 * encryption keys only (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT) with key material it generates.
 */
import { arns } from '../iam/arn.js';
import type { KmsOperation } from './key-access.js';
import { checkKeyPolicy } from './key-policy-text.js';
import { defaultKeyPolicy } from './key-policies.js';
import { newWrappedMaterial } from './key-material.js';
import { cancelDeletion, checkUsable, disableKey, enableKey, scheduleDeletion } from './kms-key.js';
import type { KmsKey, StateChange } from './kms-key.js';
import type { KmsContext } from './kms-context.js';
import { KmsError } from './kms-error.js';
import { withMarker } from './kms-page.js';
import type { KmsListRequest, KmsPage } from './kms-page.js';
import type { KmsScope } from './kms-scope.js';
import { applyTags, checkTags } from './kms-tags.js';
import type { KmsTag } from './kms-tags.js';
import { toRecord } from './stored-key.js';
import type { StoredKey } from './stored-key.js';

export interface CreateKeyInput {
  readonly description?: string | undefined;
  readonly keyUsage?: string | undefined;
  /** KeySpec, or the older CustomerMasterKeySpec. */
  readonly keySpec?: string | undefined;
  readonly origin?: string | undefined;
  readonly policy?: string | undefined;
  readonly bypassPolicyLockoutSafetyCheck?: boolean | undefined;
  readonly tags?: readonly KmsTag[] | undefined;
  readonly multiRegion?: boolean | undefined;
  readonly customKeyStoreId?: string | undefined;
}

export interface KeyListEntry {
  readonly keyId: string;
  readonly arn: string;
}

export interface RotationStatus {
  readonly keyArn: string;
  readonly enabled: boolean;
  /** AWS rotates yearly by default. */
  readonly rotationPeriodInDays: number | undefined;
}

export interface KmsKeys {
  create(scope: KmsScope, input: CreateKeyInput): Promise<KmsKey>;
  describe(scope: KmsScope, keyRef: string): Promise<KmsKey>;
  /** The caller's keys in this region (AWS managed ones included once created), by key id. */
  list(scope: KmsScope, request: KmsListRequest): Promise<KmsPage<KeyListEntry>>;
  enable(scope: KmsScope, keyRef: string): Promise<void>;
  disable(scope: KmsScope, keyRef: string): Promise<void>;
  scheduleDeletion(scope: KmsScope, keyRef: string, pendingWindowInDays: number | undefined): Promise<KmsKey>;
  cancelDeletion(scope: KmsScope, keyRef: string): Promise<KmsKey>;
  rotationStatus(scope: KmsScope, keyRef: string): Promise<RotationStatus>;
  setRotation(scope: KmsScope, keyRef: string, enabled: boolean): Promise<void>;
  /** Deletes every key (any account) whose deletion date is at or before `now`; returns their ARNs. */
  purgeDue(now: Date): Promise<readonly string[]>;
}

const DEFAULT_ROTATION_DAYS = 365;

function checkCreateInput(input: CreateKeyInput): void {
  const spec = input.keySpec ?? 'SYMMETRIC_DEFAULT';
  if (spec !== 'SYMMETRIC_DEFAULT') {
    throw new KmsError('UnsupportedOperation', `KeySpec ${spec} is not supported: Coffer makes symmetric encryption keys only (KeySpec SYMMETRIC_DEFAULT).`);
  }
  const usage = input.keyUsage ?? 'ENCRYPT_DECRYPT';
  if (usage !== 'ENCRYPT_DECRYPT') throw new KmsError('InvalidParameter', `KeyUsage ${usage} is not compatible with KeySpec SYMMETRIC_DEFAULT.`);
  if ((input.origin ?? 'AWS_KMS') !== 'AWS_KMS')
    throw new KmsError('UnsupportedOperation', `Origin ${input.origin} is not supported: Coffer generates all key material itself (Origin AWS_KMS).`);
  if (input.customKeyStoreId !== undefined) throw new KmsError('UnsupportedOperation', 'Custom key stores are not supported by Coffer.');
  if (input.multiRegion === true) throw new KmsError('UnsupportedOperation', 'Multi-Region keys are not supported by Coffer.');
}

export function createKmsKeys(ctx: KmsContext): KmsKeys {
  const { stores, loader, access, clock } = ctx;

  const change = async (stored: StoredKey, to: StateChange): Promise<KmsKey> => {
    await stores.kmsKeys.update(stored.key, stored.key.keyId, {
      state: to.state,
      deletionAt: to.deletionDate === null ? null : to.deletionDate.getTime(),
      pendingWindowDays: to.pendingWindowDays,
    });
    return { ...stored.key, state: to.state, deletionDate: to.deletionDate ?? undefined, pendingWindowDays: to.pendingWindowDays ?? undefined };
  };

  const authorized = async (scope: KmsScope, keyRef: string, operation: KmsOperation): Promise<StoredKey> => {
    const stored = await loader.load(scope, keyRef, operation);
    await access.authorize(scope, stored.key, operation);
    return stored;
  };

  return {
    async create(scope, input) {
      checkCreateInput(input);
      const keyId = ctx.random.uuid();
      const arn = arns.kmsKey(scope, keyId);
      const policy = input.policy ?? defaultKeyPolicy(scope.accountId);
      if (input.policy !== undefined) checkKeyPolicy(access, scope, arn, input.policy, input.bypassPolicyLockoutSafetyCheck === true);
      const key: KmsKey = {
        accountId: scope.accountId,
        region: scope.region,
        keyId,
        arn,
        description: input.description ?? '',
        keyManager: 'CUSTOMER',
        keySpec: 'SYMMETRIC_DEFAULT',
        keyUsage: 'ENCRYPT_DECRYPT',
        state: 'Enabled',
        policy,
        createdAt: clock.now(),
        deletionDate: undefined,
        pendingWindowDays: undefined,
        rotationEnabled: false,
      };
      const tags = input.tags ?? [];
      checkTags(
        tags.map((t) => t.key),
        new Set(tags.map((t) => t.key)).size,
        arn,
      );
      await stores.kmsKeys.insert(scope, toRecord({ key, wrappedMaterial: newWrappedMaterial(ctx.rootKey, arn, ctx.random) }));
      await applyTags(ctx, key, tags);
      return key;
    },

    async describe(scope, keyRef) {
      return (await authorized(scope, keyRef, 'DescribeKey')).key;
    },

    list: (scope, request) =>
      withMarker(
        request,
        (page) => stores.kmsKeys.list(scope, page),
        (r) => ({ keyId: r.keyId, arn: r.arn }),
      ),

    async enable(scope, keyRef) {
      const stored = await authorized(scope, keyRef, 'EnableKey');
      await change(stored, enableKey(stored.key));
    },

    async disable(scope, keyRef) {
      const stored = await authorized(scope, keyRef, 'DisableKey');
      await change(stored, disableKey(stored.key));
    },

    async scheduleDeletion(scope, keyRef, days) {
      const stored = await authorized(scope, keyRef, 'ScheduleKeyDeletion');
      return change(stored, scheduleDeletion(stored.key, days, clock.now()));
    },

    async cancelDeletion(scope, keyRef) {
      const stored = await authorized(scope, keyRef, 'CancelKeyDeletion');
      return change(stored, cancelDeletion(stored.key));
    },

    async rotationStatus(scope, keyRef) {
      const { key } = await authorized(scope, keyRef, 'GetKeyRotationStatus');
      return { keyArn: key.arn, enabled: key.rotationEnabled, rotationPeriodInDays: key.rotationEnabled ? DEFAULT_ROTATION_DAYS : undefined };
    },

    async setRotation(scope, keyRef, enabled) {
      const stored = await authorized(scope, keyRef, enabled ? 'EnableKeyRotation' : 'DisableKeyRotation');
      checkUsable(stored.key);
      if (stored.key.keyManager === 'AWS')
        throw new KmsError('UnsupportedOperation', `${stored.key.arn} is an AWS managed key: AWS rotates it, its rotation cannot be changed.`);
      if (stored.key.rotationEnabled === enabled) return;
      await stores.kmsKeys.update(stored.key, stored.key.keyId, { rotationEnabledAt: enabled ? clock.now().getTime() : null });
    },

    async purgeDue(now) {
      const due = await stores.kmsKeys.dueForDeletion(now.getTime());
      for (const ref of due) await loader.purge(ref, ref.keyId);
      return due.map((ref) => arns.kmsKey(ref, ref.keyId));
    },
  };
}
