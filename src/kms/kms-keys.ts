/**
 * Customer managed keys: create, describe, list, enable and disable, schedule and cancel
 * deletion, descriptions, last usage, and the purge of keys whose deletion date has passed (for
 * the scheduler; a due key also counts as gone the moment anyone names it). Keys are symmetric,
 * RSA, elliptic-curve or HMAC (key-specs.ts), with material Coffer makes, or, for Origin
 * EXTERNAL, material the caller imports later (kms-import.ts; the key waits in PendingImport).
 */
import { arns } from '../iam/arn.js';
import type { KmsOperation } from './key-access.js';
import { checkKeyPolicy } from './key-policy-text.js';
import { defaultKeyPolicy } from './key-policies.js';
import { wrapMaterial } from './key-material.js';
import { checkUsage, keySpecInfo } from './key-specs.js';
import { newMaterialFor } from './asymmetric-material.js';
import { cancelDeletion, checkNotPendingDeletion, disableKey, enableKey, scheduleDeletion } from './kms-key.js';
import type { KeyOrigin, KmsKey, StateChange } from './kms-key.js';
import type { KeyUsage } from './key-specs.js';
import type { KmsContext } from './kms-context.js';
import { customKeyStoreNotFound, KmsError } from './kms-error.js';
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

export interface KeyLastUsage {
  readonly keyArn: string;
  readonly keyCreatedAt: Date;
  /** Since when uses are recorded: the key's creation, or Coffer's first version that recorded them. */
  readonly trackingSince: Date;
  readonly last: { readonly operation: string; readonly at: Date; readonly requestId: string } | undefined;
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
  updateDescription(scope: KmsScope, keyRef: string, description: string): Promise<void>;
  lastUsage(scope: KmsScope, keyRef: string): Promise<KeyLastUsage>;
  /** Deletes every key (any account) whose deletion date is at or before `now`; returns their ARNs. */
  purgeDue(now: Date): Promise<readonly string[]>;
}

/** Keys created before Coffer recorded uses (migration 0095) report uses from then on. */
const TRACKING_SINCE = new Date('2026-12-04T00:00:00Z');
const MAX_DESCRIPTION = 8192;

function checkCreateInput(input: CreateKeyInput): { spec: string; usage: KeyUsage; origin: KeyOrigin } {
  if (input.customKeyStoreId !== undefined) throw customKeyStoreNotFound(input.customKeyStoreId);
  const origin = input.origin ?? 'AWS_KMS';
  if (origin === 'AWS_CLOUDHSM' || origin === 'EXTERNAL_KEY_STORE') {
    throw new KmsError('InvalidParameter', `Origin ${origin} needs a CustomKeyStoreId, and this account has no custom key stores (CreateCustomKeyStore).`);
  }
  if (origin !== 'AWS_KMS' && origin !== 'EXTERNAL')
    throw new KmsError('InvalidParameter', `Origin ${origin} is not AWS_KMS, EXTERNAL, AWS_CLOUDHSM or EXTERNAL_KEY_STORE.`);
  const spec = input.keySpec ?? 'SYMMETRIC_DEFAULT';
  const usage = checkUsage(spec, input.keyUsage);
  if (origin === 'EXTERNAL' && spec !== 'SYMMETRIC_DEFAULT') {
    throw new KmsError('UnsupportedOperation', `Coffer imports key material into symmetric encryption keys only, not into KeySpec ${spec}.`);
  }
  if (input.multiRegion === true) throw new KmsError('UnsupportedOperation', 'Multi-Region keys are not supported by Coffer.');
  if (input.description !== undefined) checkDescription(input.description);
  return { spec, usage, origin };
}

function checkDescription(description: string): void {
  if (description.length > MAX_DESCRIPTION) {
    throw new KmsError(
      'InvalidParameter',
      `1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to ${MAX_DESCRIPTION}`,
    );
  }
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
      const { spec, usage, origin } = checkCreateInput(input);
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
        keySpec: spec,
        keyUsage: usage,
        origin,
        state: origin === 'EXTERNAL' ? 'PendingImport' : 'Enabled',
        policy,
        createdAt: clock.now(),
        deletionDate: undefined,
        pendingWindowDays: undefined,
        rotationEnabled: false,
        rotationPeriodDays: undefined,
        nextRotationDate: undefined,
        currentMaterialId: undefined,
        materialValidTo: undefined,
      };
      const tags = input.tags ?? [];
      checkTags(
        tags.map((t) => t.key),
        new Set(tags.map((t) => t.key)).size,
        arn,
      );
      const wrappedMaterial = origin === 'EXTERNAL' ? '' : wrapMaterial(ctx.rootKey, await newMaterialFor(keySpecInfo(spec), ctx.random), arn, ctx.random);
      await stores.kmsKeys.insert(scope, toRecord({ key, wrappedMaterial }));
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
      return change(stored, cancelDeletion(stored.key, stored.wrappedMaterial !== ''));
    },

    async updateDescription(scope, keyRef, description) {
      const stored = await authorized(scope, keyRef, 'UpdateKeyDescription');
      checkDescription(description);
      if (stored.key.keyManager === 'AWS')
        throw new KmsError('UnsupportedOperation', `${stored.key.arn} is an AWS managed key: its description cannot be changed.`);
      checkNotPendingDeletion(stored.key);
      await stores.kmsKeys.update(stored.key, stored.key.keyId, { description });
    },

    async lastUsage(scope, keyRef) {
      const { key } = await authorized(scope, keyRef, 'GetKeyLastUsage');
      const record = await stores.kmsKeys.get(key, key.keyId);
      const at = record?.lastUsedAt;
      return {
        keyArn: key.arn,
        keyCreatedAt: key.createdAt,
        trackingSince: key.createdAt > TRACKING_SINCE ? key.createdAt : TRACKING_SINCE,
        last: at === undefined ? undefined : { operation: record!.lastUsedOperation ?? '', at: new Date(at), requestId: record!.lastUsedRequestId ?? '' },
      };
    },

    async purgeDue(now) {
      const due = await stores.kmsKeys.dueForDeletion(now.getTime());
      for (const ref of due) await loader.purge(ref, ref.keyId);
      return due.map((ref) => arns.kmsKey(ref, ref.keyId));
    },
  };
}
