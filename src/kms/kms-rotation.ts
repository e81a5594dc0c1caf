/**
 * Key rotation: EnableKeyRotation (with RotationPeriodInDays, 90 to 2560, default 365),
 * DisableKeyRotation, GetKeyRotationStatus, RotateKeyOnDemand, ListKeyRotations, and the
 * scheduler's automatic rotations when a key's next rotation date comes. A rotation makes new
 * material, sealed under the root key like the original, and makes it current; every earlier
 * material stays, so ciphertexts made before still decrypt (each names its material). Only
 * symmetric encryption keys with Coffer-made material rotate, as in AWS; AWS managed keys rotate
 * yearly on their own.
 */
import { arns } from '../iam/arn.js';
import type { KmsOperation } from './key-access.js';
import { newMaterialId, originalMaterialId, wrapRotatedMaterial } from './key-material.js';
import { checkUsable } from './kms-key.js';
import type { KmsKey } from './kms-key.js';
import type { KmsContext } from './kms-context.js';
import { fromRecord } from './stored-key.js';
import { KmsError } from './kms-error.js';
import { withMarker } from './kms-page.js';
import type { KmsListRequest, KmsPage } from './kms-page.js';
import type { KmsScope } from './kms-scope.js';
import type { StoredKey } from './stored-key.js';

export const DEFAULT_ROTATION_DAYS = 365;
export const MIN_ROTATION_DAYS = 90;
export const MAX_ROTATION_DAYS = 2560;
/** AWS's quota of on-demand rotations per key. */
export const MAX_ON_DEMAND_ROTATIONS = 25;
const DAY_MS = 86_400_000;

export interface RotationStatus {
  readonly keyArn: string;
  readonly enabled: boolean;
  readonly rotationPeriodInDays: number | undefined;
  readonly nextRotationDate: Date | undefined;
}

export interface KeyRotationEntry {
  readonly keyArn: string;
  readonly materialId: string;
  /** Undefined for the original material (listed with ALL_KEY_MATERIAL). */
  readonly rotatedAt: Date | undefined;
  readonly type: 'AUTOMATIC' | 'ON_DEMAND' | undefined;
  readonly current: boolean;
}

export interface KmsRotation {
  status(scope: KmsScope, keyRef: string): Promise<RotationStatus>;
  enable(scope: KmsScope, keyRef: string, periodDays: number | undefined): Promise<void>;
  disable(scope: KmsScope, keyRef: string): Promise<void>;
  rotateOnDemand(scope: KmsScope, keyRef: string): Promise<KmsKey>;
  list(scope: KmsScope, keyRef: string, includeOriginal: boolean, request: KmsListRequest): Promise<KmsPage<KeyRotationEntry>>;
  /** Rotates every Enabled key (any account) whose next rotation is at or before `now`; returns their ARNs. */
  rotateDue(now: Date): Promise<readonly string[]>;
}

function checkRotatable(key: KmsKey, what: string): void {
  if (key.keySpec !== 'SYMMETRIC_DEFAULT') {
    throw new KmsError('UnsupportedOperation', `${key.arn} is a ${key.keySpec} key: ${what} applies only to symmetric encryption keys.`);
  }
  if (key.origin !== 'AWS_KMS') {
    throw new KmsError(
      'UnsupportedOperation',
      `${key.arn} has imported key material (Origin ${key.origin}): Coffer rotates only key material it made; import new material into a new key instead.`,
    );
  }
}

function checkPeriod(days: number): void {
  if (!Number.isInteger(days) || days < MIN_ROTATION_DAYS || days > MAX_ROTATION_DAYS) {
    throw new KmsError(
      'InvalidParameter',
      `1 validation error detected: Value '${days}' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value between ${MIN_ROTATION_DAYS} and ${MAX_ROTATION_DAYS}`,
    );
  }
}

