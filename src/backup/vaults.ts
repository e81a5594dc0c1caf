/**
 * Backup vaults: create (idempotent by CreatorRequestId), describe, list, delete. A vault is
 * scoped to its account and region; its key and storage location are fixed at creation; it can
 * only be deleted when it holds no recovery points, and its directory goes with it. At most
 * MAX_VAULTS per account and region, as AWS.
 */
import { CatalogConflictError } from '../catalog/catalog-error.js';
import type { Catalog, CatalogStores } from '../catalog/catalog.js';
import type { VaultRecord } from '../catalog/vaults.js';
import { arns } from '../iam/arn.js';
import { BackupError } from './backup-error.js';
import type { CallScope } from './call-scope.js';
import type { Clock } from './clock.js';
import { checkEncryptionKeyArn, defaultEncryptionKeyArn } from './encryption-key.js';
import { listPage } from './list-page.js';
import type { ListPage, ListRequest } from './list-page.js';
import { checkTags } from './tag-rules.js';
import type { Tags } from './tag-rules.js';
import { toCreatedVault, toVault } from './vault.js';
import type { CreatedVault, Vault } from './vault.js';
import { checkVaultName } from './vault-name.js';
import { authorizeVaultAction } from './vault-authorization.js';
import { isLockImmutable } from './vault-lock.js';
import { createStorageFactory } from '../storage/storage-factory.js';
import { vaultStorageLocation } from './vault-storage.js';

export interface NewVaultRequest {
  readonly name: string;
  readonly encryptionKeyArn?: string | undefined;
  readonly tags?: Tags | undefined;
  readonly creatorRequestId?: string | undefined;
}

export interface VaultListRequest extends ListRequest {
  readonly vaultType?: string | undefined;
  /** Vaults shared with the caller by other accounts; Coffer has none yet. */
  readonly shared?: boolean | undefined;
}

export interface VaultService {
  create(scope: CallScope, request: NewVaultRequest): Promise<CreatedVault>;
  /** `ownerAccountId`: the account that owns the vault, when it is shared; default the caller's. */
  describe(scope: CallScope, name: string, ownerAccountId?: string): Promise<Vault>;
  list(scope: CallScope, request: VaultListRequest): Promise<ListPage<Vault>>;
  delete(scope: CallScope, name: string): Promise<void>;
}

export interface VaultServiceDeps {
  readonly catalog: Catalog;
  readonly clock: Clock;
  /** The storage root URL of a region this service serves. */
  readonly storageRoot: (region: string) => string;
  /** The region's cold storage root URL, when it has one (a deleted vault's cold data goes too). */
  readonly coldStorageRoot?: ((region: string) => string | undefined) | undefined;
  /** Removes what is left of a deleted vault in storage; default: a storage factory without configured credentials. */
  readonly removeStorage?: (location: string | undefined) => Promise<void>;
}

export function vaultNotFound(scope: CallScope, name: string): BackupError {
  return new BackupError(
    'VaultNotFound',
    `Backup vault ${name} does not exist in account ${scope.accountId}, region ${scope.region}. Check the name (ListBackupVaults lists them) and the region, or create it with CreateBackupVault.`,
    { context: name },
  );
}

/** The vault record, or VaultNotFound. */
export async function requireVault(catalog: Pick<Catalog, 'vaults'>, scope: CallScope, name: string): Promise<VaultRecord> {
  const vault = await catalog.vaults.get(scope, name);
  if (vault === undefined) throw vaultNotFound(scope, name);
  return vault;
}

/** AWS's default quota: vaults per account per Region (docs/operations.md, "Limits and refusals"). */
export const MAX_VAULTS = 300;

/** Only called once the vault has no recovery points, so what remains is the skeleton of its repositories. */
async function removeVaultStorage(location: string | undefined): Promise<void> {
  if (location !== undefined) await createStorageFactory().removeAll(location);
}

