/**
 * What `GET /_coffer/notifications` shows of one delivery: its state, attempts and last error,
 * and the message it carries. A subscriber URL's query string (where tokens live) is hidden.
 */
import type { OutboxRecord } from '../catalog/notification-outbox.js';

export interface DeliveryView {
  readonly MessageId: string;
  readonly Subscriber: string;
  readonly BackupVaultName: string;
  readonly TopicArn: string;
  readonly EventType: string;
  readonly State: OutboxRecord['state'];
  readonly Attempts: number;
  readonly LastError: string | undefined;
  readonly CreatedAt: string;
  readonly LastAttemptAt: string | undefined;
  readonly NextAttemptAt: string | undefined;
  readonly DeliveredAt: string | undefined;
  readonly Subject: string;
  readonly Message: string;
  readonly MessageAttributes: Readonly<Record<string, string>>;
}

/** The subscriber with a URL's query and fragment hidden; `(none)` for a topic nobody subscribes to. */
export function shownSubscriber(subscriber: string): string {
  if (subscriber === '') return '(none)';
  if (subscriber.startsWith('mailto:')) return subscriber;
  try {
    const url = new URL(subscriber);
    const hidden = url.search !== '' || url.hash !== '' ? '?…' : '';
    url.username = '';
    url.password = '';
    return `${url.origin}${url.pathname}${hidden}`;
  } catch {
    return '(invalid URL)';
  }
}

const iso = (at: number | undefined): string | undefined => (at === undefined ? undefined : new Date(at).toISOString());

export function deliveryView(record: OutboxRecord): DeliveryView {
  return {
    MessageId: record.messageId,
    Subscriber: shownSubscriber(record.subscriber),
    BackupVaultName: record.vaultName,
    TopicArn: record.topicArn,
    EventType: record.eventType,
    State: record.state,
    Attempts: record.attempts,
    LastError: record.lastError,
    CreatedAt: new Date(record.createdAt).toISOString(),
    LastAttemptAt: iso(record.lastAttemptAt),
    NextAttemptAt: record.state === 'PENDING' ? iso(record.nextAttemptAt) : undefined,
    DeliveredAt: iso(record.deliveredAt),
    Subject: record.subject,
    Message: record.message,
    MessageAttributes: record.attributes,
  };
}
