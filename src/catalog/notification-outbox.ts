/**
 * The notification outbox (migration 0030): one row per message and subscriber. Rows are added
 * in the transaction of the change they tell of; a delivery worker claims due rows with a lease
 * and records each attempt. Claiming is compare-and-set with plain SQL (UPDATE ... WHERE the row
 * is still due and unleased), so two nodes on one catalog never hold the same row at once on any
 * dialect; SQLite needs no row locks and PostgreSQL needs no SKIP LOCKED for it.
 */
import type { Selectable } from 'kysely';
import type { StoreContext } from './dialect.js';
import { afterKey, decodeCursor, pageLimit, toPage } from './pagination.js';
import type { Page, PageRequest } from './pagination.js';
import type { CatalogScope, EpochMillis } from './scope.js';

export interface NotificationOutboxTable {
  message_id: string;
  subscriber: string;
  account_id: string;
  region: string;
  vault_name: string;
  topic_arn: string;
  event_type: string;
  subject: string;
  message: string;
  attributes: string;
  event_at: number;
  created_at: number;
  state: string;
  attempts: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  last_error: string | null;
  last_attempt_at: number | null;
  delivered_at: number | null;
}

declare module './database.js' {
  interface Database {
    readonly notification_outbox: NotificationOutboxTable;
  }
}

/** PENDING: to be sent (now or after a backoff); DELIVERED: the subscriber took it; FAILED: given up (or never deliverable). */
export type DeliveryState = 'PENDING' | 'DELIVERED' | 'FAILED';

export interface OutboxMessage extends CatalogScope {
  readonly messageId: string;
  /** `https://...`, `http://...` or `mailto:...`; empty when the topic has no subscriber to send to. */
  readonly subscriber: string;
  readonly vaultName: string;
  readonly topicArn: string;
  readonly eventType: string;
  readonly subject: string;
  readonly message: string;
  /** SNS message attributes, name to string value. */
  readonly attributes: Readonly<Record<string, string>>;
  readonly eventAt: EpochMillis;
}

export interface OutboxRecord extends OutboxMessage {
  readonly createdAt: EpochMillis;
  readonly state: DeliveryState;
  readonly attempts: number;
  readonly nextAttemptAt: EpochMillis;
  readonly lastError: string | undefined;
  readonly lastAttemptAt: EpochMillis | undefined;
  readonly deliveredAt: EpochMillis | undefined;
}

export interface NewOutboxRow extends OutboxMessage {
  readonly createdAt: EpochMillis;
  /** FAILED with `lastError` for a message that can never be sent (its topic is not declared). */
  readonly state: 'PENDING' | 'FAILED';
  readonly lastError?: string | undefined;
}

/** A row a worker holds until `leaseExpiresAt`. */
export interface ClaimedDelivery extends OutboxRecord {
  readonly holder: string;
}

export interface DeliveryFilter {
  readonly state?: DeliveryState | undefined;
  readonly vaultName?: string | undefined;
}

export interface NotificationOutboxStore {
  add(rows: readonly NewOutboxRow[]): Promise<void>;
  /** Up to `limit` due rows, each taken for `holder` until now + `leaseMs` (attempts counts up). */
  claimDue(holder: string, limit: number, leaseMs: number, now: EpochMillis): Promise<ClaimedDelivery[]>;
  /** Records a delivery; false when the holder lost the row meanwhile. */
  delivered(claim: ClaimedDelivery, now: EpochMillis): Promise<boolean>;
  /** Records a failed attempt: PENDING again at `retryAt`, or FAILED for good when `retryAt` is undefined. */
  failed(claim: ClaimedDelivery, error: string, retryAt: EpochMillis | undefined, now: EpochMillis): Promise<boolean>;
  /** Every lease `holder` has ends now (a graceful stop). */
  releaseLeasesOf(holder: string): Promise<number>;
  /** An account and region's deliveries, newest first. */
  list(scope: CatalogScope, filter: DeliveryFilter, page?: PageRequest): Promise<Page<OutboxRecord>>;
  /** Rows per state, every account (metrics). */
  countByState(): Promise<Readonly<Record<DeliveryState, number>>>;
  /** When the oldest PENDING row was made; undefined when none waits (metrics: delivery lag). */
  oldestPendingAt(): Promise<EpochMillis | undefined>;
}

type Row = Selectable<NotificationOutboxTable>;

function recordOf(row: Row): OutboxRecord {
  return {
    accountId: row.account_id,
    region: row.region,
    messageId: row.message_id,
    subscriber: row.subscriber,
    vaultName: row.vault_name,
    topicArn: row.topic_arn,
    eventType: row.event_type,
    subject: row.subject,
    message: row.message,
    attributes: JSON.parse(row.attributes) as Record<string, string>,
    eventAt: Number(row.event_at),
    createdAt: Number(row.created_at),
    state: row.state as DeliveryState,
    attempts: Number(row.attempts),
    nextAttemptAt: Number(row.next_attempt_at),
    lastError: row.last_error ?? undefined,
    lastAttemptAt: row.last_attempt_at === null ? undefined : Number(row.last_attempt_at),
    deliveredAt: row.delivered_at === null ? undefined : Number(row.delivered_at),
  };
}

