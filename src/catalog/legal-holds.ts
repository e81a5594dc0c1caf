/**
 * Legal holds (migration 0007): one row per hold, scoped by account and region, and the recovery
 * points it covers, fixed when the hold was created. A point is held while any hold covering it
 * is not CANCELED. The selection is kept as the caller gave it (JSON text).
 */
import type { Selectable } from 'kysely';
import type { StoreContext } from './dialect.js';
import { inTransaction } from './dialect.js';
import { fromJsonText, toJsonText } from './json-text.js';
import { afterKey, decodeCursor, pageLimit, toPage } from './pagination.js';
import type { Page, PageRequest } from './pagination.js';
import type { CatalogScope, EpochMillis } from './scope.js';

interface Scoped {
  account_id: string;
  region: string;
}

export interface LegalHoldsTable extends Scoped {
  hold_id: string;
  arn: string;
  title: string;
  description: string;
  status: string;
  selection: string | null;
  idempotency_token: string | null;
  created_at: number;
  cancel_description: string | null;
  cancelled_at: number | null;
  retain_record_until: number | null;
}

export interface LegalHoldPointsTable extends Scoped {
  hold_id: string;
  recovery_point_arn: string;
  resource_arn: string;
  resource_type: string;
  vault_name: string;
}

declare module './database.js' {
  interface Database {
    readonly legal_holds: LegalHoldsTable;
    readonly legal_hold_points: LegalHoldPointsTable;
  }
}

export type LegalHoldStatus = 'CREATING' | 'ACTIVE' | 'CANCELING' | 'CANCELED';

// A type alias, not an interface, so that it is assignable to the JSON text helpers' JsonValue.
export type LegalHoldSelection = {
  readonly vaultNames?: readonly string[];
  readonly resourceIdentifiers?: readonly string[];
  readonly dateRange?: { readonly from: EpochMillis; readonly to: EpochMillis };
};

export interface LegalHoldRecord extends CatalogScope {
  readonly id: string;
  readonly arn: string;
  readonly title: string;
  readonly description: string;
  readonly status: LegalHoldStatus;
  readonly selection: LegalHoldSelection | undefined;
  readonly idempotencyToken: string | undefined;
  readonly createdAt: EpochMillis;
  readonly cancelDescription: string | undefined;
  readonly cancelledAt: EpochMillis | undefined;
  readonly retainRecordUntil: EpochMillis | undefined;
}

export interface HeldPoint {
  readonly recoveryPointArn: string;
  readonly resourceArn: string;
  readonly resourceType: string;
  readonly vaultName: string;
}

export type NewLegalHold = Omit<LegalHoldRecord, 'cancelDescription' | 'cancelledAt' | 'retainRecordUntil' | keyof CatalogScope>;

export interface LegalHoldCancel {
  readonly status: LegalHoldStatus;
  readonly cancelDescription: string;
  readonly cancelledAt: EpochMillis;
  readonly retainRecordUntil: EpochMillis | undefined;
}

export interface LegalHoldStore {
  /** The hold and the points it covers, in one transaction. */
  create(scope: CatalogScope, hold: NewLegalHold, points: readonly HeldPoint[]): Promise<LegalHoldRecord>;
  get(scope: CatalogScope, id: string): Promise<LegalHoldRecord | undefined>;
  findByIdempotencyToken(scope: CatalogScope, token: string): Promise<LegalHoldRecord | undefined>;
  /** Newest first. */
  list(scope: CatalogScope, page?: PageRequest): Promise<Page<LegalHoldRecord>>;
  listPoints(scope: CatalogScope, id: string, page?: PageRequest): Promise<Page<HeldPoint>>;
  /** Undefined when missing or (with `expected`) not in one of those states. */
  setStatus(
    scope: CatalogScope,
    id: string,
    status: LegalHoldStatus,
    expected: readonly LegalHoldStatus[],
    cancel?: LegalHoldCancel,
  ): Promise<LegalHoldRecord | undefined>;
  /** The holds not yet CANCELED that cover the recovery point. */
  activeHoldsOn(scope: CatalogScope, recoveryPointArn: string): Promise<readonly LegalHoldRecord[]>;
}

type Row = Selectable<LegalHoldsTable>;

