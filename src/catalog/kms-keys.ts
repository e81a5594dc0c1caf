/**
 * KMS keys by account, region and key id. The store keeps what the domain hands it (state names,
 * policy text, enveloped material) without knowing what they mean. An AWS managed key is created
 * together with its alias in one transaction, so two first uses of `alias/aws/backup` agree on
 * one key.
 */
import type { Selectable } from 'kysely';
import { inTransaction } from './dialect.js';
import type { StoreContext } from './dialect.js';
import type { KmsKeysTable } from './kms-tables.js';
import { afterKey, decodeCursor, pageLimit, toPage } from './pagination.js';
import type { Page, PageRequest } from './pagination.js';
import type { CatalogScope, EpochMillis } from './scope.js';

export interface KmsKeyRecord {
  readonly keyId: string;
  readonly arn: string;
  readonly description: string;
  readonly keyManager: string;
  readonly keySpec: string;
  readonly keyUsage: string;
  readonly state: string;
  readonly policy: string;
  readonly wrappedMaterial: string;
  readonly createdAt: EpochMillis;
  readonly deletionAt: EpochMillis | undefined;
  readonly pendingWindowDays: number | undefined;
  readonly rotationEnabledAt: EpochMillis | undefined;
  readonly origin?: string | undefined;
  readonly rotationPeriodDays?: number | undefined;
  readonly nextRotationAt?: EpochMillis | undefined;
  readonly currentMaterialId?: string | undefined;
  readonly importParameters?: string | undefined;
  readonly materialValidTo?: EpochMillis | undefined;
  readonly lastUsedAt?: EpochMillis | undefined;
  readonly lastUsedOperation?: string | undefined;
  readonly lastUsedRequestId?: string | undefined;
}

/** What may change after creation; `null` clears a column. */
export interface KmsKeyChanges {
  readonly state?: string;
  readonly policy?: string;
  readonly description?: string;
  readonly wrappedMaterial?: string;
  readonly deletionAt?: EpochMillis | null;
  readonly pendingWindowDays?: number | null;
  readonly rotationEnabledAt?: EpochMillis | null;
  readonly rotationPeriodDays?: number | null;
  readonly nextRotationAt?: EpochMillis | null;
  readonly currentMaterialId?: string | null;
  readonly importParameters?: string | null;
  readonly materialValidTo?: EpochMillis | null;
}

/** A key's last cryptographic use. */
export interface KmsKeyUse {
  readonly at: EpochMillis;
  readonly operation: string;
  readonly requestId: string;
}

export interface KmsKeyRef extends CatalogScope {
  readonly keyId: string;
}

export interface KmsKeyStore {
  insert(scope: CatalogScope, key: KmsKeyRecord): Promise<void>;
  /**
   * The key under `aliasName`, creating `key` and the alias when the alias does not exist yet.
   * Returns the key that the alias names afterwards (the first creator's on a race).
   */
  insertWithAliasIfAbsent(scope: CatalogScope, key: KmsKeyRecord, aliasName: string, now: EpochMillis): Promise<KmsKeyRecord>;
  get(scope: CatalogScope, keyId: string): Promise<KmsKeyRecord | undefined>;
  /** Ordered by key id. */
  list(scope: CatalogScope, page?: PageRequest): Promise<Page<KmsKeyRecord>>;
  update(scope: CatalogScope, keyId: string, changes: KmsKeyChanges): Promise<void>;
  /** Records the key's last cryptographic use (GetKeyLastUsage). */
  recordUse(scope: CatalogScope, keyId: string, use: KmsKeyUse): Promise<void>;
  /** Keys of every scope whose deletion date is at or before `now`. */
  dueForDeletion(now: EpochMillis): Promise<readonly KmsKeyRef[]>;
  /** Keys of every scope whose next automatic rotation is at or before `now`. */
  dueForRotation(now: EpochMillis): Promise<readonly KmsKeyRef[]>;
  /** Keys of every scope whose imported material expires at or before `now`. */
  dueForExpiry(now: EpochMillis): Promise<readonly KmsKeyRef[]>;
  /** Removes the key with its aliases, grants and rotated materials. */
  delete(scope: CatalogScope, keyId: string): Promise<void>;
}

function toRecord(row: Selectable<KmsKeysTable>): KmsKeyRecord {
  return {
    keyId: row.key_id,
    arn: row.arn,
    description: row.description,
    keyManager: row.key_manager,
    keySpec: row.key_spec,
    keyUsage: row.key_usage,
    state: row.state,
    policy: row.policy,
    wrappedMaterial: row.wrapped_material,
    createdAt: row.created_at,
    deletionAt: row.deletion_at ?? undefined,
    pendingWindowDays: row.pending_window_days ?? undefined,
    rotationEnabledAt: row.rotation_enabled_at ?? undefined,
    origin: row.origin ?? undefined,
    rotationPeriodDays: row.rotation_period_days ?? undefined,
    nextRotationAt: row.next_rotation_at ?? undefined,
    currentMaterialId: row.current_material_id ?? undefined,
    importParameters: row.import_parameters ?? undefined,
    materialValidTo: row.material_valid_to ?? undefined,
    lastUsedAt: row.last_used_at ?? undefined,
    lastUsedOperation: row.last_used_operation ?? undefined,
    lastUsedRequestId: row.last_used_request_id ?? undefined,
  };
}

