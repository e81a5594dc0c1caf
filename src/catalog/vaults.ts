/**
 * Backup vaults: one row per vault, keyed by account, region and name. Holds what AWS Backup
 * keeps about a vault (key, creator request id, access policy, notifications, lock); its
 * recovery points live in recovery-points.ts.
 */
import type { Selectable } from 'kysely';
import { CatalogConflictError } from './catalog-error.js';
import type { VaultsTable } from './database.js';
import type { StoreContext } from './dialect.js';
import { fromJsonText, toJsonText } from './json-text.js';
import { afterKey, decodeCursor, pageLimit, toPage } from './pagination.js';
import type { Page, PageRequest } from './pagination.js';
import type { CatalogScope, EpochMillis } from './scope.js';

export interface VaultNotifications {
  readonly snsTopicArn: string;
  readonly events: readonly string[];
}

/** Vault lock settings; `lockDate` is set only when ChangeableForDays was given (compliance). */
export interface VaultLock {
  readonly minRetentionDays: number | undefined;
  readonly maxRetentionDays: number | undefined;
  readonly changeableForDays: number | undefined;
  readonly lockDate: EpochMillis | undefined;
}

export interface VaultRecord {
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
  readonly arn: string;
  readonly vaultType: string;
  readonly encryptionKeyArn: string;
  readonly creatorRequestId: string | undefined;
  readonly createdAt: EpochMillis;
  /** The policy document exactly as it was put. */
  readonly accessPolicy: string | undefined;
  readonly notifications: VaultNotifications | undefined;
  readonly lock: VaultLock | undefined;
  /** Where the vault's bytes live (a storage URL); undefined for vaults older than migration 0002. */
  readonly storageLocation: string | undefined;
}

export interface NewVault {
  readonly name: string;
  readonly arn: string;
  readonly vaultType?: string;
  readonly encryptionKeyArn: string;
  readonly creatorRequestId?: string;
  readonly createdAt: EpochMillis;
  readonly storageLocation?: string;
}

export interface VaultFilter {
  readonly vaultType?: string;
}

export interface VaultStore {
  /** Throws CatalogConflictError when the scope has a vault of that name. */
  create(scope: CatalogScope, vault: NewVault): Promise<VaultRecord>;
  get(scope: CatalogScope, name: string): Promise<VaultRecord | undefined>;
  findByCreatorRequestId(scope: CatalogScope, creatorRequestId: string): Promise<VaultRecord | undefined>;
  /** Ordered by name. */
  list(scope: CatalogScope, filter?: VaultFilter, page?: PageRequest): Promise<Page<VaultRecord>>;
  /** Each setter returns the updated vault, or undefined when there is no such vault. */
  setAccessPolicy(scope: CatalogScope, name: string, policy: string | undefined): Promise<VaultRecord | undefined>;
  setNotifications(scope: CatalogScope, name: string, notifications: VaultNotifications | undefined): Promise<VaultRecord | undefined>;
  setLock(scope: CatalogScope, name: string, lock: VaultLock | undefined): Promise<VaultRecord | undefined>;
  /** False when there was no such vault. Refused by the database while recovery points remain. */
  delete(scope: CatalogScope, name: string): Promise<boolean>;
}

type Row = Selectable<VaultsTable>;
const LIST = 'vaults';

export function createVaultStore({ db, dialect }: StoreContext): VaultStore {
  const inScope = (scope: CatalogScope) => db.selectFrom('vaults').selectAll().where('account_id', '=', scope.accountId).where('region', '=', scope.region);

  const update = async (scope: CatalogScope, name: string, values: Partial<Row>) => {
    const row = await db
      .updateTable('vaults')
      .set(values)
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('name', '=', name)
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? undefined : toVault(row);
  };

  return {
    async create(scope, vault) {
      try {
        const row = await db.insertInto('vaults').values(toRow(scope, vault)).returningAll().executeTakeFirstOrThrow();
        return toVault(row);
      } catch (err) {
        if (dialect.isUniqueViolation(err)) throw new CatalogConflictError('backup vault', vault.name);
        throw err;
      }
    },
    async get(scope, name) {
      const row = await inScope(scope).where('name', '=', name).executeTakeFirst();
      return row === undefined ? undefined : toVault(row);
    },
    async findByCreatorRequestId(scope, creatorRequestId) {
      const row = await inScope(scope).where('creator_request_id', '=', creatorRequestId).executeTakeFirst();
      return row === undefined ? undefined : toVault(row);
    },
    async list(scope, filter = {}, page) {
      const limit = pageLimit(page);
      const after = decodeCursor(LIST, page, 1);
      const rows = await inScope(scope)
        .$if(filter.vaultType !== undefined, (q) => q.where('vault_type', '=', filter.vaultType!))
        .$if(after !== undefined, (q) => q.where(afterKey(['name'], after!, 'asc')))
        .orderBy('name', 'asc')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, LIST, (r) => [r.name], toVault);
    },
    setAccessPolicy: (scope, name, policy) => update(scope, name, { access_policy: policy ?? null }),
    setNotifications: (scope, name, notifications) =>
      update(scope, name, { notifications: toJsonText(notifications && { snsTopicArn: notifications.snsTopicArn, events: notifications.events }) }),
    setLock: (scope, name, lock) => update(scope, name, lockColumns(lock)),
    async delete(scope, name) {
      const result = await db
        .deleteFrom('vaults')
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('name', '=', name)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}

function toRow(scope: CatalogScope, vault: NewVault): Row {
  return {
    account_id: scope.accountId,
    region: scope.region,
    name: vault.name,
    arn: vault.arn,
    vault_type: vault.vaultType ?? 'BACKUP_VAULT',
    encryption_key_arn: vault.encryptionKeyArn,
    creator_request_id: vault.creatorRequestId ?? null,
    created_at: vault.createdAt,
    access_policy: null,
    notifications: null,
    ...lockColumns(undefined),
    storage_location: vault.storageLocation ?? null,
  };
}

function lockColumns(lock: VaultLock | undefined): Pick<Row, 'lock_min_retention_days' | 'lock_max_retention_days' | 'lock_changeable_for_days' | 'lock_date'> {
  return {
    lock_min_retention_days: lock?.minRetentionDays ?? null,
    lock_max_retention_days: lock?.maxRetentionDays ?? null,
    lock_changeable_for_days: lock?.changeableForDays ?? null,
    lock_date: lock?.lockDate ?? null,
  };
}

function toVault(row: Row): VaultRecord {
  const locked = row.lock_min_retention_days !== null || row.lock_max_retention_days !== null || row.lock_changeable_for_days !== null;
  return {
    accountId: row.account_id,
    region: row.region,
    name: row.name,
    arn: row.arn,
    vaultType: row.vault_type,
    encryptionKeyArn: row.encryption_key_arn,
    creatorRequestId: row.creator_request_id ?? undefined,
    createdAt: row.created_at,
    accessPolicy: row.access_policy ?? undefined,
    notifications: fromJsonText<{ snsTopicArn: string; events: string[] }>(row.notifications),
    lock: locked
      ? {
          minRetentionDays: row.lock_min_retention_days ?? undefined,
          maxRetentionDays: row.lock_max_retention_days ?? undefined,
          changeableForDays: row.lock_changeable_for_days ?? undefined,
          lockDate: row.lock_date ?? undefined,
        }
      : undefined,
    storageLocation: row.storage_location ?? undefined,
  };
}