/** Candidates per claim round; each is then taken by its own compare-and-set. */
const CANDIDATE_FACTOR = 2;

export function createNotificationOutboxStore({ db }: StoreContext): NotificationOutboxStore {
  const held = (claim: ClaimedDelivery) =>
    db
      .updateTable('notification_outbox')
      .where('message_id', '=', claim.messageId)
      .where('subscriber', '=', claim.subscriber)
      .where('lease_owner', '=', claim.holder);

  return {
    async add(rows) {
      if (rows.length === 0) return;
      await db
        .insertInto('notification_outbox')
        .values(
          rows.map((r) => ({
            message_id: r.messageId,
            subscriber: r.subscriber,
            account_id: r.accountId,
            region: r.region,
            vault_name: r.vaultName,
            topic_arn: r.topicArn,
            event_type: r.eventType,
            subject: r.subject,
            message: r.message,
            attributes: JSON.stringify(r.attributes),
            event_at: r.eventAt,
            created_at: r.createdAt,
            state: r.state,
            attempts: 0,
            next_attempt_at: r.createdAt,
            lease_owner: null,
            lease_expires_at: null,
            last_error: r.lastError ?? null,
            last_attempt_at: null,
            delivered_at: null,
          })),
        )
        .execute();
    },

    async claimDue(holder, limit, leaseMs, now) {
      const candidates = await db
        .selectFrom('notification_outbox')
        .select(['message_id', 'subscriber'])
        .where('state', '=', 'PENDING')
        .where('next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', now)]))
        .orderBy('next_attempt_at')
        .orderBy('created_at')
        .limit(limit * CANDIDATE_FACTOR)
        .execute();
      const claimed: ClaimedDelivery[] = [];
      for (const c of candidates) {
        if (claimed.length >= limit) break;
        const row = await db
          .updateTable('notification_outbox')
          .set((eb) => ({ lease_owner: holder, lease_expires_at: now + leaseMs, attempts: eb('attempts', '+', 1), last_attempt_at: now }))
          .where('message_id', '=', c.message_id)
          .where('subscriber', '=', c.subscriber)
          .where('state', '=', 'PENDING')
          .where('next_attempt_at', '<=', now)
          .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', now)]))
          .returningAll()
          .executeTakeFirst();
        if (row !== undefined) claimed.push({ ...recordOf(row), holder });
      }
      return claimed;
    },

    async delivered(claim, now) {
      const result = await held(claim)
        .set({ state: 'DELIVERED', delivered_at: now, last_error: null, lease_owner: null, lease_expires_at: null })
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async failed(claim, error, retryAt, now) {
      const result = await held(claim)
        .set({
          state: retryAt === undefined ? 'FAILED' : 'PENDING',
          next_attempt_at: retryAt ?? now,
          last_error: error,
          lease_owner: null,
          lease_expires_at: null,
        })
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async releaseLeasesOf(holder) {
      const result = await db
        .updateTable('notification_outbox')
        .set({ lease_owner: null, lease_expires_at: null })
        .where('lease_owner', '=', holder)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async list(scope, filter, page) {
      const limit = pageLimit(page);
      const list = 'notification-deliveries';
      const after = decodeCursor(list, page, 3);
      const rows = await db
        .selectFrom('notification_outbox')
        .selectAll()
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .$if(filter.state !== undefined, (q) => q.where('state', '=', filter.state!))
        .$if(filter.vaultName !== undefined, (q) => q.where('vault_name', '=', filter.vaultName!))
        .$if(after !== undefined, (q) => q.where(afterKey(['created_at', 'message_id', 'subscriber'], after!, 'desc')))
        .orderBy('created_at', 'desc')
        .orderBy('message_id', 'desc')
        .orderBy('subscriber', 'desc')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, list, (r) => [Number(r.created_at), r.message_id, r.subscriber], recordOf);
    },

    async countByState() {
      const rows = await db
        .selectFrom('notification_outbox')
        .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('state')
        .execute();
      const counts: Record<DeliveryState, number> = { PENDING: 0, DELIVERED: 0, FAILED: 0 };
      for (const r of rows) counts[r.state as DeliveryState] = Number(r.n);
      return counts;
    },

    async oldestPendingAt() {
      const row = await db
        .selectFrom('notification_outbox')
        .select((eb) => eb.fn.min<number>('created_at').as('at'))
        .where('state', '=', 'PENDING')
        .executeTakeFirst();
      return row?.at === null || row?.at === undefined ? undefined : Number(row.at);
    },
  };
}