function toRow(scope: CatalogScope, key: KmsKeyRecord): KmsKeysTable {
  return {
    account_id: scope.accountId,
    region: scope.region,
    key_id: key.keyId,
    arn: key.arn,
    description: key.description,
    key_manager: key.keyManager,
    key_spec: key.keySpec,
    key_usage: key.keyUsage,
    state: key.state,
    policy: key.policy,
    wrapped_material: key.wrappedMaterial,
    created_at: key.createdAt,
    deletion_at: key.deletionAt ?? null,
    pending_window_days: key.pendingWindowDays ?? null,
    rotation_enabled_at: key.rotationEnabledAt ?? null,
    origin: key.origin ?? null,
    rotation_period_days: key.rotationPeriodDays ?? null,
    next_rotation_at: key.nextRotationAt ?? null,
    current_material_id: key.currentMaterialId ?? null,
    import_parameters: key.importParameters ?? null,
    material_valid_to: key.materialValidTo ?? null,
    last_used_at: key.lastUsedAt ?? null,
    last_used_operation: key.lastUsedOperation ?? null,
    last_used_request_id: key.lastUsedRequestId ?? null,
  };
}

/** The row's columns for `changes`; a member left out is left alone. */
export function keyChangeColumns(changes: KmsKeyChanges): Partial<KmsKeysTable> {
  const columns: [keyof KmsKeyChanges, keyof KmsKeysTable][] = [
    ['state', 'state'],
    ['policy', 'policy'],
    ['description', 'description'],
    ['wrappedMaterial', 'wrapped_material'],
    ['deletionAt', 'deletion_at'],
    ['pendingWindowDays', 'pending_window_days'],
    ['rotationEnabledAt', 'rotation_enabled_at'],
    ['rotationPeriodDays', 'rotation_period_days'],
    ['nextRotationAt', 'next_rotation_at'],
    ['currentMaterialId', 'current_material_id'],
    ['importParameters', 'import_parameters'],
    ['materialValidTo', 'material_valid_to'],
  ];
  return Object.fromEntries(columns.filter(([member]) => changes[member] !== undefined).map(([member, column]) => [column, changes[member]]));
}

export function createKmsKeyStore({ db }: StoreContext): KmsKeyStore {
  const inScope = (scope: CatalogScope) => db.selectFrom('kms_keys').selectAll().where('account_id', '=', scope.accountId).where('region', '=', scope.region);
  const get = async (scope: CatalogScope, keyId: string): Promise<KmsKeyRecord | undefined> => {
    const row = await inScope(scope).where('key_id', '=', keyId).executeTakeFirst();
    return row === undefined ? undefined : toRecord(row);
  };

  const dueBy = async (column: 'next_rotation_at' | 'material_valid_to', now: EpochMillis): Promise<readonly KmsKeyRef[]> => {
    const rows = await db
      .selectFrom('kms_keys')
      .select(['account_id', 'region', 'key_id'])
      .where(column, 'is not', null)
      .where(column, '<=', now)
      .orderBy(column)
      .execute();
    return rows.map((r) => ({ accountId: r.account_id, region: r.region, keyId: r.key_id }));
  };

  return {
    async insert(scope, key) {
      await db.insertInto('kms_keys').values(toRow(scope, key)).execute();
    },
    insertWithAliasIfAbsent: (scope, key, aliasName, now) =>
      inTransaction(db, async (trx) => {
        const alias = await trx
          .selectFrom('kms_aliases')
          .select('key_id')
          .where('account_id', '=', scope.accountId)
          .where('region', '=', scope.region)
          .where('name', '=', aliasName)
          .executeTakeFirst();
        if (alias === undefined) {
          await trx.insertInto('kms_keys').values(toRow(scope, key)).execute();
          await trx
            .insertInto('kms_aliases')
            .values({ account_id: scope.accountId, region: scope.region, name: aliasName, key_id: key.keyId, created_at: now, updated_at: now })
            .execute();
          return key;
        }
        const row = await trx
          .selectFrom('kms_keys')
          .selectAll()
          .where('account_id', '=', scope.accountId)
          .where('region', '=', scope.region)
          .where('key_id', '=', alias.key_id)
          .executeTakeFirstOrThrow();
        return toRecord(row);
      }),
    get,
    async list(scope, page) {
      const limit = pageLimit(page);
      const after = decodeCursor('kms_keys', page, 1);
      const rows = await inScope(scope)
        .$if(after !== undefined, (q) => q.where(afterKey(['key_id'], after!, 'asc')))
        .orderBy('key_id')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, 'kms_keys', (r) => [r.key_id], toRecord);
    },
    async update(scope, keyId, changes) {
      const set = keyChangeColumns(changes);
      if (Object.keys(set).length === 0) return;
      await db
        .updateTable('kms_keys')
        .set(set)
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('key_id', '=', keyId)
        .execute();
    },
    async recordUse(scope, keyId, use) {
      await db
        .updateTable('kms_keys')
        .set({ last_used_at: use.at, last_used_operation: use.operation, last_used_request_id: use.requestId })
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('key_id', '=', keyId)
        .execute();
    },
    dueForRotation: (now) => dueBy('next_rotation_at', now),
    dueForExpiry: (now) => dueBy('material_valid_to', now),
    async dueForDeletion(now) {
      const rows = await db
        .selectFrom('kms_keys')
        .select(['account_id', 'region', 'key_id'])
        .where('deletion_at', 'is not', null)
        .where('deletion_at', '<=', now)
        .orderBy('deletion_at')
        .execute();
      return rows.map((r) => ({ accountId: r.account_id, region: r.region, keyId: r.key_id }));
    },
    delete: (scope, keyId) =>
      inTransaction(db, async (trx) => {
        for (const table of ['kms_grants', 'kms_aliases', 'kms_key_materials', 'kms_keys'] as const) {
          await trx.deleteFrom(table).where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('key_id', '=', keyId).execute();
        }
      }),
  };
}