export function createLegalHoldStore({ db }: StoreContext): LegalHoldStore {
  const inScope = (scope: CatalogScope) =>
    db.selectFrom('legal_holds').selectAll().where('account_id', '=', scope.accountId).where('region', '=', scope.region);

  return {
    create: (scope, hold, points) =>
      inTransaction(db, async (trx) => {
        const scoped = { account_id: scope.accountId, region: scope.region };
        const row = await trx
          .insertInto('legal_holds')
          .values({
            ...scoped,
            hold_id: hold.id,
            arn: hold.arn,
            title: hold.title,
            description: hold.description,
            status: hold.status,
            selection: toJsonText(hold.selection),
            idempotency_token: hold.idempotencyToken ?? null,
            created_at: hold.createdAt,
            cancel_description: null,
            cancelled_at: null,
            retain_record_until: null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        for (const p of points) {
          await trx
            .insertInto('legal_hold_points')
            .values({
              ...scoped,
              hold_id: hold.id,
              recovery_point_arn: p.recoveryPointArn,
              resource_arn: p.resourceArn,
              resource_type: p.resourceType,
              vault_name: p.vaultName,
            })
            .execute();
        }
        return toHold(row);
      }),
    async get(scope, id) {
      const row = await inScope(scope).where('hold_id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toHold(row);
    },
    async findByIdempotencyToken(scope, token) {
      const row = await inScope(scope).where('idempotency_token', '=', token).executeTakeFirst();
      return row === undefined ? undefined : toHold(row);
    },
    async list(scope, page) {
      const limit = pageLimit(page);
      const after = decodeCursor('legal-holds', page, 2);
      const rows = await inScope(scope)
        .$if(after !== undefined, (q) => q.where(afterKey(['created_at', 'hold_id'], after!, 'desc')))
        .orderBy('created_at', 'desc')
        .orderBy('hold_id', 'desc')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, 'legal-holds', (r) => [r.created_at, r.hold_id], toHold);
    },
    async listPoints(scope, id, page) {
      const limit = pageLimit(page);
      const after = decodeCursor('legal-hold-points', page, 1);
      const rows = await db
        .selectFrom('legal_hold_points')
        .selectAll()
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('hold_id', '=', id)
        .$if(after !== undefined, (q) => q.where(afterKey(['recovery_point_arn'], after!, 'asc')))
        .orderBy('recovery_point_arn')
        .limit(limit + 1)
        .execute();
      return toPage(
        rows,
        limit,
        'legal-hold-points',
        (r) => [r.recovery_point_arn],
        (r) => ({
          recoveryPointArn: r.recovery_point_arn,
          resourceArn: r.resource_arn,
          resourceType: r.resource_type,
          vaultName: r.vault_name,
        }),
      );
    },
    async setStatus(scope, id, status, expected, cancel) {
      const row = await db
        .updateTable('legal_holds')
        .set({
          status,
          ...(cancel === undefined
            ? {}
            : {
                cancel_description: cancel.cancelDescription,
                cancelled_at: cancel.cancelledAt,
                retain_record_until: cancel.retainRecordUntil ?? null,
              }),
        })
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('hold_id', '=', id)
        .where('status', 'in', [...expected])
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? undefined : toHold(row);
    },
    async activeHoldsOn(scope, recoveryPointArn) {
      const rows = await db
        .selectFrom('legal_holds')
        .innerJoin('legal_hold_points', (j) =>
          j
            .onRef('legal_hold_points.account_id', '=', 'legal_holds.account_id')
            .onRef('legal_hold_points.region', '=', 'legal_holds.region')
            .onRef('legal_hold_points.hold_id', '=', 'legal_holds.hold_id'),
        )
        .selectAll('legal_holds')
        .where('legal_holds.account_id', '=', scope.accountId)
        .where('legal_holds.region', '=', scope.region)
        .where('legal_hold_points.recovery_point_arn', '=', recoveryPointArn)
        .where('legal_holds.status', '!=', 'CANCELED')
        .orderBy('legal_holds.created_at')
        .execute();
      return rows.map(toHold);
    },
  };
}

function toHold(row: Row): LegalHoldRecord {
  return {
    accountId: row.account_id,
    region: row.region,
    id: row.hold_id,
    arn: row.arn,
    title: row.title,
    description: row.description,
    status: row.status as LegalHoldStatus,
    selection: fromJsonText<LegalHoldSelection>(row.selection),
    idempotencyToken: row.idempotency_token ?? undefined,
    createdAt: row.created_at,
    cancelDescription: row.cancel_description ?? undefined,
    cancelledAt: row.cancelled_at ?? undefined,
    retainRecordUntil: row.retain_record_until ?? undefined,
  };
}
