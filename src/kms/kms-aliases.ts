/**
 * Aliases: friendly names (`alias/<name>`) for keys of the same account and region. The prefix
 * `alias/aws/` belongs to AWS managed keys and is refused for customers. Creating, retargeting
 * or deleting an alias is allowed by the policies of the keys involved, as in AWS.
 */
import { checkNotPendingDeletion } from './kms-key.js';
import type { KmsKey } from './kms-key.js';
import { CatalogConflictError } from '../catalog/catalog-error.js';
import type { KmsContext } from './kms-context.js';
import { KmsError } from './kms-error.js';
import { withMarker } from './kms-page.js';
import type { KmsListRequest, KmsPage } from './kms-page.js';
import type { KmsScope } from './kms-scope.js';
import { aliasArn } from './key-reference.js';

export interface KmsAlias {
  readonly name: string;
  readonly arn: string;
  readonly targetKeyId: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface KmsAliases {
  create(scope: KmsScope, name: string, targetKeyRef: string): Promise<void>;
  update(scope: KmsScope, name: string, targetKeyRef: string): Promise<void>;
  delete(scope: KmsScope, name: string): Promise<void>;
  /** The caller's aliases in this region by name; only those of `keyRef` when given. */
  list(scope: KmsScope, keyRef: string | undefined, request: KmsListRequest): Promise<KmsPage<KmsAlias>>;
}

const RESERVED = 'alias/aws/';

function checkAliasName(name: string): void {
  if (!name.startsWith('alias/') || name.length === 'alias/'.length) {
    throw new KmsError('InvalidAliasName', `Alias must start with the prefix "alias/" followed by a name, not ${JSON.stringify(name)}.`);
  }
  if (name.startsWith(RESERVED)) throw new KmsError('InvalidAliasName', `Alias ${name} begins with ${RESERVED}, which is reserved for AWS managed keys.`);
}

function customerTarget(key: KmsKey): void {
  if (key.keyManager === 'AWS') throw new KmsError('UnsupportedOperation', `${key.arn} is an AWS managed key: only customer managed keys take aliases.`);
  checkNotPendingDeletion(key);
}

export function createKmsAliases(ctx: KmsContext): KmsAliases {
  const { stores, loader, access, clock } = ctx;

  /** An alias target must be a key of the caller's own account and region. */
  const ownTarget = async (scope: KmsScope, keyRef: string, operation: 'CreateAlias' | 'UpdateAlias'): Promise<KmsKey> => {
    const { key } = await loader.load(scope, keyRef, operation);
    await access.authorize(scope, key, operation); // denies another account's key
    customerTarget(key);
    return key;
  };

  const existing = async (scope: KmsScope, name: string) => {
    const alias = await stores.kmsAliases.get(scope, name);
    if (alias === undefined) throw new KmsError('NotFound', `Alias ${aliasArn(scope, name)} is not found.`);
    return alias;
  };

  return {
    async create(scope, name, targetKeyRef) {
      checkAliasName(name);
      const key = await ownTarget(scope, targetKeyRef, 'CreateAlias');
      try {
        await stores.kmsAliases.create(scope, name, key.keyId, clock.now().getTime());
      } catch (err) {
        if (err instanceof CatalogConflictError) throw new KmsError('AlreadyExists', `An alias with the name ${aliasArn(scope, name)} already exists`);
        throw err;
      }
    },

    async update(scope, name, targetKeyRef) {
      checkAliasName(name);
      const alias = await existing(scope, name);
      const current = await loader.load(scope, alias.keyId, 'UpdateAlias');
      await access.authorize(scope, current.key, 'UpdateAlias');
      const key = await ownTarget(scope, targetKeyRef, 'UpdateAlias');
      await stores.kmsAliases.retarget(scope, name, key.keyId, clock.now().getTime());
    },

    async delete(scope, name) {
      checkAliasName(name);
      const alias = await existing(scope, name);
      const { key } = await loader.load(scope, alias.keyId, 'DeleteAlias');
      await access.authorize(scope, key, 'DeleteAlias');
      await stores.kmsAliases.delete(scope, name);
    },

    async list(scope, keyRef, request) {
      let keyId: string | undefined;
      if (keyRef !== undefined) {
        const { key } = await loader.load(scope, keyRef, 'ListAliases');
        if (key.accountId !== scope.accountId) throw new KmsError('NotFound', `Key '${key.arn}' does not exist in account ${scope.accountId}.`);
        keyId = key.keyId;
      }
      return withMarker(
        request,
        (page) => stores.kmsAliases.list(scope, keyId, page),
        (a) => ({
          name: a.name,
          arn: aliasArn(scope, a.name),
          targetKeyId: a.keyId,
          createdAt: new Date(a.createdAt),
          updatedAt: new Date(a.updatedAt),
        }),
      );
    },
  };
}
