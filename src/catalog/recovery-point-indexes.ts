/**
 * Recovery point indexes (migration 0031): which recovery points have a file index, its status
 * (PENDING while a node builds it, ACTIVE, FAILED), and the lease of the node building it. The
 * index itself is the snapshot's restic trees; this row says whether it may be searched. A row
 * whose recovery point is gone is never listed.
 */
import type { Selectable } from 'kysely';
import type { StoreContext } from './dialect.js';
import { afterKey, decodeCursor, pageLimit, toPage } from './pagination.js';
import type { Page, PageRequest } from './pagination.js';
import type { CatalogScope, EpochMillis } from './scope.js';

export interface RecoveryPointIndexesTable {
  account_id: string;
  region: string;
  recovery_point_arn: string;
  vault_name: string;
  source_resource_arn: string;
  resource_type: string;
  backup_created_at: number;
  iam_role_arn: string | null;
  status: string;
  status_message: string | null;
  created_at: number;
  completed_at: number | null;
  total_items: number | null;
  holder: string | null;
  lease_until: number | null;
}

declare module './database.js' {
  interface Database {
    readonly recovery_point_indexes: RecoveryPointIndexesTable;
  }
}

export type IndexStatus = 'PENDING' | 'ACTIVE' | 'FAILED' | 'DELETING';

export interface RecoveryPointIndexRecord extends CatalogScope {
  readonly recoveryPointArn: string;
  readonly vaultName: string;
  readonly sourceResourceArn: string;
  readonly resourceType: string;
  readonly backupCreatedAt: EpochMillis;
  readonly iamRoleArn: string | undefined;
  readonly status: IndexStatus;
  readonly statusMessage: string | undefined;
  readonly createdAt: EpochMillis;
  readonly completedAt: EpochMillis | undefined;
  readonly totalItems: number | undefined;
}

export type NewRecoveryPointIndex = Omit<RecoveryPointIndexRecord, 'status' | 'statusMessage' | 'completedAt' | 'totalItems' | keyof CatalogScope>;

export interface IndexFilter {
  readonly sourceResourceArn?: string | undefined;
  readonly resourceType?: string | undefined;
  readonly status?: IndexStatus | undefined;
  /** The recovery point's creation date. */
  readonly createdAfter?: EpochMillis | undefined;
  readonly createdBefore?: EpochMillis | undefined;
}

export interface ClaimedIndex extends RecoveryPointIndexRecord {
  readonly holder: string;
}

export interface RecoveryPointIndexStore {
  /** A new PENDING index of the point (a FAILED one is asked again); undefined when one is PENDING or ACTIVE already. */
  request(scope: CatalogScope, index: NewRecoveryPointIndex): Promise<RecoveryPointIndexRecord | undefined>;
  get(scope: CatalogScope, recoveryPointArn: string): Promise<RecoveryPointIndexRecord | undefined>;
  /** Newest recovery point first; only points that still exist. */
  list(scope: CatalogScope, filter: IndexFilter, page?: PageRequest): Promise<Page<RecoveryPointIndexRecord>>;
  /** Up to `limit` PENDING indexes no live lease holds, each taken for `holder` until now + `leaseMs`. */
  claimPending(holder: string, limit: number, leaseMs: number, now: EpochMillis): Promise<ClaimedIndex[]>;
  /** Records the build's end; false when the lease was lost meanwhile (another node took it). */
  finish(
    claim: ClaimedIndex,
    result: { readonly status: 'ACTIVE' | 'FAILED'; readonly statusMessage?: string; readonly totalItems?: number },
    now: EpochMillis,
  ): Promise<boolean>;
  /** Removes the index; the record as it was, undefined when there was none. */
  remove(scope: CatalogScope, recoveryPointArn: string): Promise<RecoveryPointIndexRecord | undefined>;
}

type Row = Selectable<RecoveryPointIndexesTable>;

function toRecord(row: Row): RecoveryPointIndexRecord {
  return {
    accountId: row.account_id,
    region: row.region,
    recoveryPointArn: row.recovery_point_arn,
    vaultName: row.vault_name,
    sourceResourceArn: row.source_resource_arn,
    resourceType: row.resource_type,
    backupCreatedAt: Number(row.backup_created_at),
    iamRoleArn: row.iam_role_arn ?? undefined,
    status: row.status as IndexStatus,
    statusMessage: row.status_message ?? undefined,
    createdAt: Number(row.created_at),
    completedAt: row.completed_at === null ? undefined : Number(row.completed_at),
    totalItems: row.total_items === null ? undefined : Number(row.total_items),
  };
}