export function createKmsRotation(ctx: KmsContext): KmsRotation {
  const { stores, loader, access, clock, random, rootKey } = ctx;

  const authorized = async (scope: KmsScope, keyRef: string, operation: KmsOperation): Promise<StoredKey> => {
    const stored = await loader.load(scope, keyRef, operation);
    await access.authorize(scope, stored.key, operation);
    return stored;
  };

  /** Adds a material and makes it current; false when another node rotated the key first. */
  const rotate = async (key: KmsKey, type: 'AUTOMATIC' | 'ON_DEMAND', nextRotationAt: number | undefined, expected?: number): Promise<boolean> => {
    const materialId = newMaterialId(random);
    const now = clock.now().getTime();
    return stores.kmsKeyMaterials.rotate(
      key,
      key.keyId,
      { materialId, wrappedMaterial: wrapRotatedMaterial(rootKey, random.bytes(32), key.arn, materialId, random), rotationType: type, createdAt: now },
      { currentMaterialId: materialId, ...(nextRotationAt === undefined ? {} : { nextRotationAt }) },
      expected,
    );
  };

  return {
    async status(scope, keyRef) {
      const { key } = await authorized(scope, keyRef, 'GetKeyRotationStatus');
      const enabled = key.rotationEnabled && key.state !== 'PendingDeletion';
      return {
        keyArn: key.arn,
        enabled,
        rotationPeriodInDays: enabled ? (key.rotationPeriodDays ?? DEFAULT_ROTATION_DAYS) : undefined,
        nextRotationDate: enabled ? key.nextRotationDate : undefined,
      };
    },

    async enable(scope, keyRef, periodDays) {
      const { key } = await authorized(scope, keyRef, 'EnableKeyRotation');
      const period = periodDays ?? DEFAULT_ROTATION_DAYS;
      checkPeriod(period);
      checkUsable(key);
      checkRotatable(key, 'automatic rotation');
      if (key.keyManager === 'AWS')
        throw new KmsError('UnsupportedOperation', `${key.arn} is an AWS managed key: AWS rotates it, its rotation cannot be changed.`);
      const now = clock.now().getTime();
      // A new period on a rotating key counts from its last rotation, as AWS does; switching rotation on counts from now.
      const rotations = await stores.kmsKeyMaterials.list(key, key.keyId, { limit: 1000 });
      const from = key.rotationEnabled ? (rotations.items.at(-1)?.createdAt ?? now) : now;
      const next = Math.max(from + period * DAY_MS, now);
      await stores.kmsKeys.update(key, key.keyId, {
        rotationEnabledAt: key.rotationEnabled ? undefined : now,
        rotationPeriodDays: period,
        nextRotationAt: next,
      });
    },

    async disable(scope, keyRef) {
      const { key } = await authorized(scope, keyRef, 'DisableKeyRotation');
      checkUsable(key);
      checkRotatable(key, 'automatic rotation');
      if (key.keyManager === 'AWS')
        throw new KmsError('UnsupportedOperation', `${key.arn} is an AWS managed key: AWS rotates it, its rotation cannot be changed.`);
      await stores.kmsKeys.update(key, key.keyId, { rotationEnabledAt: null, rotationPeriodDays: null, nextRotationAt: null });
    },

    async rotateOnDemand(scope, keyRef) {
      const { key } = await authorized(scope, keyRef, 'RotateKeyOnDemand');
      checkUsable(key);
      checkRotatable(key, 'on-demand rotation');
      if (key.keyManager === 'AWS')
        throw new KmsError('UnsupportedOperation', `${key.arn} is an AWS managed key: AWS rotates it, it cannot be rotated on demand.`);
      if ((await stores.kmsKeyMaterials.count(key, key.keyId, 'ON_DEMAND')) >= MAX_ON_DEMAND_ROTATIONS) {
        throw new KmsError('LimitExceeded', `${key.arn} has been rotated on demand ${MAX_ON_DEMAND_ROTATIONS} times, the most a key allows.`);
      }
      await rotate(key, 'ON_DEMAND', undefined);
      return key;
    },

    async list(scope, keyRef, includeOriginal, request) {
      const { key } = await authorized(scope, keyRef, 'ListKeyRotations');
      checkRotatable(key, 'ListKeyRotations');
      const current = key.currentMaterialId;
      const page = await withMarker(
        request,
        (p) => stores.kmsKeyMaterials.list(key, key.keyId, p),
        (m): KeyRotationEntry => ({
          keyArn: key.arn,
          materialId: m.materialId,
          rotatedAt: new Date(m.createdAt),
          type: m.rotationType as 'AUTOMATIC' | 'ON_DEMAND',
          current: m.materialId === current,
        }),
      );
      if (!includeOriginal || request.marker !== undefined) return page;
      const original: KeyRotationEntry = {
        keyArn: key.arn,
        materialId: originalMaterialId(key.arn),
        rotatedAt: undefined,
        type: undefined,
        current: current === undefined,
      };
      return { ...page, items: [original, ...page.items] };
    },

    async rotateDue(now) {
      const rotated: string[] = [];
      for (const ref of await stores.kmsKeys.dueForRotation(now.getTime())) {
        const record = await stores.kmsKeys.get(ref, ref.keyId);
        if (record === undefined || record.nextRotationAt === undefined) continue;
        const { key } = fromRecord(ref, record);
        // A disabled key is not rotated; it rotates on the first tick after it is enabled again.
        if (key.state !== 'Enabled') continue;
        const period = key.rotationPeriodDays ?? DEFAULT_ROTATION_DAYS;
        if (await rotate(key, 'AUTOMATIC', now.getTime() + period * DAY_MS, record.nextRotationAt)) rotated.push(arns.kmsKey(ref, ref.keyId));
      }
      return rotated;
    },
  };
}