export function createVaultService({ catalog, clock, storageRoot, coldStorageRoot, removeStorage = removeVaultStorage }: VaultServiceDeps): VaultService {
  const sameRequest = (existing: VaultRecord, request: NewVaultRequest): boolean =>
    request.creatorRequestId !== undefined && existing.creatorRequestId === request.creatorRequestId;

  const alreadyExists = (scope: CallScope, existing: VaultRecord): BackupError =>
    new BackupError(
      'VaultAlreadyExists',
      `Backup vault ${existing.name} already exists in account ${scope.accountId}, region ${scope.region}. Choose another name, or describe the existing vault with DescribeBackupVault.`,
      {
        context: existing.name,
        details: { Arn: existing.arn, ...(existing.creatorRequestId === undefined ? {} : { CreatorRequestId: existing.creatorRequestId }) },
      },
    );

  /** An earlier create with this CreatorRequestId: the same request again, or a misuse of the token. */
  const earlierCreate = async (scope: CallScope, request: NewVaultRequest): Promise<VaultRecord | undefined> => {
    if (request.creatorRequestId === undefined) return undefined;
    const earlier = await catalog.vaults.findByCreatorRequestId(scope, request.creatorRequestId);
    if (earlier === undefined || earlier.name === request.name) return earlier;
    throw new BackupError(
      'CreatorRequestIdReused',
      `CreatorRequestId ${JSON.stringify(request.creatorRequestId)} was already used to create backup vault ${earlier.name}; use a new CreatorRequestId for vault ${request.name}.`,
      { context: request.creatorRequestId },
    );
  };

  const insert = (scope: CallScope, request: NewVaultRequest, encryptionKeyArn: string): Promise<VaultRecord> =>
    catalog.transaction(async (tx) => {
      const arn = arns.backupVault(scope, request.name);
      if ((await tx.vaults.get(scope, request.name)) === undefined && (await tx.vaults.list(scope, {}, { limit: MAX_VAULTS })).items.length >= MAX_VAULTS) {
        throw new BackupError(
          'TooManyVaults',
          `Account ${scope.accountId} already has ${MAX_VAULTS} backup vaults in region ${scope.region}, the most AWS Backup allows per account and region. Delete a vault you no longer use (DeleteBackupVault), or use another region.`,
          { context: request.name },
        );
      }
      const vault = await tx.vaults.create(scope, {
        name: request.name,
        arn,
        encryptionKeyArn,
        createdAt: clock.now().getTime(),
        storageLocation: vaultStorageLocation(storageRoot(scope.region), scope.accountId, request.name),
        ...(request.creatorRequestId === undefined ? {} : { creatorRequestId: request.creatorRequestId }),
      });
      if (request.tags !== undefined && Object.keys(request.tags).length > 0) await tx.tags.tag(scope, arn, request.tags);
      return vault;
    });

  return {
    async create(scope, request) {
      checkVaultName(request.name);
      if (request.tags !== undefined) checkTags(request.tags, 'BackupVaultTags');
      const key = request.encryptionKeyArn === undefined ? defaultEncryptionKeyArn(scope) : checkEncryptionKeyArn(scope, request.encryptionKeyArn);
      const earlier = await earlierCreate(scope, request);
      if (earlier !== undefined) return toCreatedVault(earlier);
      try {
        return toCreatedVault(await insert(scope, request, key));
      } catch (err) {
        if (!(err instanceof CatalogConflictError)) throw err;
        // Lost a race, or the name is taken: a concurrent twin of this very request is a success.
        const existing = await requireVault(catalog, scope, request.name);
        if (sameRequest(existing, request)) return toCreatedVault(existing);
        throw alreadyExists(scope, existing);
      }
    },

    async describe(scope, name, ownerAccountId) {
      if (ownerAccountId !== undefined && ownerAccountId !== scope.accountId) {
        throw new BackupError(
          'VaultNotFound',
          `Backup vault ${name} of account ${ownerAccountId} is not shared with account ${scope.accountId}; leave out BackupVaultAccountId to describe your own vaults.`,
          { context: name },
        );
      }
      const vault = await requireVault(catalog, scope, name);
      const counts = await catalog.recoveryPoints.countByVault(scope);
      return toVault(vault, counts.get(name) ?? 0);
    },

    async list(scope, request) {
      if (request.shared === true) return { items: [], nextToken: undefined };
      const filter = request.vaultType === undefined ? {} : { vaultType: request.vaultType };
      const counts = await catalog.recoveryPoints.countByVault(scope);
      return listPage(
        request,
        (p) => catalog.vaults.list(scope, filter, p),
        (v) => toVault(v, counts.get(v.name) ?? 0),
      );
    },

    async delete(scope, name) {
      const vault = await catalog.transaction((tx) => deleteRow(tx, scope, name));
      // The rows are gone; what is left on disk is the repository skeleton of points already erased.
      await removeStorage(vault.storageLocation);
      // Its cold repositories too: a new vault of that name must not meet the old one's data.
      const cold = coldStorageRoot?.(scope.region);
      if (cold !== undefined) await removeStorage(vaultStorageLocation(cold, scope.accountId, name));
    },
  };

  async function deleteRow(tx: CatalogStores, scope: CallScope, name: string): Promise<VaultRecord> {
    const vault = await authorizeVaultAction(tx, scope, { ...scope, name }, 'backup:DeleteBackupVault', arns.backupVault(scope, name));
    if (isLockImmutable(vault.lock, clock.now().getTime())) {
      throw new BackupError(
        'VaultLocked',
        `Backup vault ${name} cannot be deleted: its vault lock is in compliance mode and immutable since ${new Date(vault.lock!.lockDate!).toISOString()}.`,
        { context: name },
      );
    }
    const count = (await tx.recoveryPoints.countByVault(scope)).get(name) ?? 0;
    if (count > 0) {
      throw new BackupError(
        'VaultNotEmpty',
        `Backup vault cannot be deleted (contains ${count} recovery points). Delete them first (ListRecoveryPointsByBackupVault, DeleteRecoveryPoint).`,
        { context: name },
      );
    }
    await tx.vaults.delete(scope, name);
    await tx.tags.deleteAll(scope, vault.arn);
    // Its repositories go with its directory, so their passwords go too: a new vault of the same name starts afresh.
    await tx.repositoryKeys.deleteForVault(scope, name);
    return vault;
  }
}
