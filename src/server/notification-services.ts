/**
 * Vault notifications, assembled: the outbox sink the ledger writes through, the delivery worker
 * (started once the ledger exists, nudged by its events), and the list behind
 * `GET /_coffer/notifications`.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../backup/clock.js';
import type { IdSource } from '../backup/id-source.js';
import type { JobEvents } from '../backup/jobs/job-events.js';
import type { Catalog } from '../catalog/catalog.js';
import type { DeliveryState } from '../catalog/notification-outbox.js';
import type { PageRequest } from '../catalog/pagination.js';
import type { NotificationsConfig } from '../config/schema.js';
import { startDeliveryWorker } from '../notifications/delivery-worker.js';
import type { DeliveryOutcome, DeliveryWorker } from '../notifications/delivery-worker.js';
import { deliveryView } from '../notifications/delivery-view.js';
import type { DeliveryView } from '../notifications/delivery-view.js';
import { createOutboxSink } from '../notifications/outbox-sink.js';
import type { OutboxSink } from '../notifications/outbox-sink.js';
import { createSubscriberDelivery } from '../notifications/subscriber-delivery.js';
import type { OutboxRecord } from '../catalog/notification-outbox.js';
import type { Signer } from './admin-endpoint.js';

export interface DeliveryQuery {
  readonly state?: DeliveryState | undefined;
  readonly vaultName?: string | undefined;
  readonly page: PageRequest;
}

export interface NotificationServices {
  /** The durable sink of the ledger and of recovery point indexes. */
  readonly sink: OutboxSink;
  /** Starts delivering; `events` nudges the worker after each committed change. */
  start(events: JobEvents): void;
  list(signer: Signer, query: DeliveryQuery): Promise<{ readonly Deliveries: readonly DeliveryView[]; readonly NextToken: string | undefined }>;
  stop(): Promise<void>;
}

export interface NotificationServicesDeps {
  readonly config: NotificationsConfig;
  readonly catalog: Catalog;
  /** Leases and backoffs run on the wall clock; message timestamps come from the events. */
  readonly wallClock: Clock;
  readonly ids: IdSource;
  readonly onAttempt?: ((record: OutboxRecord, outcome: DeliveryOutcome, error: string | undefined, seconds: number) => void) | undefined;
  readonly warn: (line: string) => void;
  readonly pollMs?: number | undefined;
}

export function createNotificationServices(deps: NotificationServicesDeps): NotificationServices {
  const delivery = createSubscriberDelivery(deps.config.smtp);
  let worker: DeliveryWorker | undefined;
  let unsubscribe: (() => void) | undefined;
  return {
    sink: createOutboxSink({ topics: deps.config.topics, ids: deps.ids, clock: deps.wallClock }),
    start(events) {
      worker = startDeliveryWorker({
        outbox: deps.catalog.notificationOutbox,
        clock: deps.wallClock,
        holder: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
        retry: deps.config.retry,
        send: (record) => delivery.send(record),
        onAttempt: deps.onAttempt,
        warn: deps.warn,
        pollMs: deps.pollMs,
      });
      unsubscribe = events.subscribe(() => worker?.nudge());
    },
    async list(signer, query) {
      const page = await deps.catalog.notificationOutbox.list(signer, { state: query.state, vaultName: query.vaultName }, query.page);
      return { Deliveries: page.items.map(deliveryView), NextToken: page.nextCursor };
    },
    async stop() {
      unsubscribe?.();
      await worker?.stop();
      delivery.close();
    },
  };
}
