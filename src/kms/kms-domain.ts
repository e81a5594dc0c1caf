/**
 * The KMS domain assembled: one service per concept over the catalog's KMS stores, the clock,
 * randomness and the root key that envelopes every key's material. Key policies are evaluated by
 * iam/'s `keyPolicyAllows` unless another `policyCheck` is injected. The server builds one of these;
 * AWS Backup uses `forService('backup')` (service-kms.ts) and `awsManagedKey`.
 */
import type { ArnScope } from '../iam/arn.js';
import { keyPolicyAllows } from '../iam/resource-access.js';
import { createHeldKeys } from './held-keys.js';
import type { HeldKeys } from './held-keys.js';
import { createKeyAccess } from './key-access.js';
import type { KeyPolicyCheck } from './key-access.js';
import { createKeyLoader } from './key-loader.js';
import type { KmsStores } from './key-loader.js';
import type { ManagedKeyService } from './key-policies.js';
import { createKmsAliases } from './kms-aliases.js';
import type { KmsAliases } from './kms-aliases.js';
import type { KmsContext } from './kms-context.js';
import { createKmsCrypto } from './kms-crypto.js';
import type { KmsCrypto } from './kms-crypto.js';
import { createKmsGrants } from './kms-grants.js';
import type { KmsGrants } from './kms-grants.js';
import type { KmsKey } from './kms-key.js';
import { createKmsKeyPolicies } from './kms-key-policy.js';
import type { KmsKeyPolicies } from './kms-key-policy.js';
import { createKmsKeys } from './kms-keys.js';
import type { KmsKeys } from './kms-keys.js';
import { cryptoRandom } from './kms-scope.js';
import type { KmsClock, KmsRandom } from './kms-scope.js';
import { createKmsTags } from './kms-tags.js';
import type { KmsTags } from './kms-tags.js';
import { createServiceKms } from './service-kms.js';
import type { ServiceKms } from './service-kms.js';
import { createCustomKeyStores } from './custom-key-stores.js';
import type { CustomKeyStores } from './custom-key-stores.js';
import { createKmsImport } from './kms-import.js';
import type { KmsImport } from './kms-import.js';
import { createKmsRotation } from './kms-rotation.js';
import type { KmsRotation } from './kms-rotation.js';
import { createKmsSigning } from './kms-signing.js';
import type { KmsSigning } from './kms-signing.js';

export interface KmsDomainDeps {
  readonly catalog: KmsStores;
  readonly clock: KmsClock;
  /** 32 bytes; every key's material is stored enveloped under it. */
  readonly rootKey: Buffer;
  /** Default: iam/'s keyPolicyAllows. */
  readonly policyCheck?: KeyPolicyCheck | undefined;
  readonly organizationOf?: ((accountId: string) => string | undefined) | undefined;
  readonly random?: KmsRandom | undefined;
}

export interface KmsDomain {
  readonly keys: KmsKeys;
  readonly aliases: KmsAliases;
  readonly keyPolicies: KmsKeyPolicies;
  readonly grants: KmsGrants;
  readonly tags: KmsTags;
  readonly crypto: KmsCrypto;
  readonly signing: KmsSigning;
  readonly rotation: KmsRotation;
  readonly imports: KmsImport;
  readonly customKeyStores: CustomKeyStores;
  /** The scheduler's tick: purge keys past their deletion date, rotate keys due, expire imported material. */
  maintain(now: Date): Promise<void>;
  /** KMS as AWS Backup (or RDS) calls it for an account: see service-kms.ts. */
  forService(service: 'backup' | 'rds'): ServiceKms;
  /** The account's AWS managed key (`aws/backup`, `aws/rds`), created on first use. */
  awsManagedKey(owner: ArnScope, service: ManagedKeyService): Promise<KmsKey>;
  /** The key a key or alias ARN names as Coffer holds it, without a policy check (held-keys.ts): for the Backup domain's own checks. */
  readonly heldKeys: HeldKeys;
}

export function createKmsDomain(deps: KmsDomainDeps): KmsDomain {
  if (deps.rootKey.length !== 32) throw new Error('the KMS root key must be 32 bytes');
  const base = { stores: deps.catalog, clock: deps.clock, random: deps.random ?? cryptoRandom, rootKey: deps.rootKey };
  const ctx: KmsContext = {
    ...base,
    loader: createKeyLoader(base),
    access: createKeyAccess({ grants: deps.catalog.kmsGrants, policyCheck: deps.policyCheck ?? keyPolicyAllows, organizationOf: deps.organizationOf }),
  };
  const keys = createKmsKeys(ctx);
  const crypto = createKmsCrypto(ctx);
  const rotation = createKmsRotation(ctx);
  const imports = createKmsImport(ctx);
  return {
    signing: createKmsSigning(ctx),
    rotation,
    imports,
    customKeyStores: createCustomKeyStores(),
    async maintain(now) {
      await keys.purgeDue(now);
      await rotation.rotateDue(now);
      await imports.expireDue(now);
    },
    keys,
    aliases: createKmsAliases(ctx),
    keyPolicies: createKmsKeyPolicies(ctx),
    grants: createKmsGrants(ctx),
    tags: createKmsTags(ctx),
    crypto,
    forService: (service) => createServiceKms(service, crypto, keys),
    heldKeys: createHeldKeys(deps.catalog),
    awsManagedKey: async (owner, service) => (await ctx.loader.managed({ accountId: owner.accountId, region: owner.region }, service)).key,
  };
}
