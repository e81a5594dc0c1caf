/**
 * Finding the key a `KeyId` names, for every operation: through its alias if it is one; the AWS
 * managed keys (`alias/aws/backup`, `alias/aws/rds`) come into being on their first use in
 * their own account; a key whose deletion date has passed is deleted on the spot and counts as
 * missing. A missing key of the caller's own account is NotFound; one of another account is
 * AccessDenied, the same answer as a key that exists but is not shared, so it reveals nothing.
 */
import type { KmsAliasStore } from '../catalog/kms-aliases.js';
import type { KmsGrantStore } from '../catalog/kms-grants.js';
import type { KmsKeyMaterialStore } from '../catalog/kms-key-materials.js';
import type { KmsKeyStore } from '../catalog/kms-keys.js';
import type { TagStore } from '../catalog/tags.js';
import { arns } from '../iam/arn.js';
import type { ArnScope } from '../iam/arn.js';
import { accessDenied, KmsError } from './kms-error.js';
import { isDue } from './kms-key.js';
import type { KmsClock, KmsRandom, KmsScope } from './kms-scope.js';
import { newWrappedMaterial } from './key-material.js';
import { MANAGED_KEY_DESCRIPTIONS, MANAGED_KEY_SERVICES, managedAliasName, managedKeyPolicy } from './key-policies.js';
import type { ManagedKeyService } from './key-policies.js';
import { aliasArn, parseKeyReference } from './key-reference.js';
import { fromRecord, toRecord } from './stored-key.js';
import type { StoredKey } from './stored-key.js';

export interface KmsStores {
  readonly kmsKeys: KmsKeyStore;
  readonly kmsAliases: KmsAliasStore;
  readonly kmsGrants: KmsGrantStore;
  readonly kmsKeyMaterials: KmsKeyMaterialStore;
  readonly tags: TagStore;
}

export interface KeyLoaderDeps {
  readonly stores: KmsStores;
  readonly clock: KmsClock;
  readonly random: KmsRandom;
  readonly rootKey: Buffer;
}

export interface KeyLoader {
  /** `operation` only words the AccessDenied answer for another account's missing key. */
  load(scope: KmsScope, keyRef: string, operation: string): Promise<StoredKey>;
  /** The account's AWS managed key for `service`, created on first use. */
  managed(owner: ArnScope, service: ManagedKeyService): Promise<StoredKey>;
  /** Deletes the key, its aliases, grants and tags. */
  purge(owner: ArnScope, keyId: string): Promise<void>;
}

const MANAGED_ROTATION_DAYS = 365;

function sameScope(a: ArnScope, b: ArnScope): boolean {
  return a.accountId === b.accountId && a.region === b.region;
}

export function createKeyLoader(deps: KeyLoaderDeps): KeyLoader {
  const { stores, clock } = deps;

  const purge = async (owner: ArnScope, keyId: string): Promise<void> => {
    await stores.kmsKeys.delete(owner, keyId);
    await stores.tags.deleteAll(owner, arns.kmsKey(owner, keyId));
  };

  const managed = async (owner: ArnScope, service: ManagedKeyService): Promise<StoredKey> => {
    const keyId = deps.random.uuid();
    const arn = arns.kmsKey(owner, keyId);
    const fresh: StoredKey = {
      key: {
        accountId: owner.accountId,
        region: owner.region,
        keyId,
        arn,
        description: MANAGED_KEY_DESCRIPTIONS[service],
        keyManager: 'AWS',
        keySpec: 'SYMMETRIC_DEFAULT',
        keyUsage: 'ENCRYPT_DECRYPT',
        state: 'Enabled',
        policy: managedKeyPolicy(owner, service),
        createdAt: clock.now(),
        deletionDate: undefined,
        pendingWindowDays: undefined,
        rotationEnabled: true,
        origin: 'AWS_KMS',
        rotationPeriodDays: MANAGED_ROTATION_DAYS,
        nextRotationDate: new Date(clock.now().getTime() + MANAGED_ROTATION_DAYS * 86_400_000),
        currentMaterialId: undefined,
        materialValidTo: undefined,
      },
      wrappedMaterial: newWrappedMaterial(deps.rootKey, arn, deps.random),
    };
    // AWS rotates its managed keys every year, and so does Coffer (kms-rotation.ts).
    const record = await stores.kmsKeys.insertWithAliasIfAbsent(
      owner,
      toRecord(fresh, clock.now().getTime()),
      managedAliasName(service),
      clock.now().getTime(),
    );
    return fromRecord(owner, record);
  };

  const managedServiceOf = (name: string): ManagedKeyService | undefined => MANAGED_KEY_SERVICES.find((s) => managedAliasName(s) === name);

  return {
    async load(scope, keyRef, operation) {
      const ref = parseKeyReference(scope, keyRef);
      const own = sameScope(ref.owner, scope);
      const missing = (what: string): KmsError => (own ? new KmsError('NotFound', what) : accessDenied(scope.principal, `kms:${operation}`, keyRef));
      let keyId: string;
      if (ref.kind === 'alias') {
        const alias = await stores.kmsAliases.get(ref.owner, ref.name);
        const service = managedServiceOf(ref.name);
        if (alias === undefined && own && service !== undefined) return managed(ref.owner, service);
        if (alias === undefined) throw missing(`Alias ${aliasArn(ref.owner, ref.name)} is not found.`);
        keyId = alias.keyId;
      } else {
        keyId = ref.keyId;
      }
      const arn = arns.kmsKey(ref.owner, keyId);
      const record = await stores.kmsKeys.get(ref.owner, keyId);
      if (record === undefined) throw missing(`Key '${arn}' does not exist`);
      const stored = fromRecord(ref.owner, record);
      if (isDue(stored.key, clock.now())) {
        await purge(ref.owner, keyId);
        throw missing(`Key '${arn}' does not exist`);
      }
      return stored;
    },
    managed,
    purge,
  };
}