export function createRecoveryPointIndexStore({ db }: StoreContext): RecoveryPointIndexStore {
  const one = (scope: CatalogScope, arn: string) =>
    db
      .selectFrom('recovery_point_indexes')
      .selectAll()
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('recovery_point_arn', '=', arn);

  return {
    async request(scope, index) {
      const values = {
        account_id: scope.accountId,
        region: scope.region,
        recovery_point_arn: index.recoveryPointArn,
        vault_name: index.vaultName,
        source_resource_arn: index.sourceResourceArn,
        resource_type: index.resourceType,
        backup_created_at: index.backupCreatedAt,
        iam_role_arn: index.iamRoleArn ?? null,
        status: 'PENDING',
        status_message: null,
        created_at: index.createdAt,
        completed_at: null,
        total_items: null,
        holder: null,
        lease_until: null,
      };
      const row = await db
        .insertInto('recovery_point_indexes')
        .values(values)
        .onConflict((oc) =>
          oc
            .columns(['account_id', 'region', 'recovery_point_arn'])
            .doUpdateSet({ ...values })
            .where('recovery_point_indexes.status', '=', 'FAILED'),
        )
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? undefined : toRecord(row);
    },
    async get(scope, arn) {
      const row = await one(scope, arn).executeTakeFirst();
      return row === undefined ? undefined : toRecord(row);
    },
    async list(scope, filter, page) {
      const limit = pageLimit(page);
      const after = decodeCursor('recovery-point-indexes', page, 2);
      const rows = await db
        .selectFrom('recovery_point_indexes as i')
        .selectAll('i')
        .where('i.account_id', '=', scope.accountId)
        .where('i.region', '=', scope.region)
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('recovery_points as p')
              .select('p.arn')
              .whereRef('p.account_id', '=', 'i.account_id')
              .whereRef('p.region', '=', 'i.region')
              .whereRef('p.arn', '=', 'i.recovery_point_arn'),
          ),
        )
        .$if(filter.sourceResourceArn !== undefined, (q) => q.where('i.source_resource_arn', '=', filter.sourceResourceArn!))
        .$if(filter.resourceType !== undefined, (q) => q.where('i.resource_type', '=', filter.resourceType!))
        .$if(filter.status !== undefined, (q) => q.where('i.status', '=', filter.status!))
        .$if(filter.createdAfter !== undefined, (q) => q.where('i.backup_created_at', '>', filter.createdAfter!))
        .$if(filter.createdBefore !== undefined, (q) => q.where('i.backup_created_at', '<', filter.createdBefore!))
        .$if(after !== undefined, (q) => q.where(afterKey(['i.backup_created_at', 'i.recovery_point_arn'], after!, 'desc')))
        .orderBy('i.backup_created_at', 'desc')
        .orderBy('i.recovery_point_arn', 'desc')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, 'recovery-point-indexes', (r) => [Number(r.backup_created_at), r.recovery_point_arn], toRecord);
    },
    async claimPending(holder, limit, leaseMs, now) {
      const candidates = await db
        .selectFrom('recovery_point_indexes')
        .selectAll()
        .where('status', '=', 'PENDING')
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
        .orderBy('created_at')
        .limit(limit)
        .execute();
      const claimed: ClaimedIndex[] = [];
      for (const c of candidates) {
        // Compare-and-set: only one node takes a row whose lease is free.
        const row = await db
          .updateTable('recovery_point_indexes')
          .set({ holder, lease_until: now + leaseMs })
          .where('account_id', '=', c.account_id)
          .where('region', '=', c.region)
          .where('recovery_point_arn', '=', c.recovery_point_arn)
          .where('status', '=', 'PENDING')
          .where((eb) => (c.lease_until === null ? eb('lease_until', 'is', null) : eb('lease_until', '=', c.lease_until)))
          .returningAll()
          .executeTakeFirst();
        if (row !== undefined) claimed.push({ ...toRecord(row), holder });
      }
      return claimed;
    },
    async finish(claim, result, now) {
      const row = await db
        .updateTable('recovery_point_indexes')
        .set({
          status: result.status,
          status_message: result.statusMessage ?? null,
          total_items: result.totalItems ?? null,
          completed_at: now,
          holder: null,
          lease_until: null,
        })
        .where('account_id', '=', claim.accountId)
        .where('region', '=', claim.region)
        .where('recovery_point_arn', '=', claim.recoveryPointArn)
        .where('status', '=', 'PENDING')
        .where('holder', '=', claim.holder)
        .returning('recovery_point_arn')
        .executeTakeFirst();
      return row !== undefined;
    },
    async remove(scope, arn) {
      const row = await db
        .deleteFrom('recovery_point_indexes')
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('recovery_point_arn', '=', arn)
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? undefined : toRecord(row);
    },
  };
}
