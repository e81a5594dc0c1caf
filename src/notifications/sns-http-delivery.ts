/**
 * Delivering to an HTTP(S) subscriber as SNS does: a POST of SNS's notification JSON (Type
 * "Notification", MessageId, TopicArn, Subject, Message, Timestamp, UnsubscribeURL-less,
 * MessageAttributes as `{Type: "String", Value}`) with SNS's `x-amz-sns-*` headers and its
 * `text/plain` content type. A 2xx answer is a delivery; anything else, a timeout or a refused
 * connection is a failure to retry. Coffer does not sign messages (there is no AWS certificate
 * to sign with): SignatureVersion, Signature and SigningCertURL are left out, and receivers
 * authenticate Coffer by a secret in the subscriber URL over https (docs/notifications.md).
 */
import { createHash } from 'node:crypto';
import type { OutboxRecord } from '../catalog/notification-outbox.js';

export const HTTP_DELIVERY_TIMEOUT_MS = 15_000;
const USER_AGENT = 'Amazon Simple Notification Service Agent (Coffer)';

/** A stable subscription ARN per topic and subscriber (SNS gives one per subscription). */
export function subscriptionArn(topicArn: string, subscriber: string): string {
  const digest = createHash('sha256').update(subscriber).digest('hex');
  return `${topicArn}:${digest.slice(0, 8)}-${digest.slice(8, 12)}-${digest.slice(12, 16)}-${digest.slice(16, 20)}-${digest.slice(20, 32)}`;
}

export function snsNotificationBody(record: OutboxRecord): Record<string, unknown> {
  return {
    Type: 'Notification',
    MessageId: record.messageId,
    TopicArn: record.topicArn,
    Subject: record.subject,
    Message: record.message,
    Timestamp: new Date(record.eventAt).toISOString(),
    MessageAttributes: Object.fromEntries(Object.entries(record.attributes).map(([name, value]) => [name, { Type: 'String', Value: value }])),
  };
}

/** Resolves on a 2xx answer; throws an Error saying what the endpoint did otherwise (never its URL, which may carry a token). */
export async function deliverHttp(record: OutboxRecord, timeoutMs = HTTP_DELIVERY_TIMEOUT_MS): Promise<void> {
  const body = JSON.stringify(snsNotificationBody(record));
  let response: Response;
  try {
    response = await fetch(record.subscriber, {
      method: 'POST',
      headers: {
        'content-type': 'text/plain; charset=UTF-8',
        'user-agent': USER_AGENT,
        'x-amz-sns-message-type': 'Notification',
        'x-amz-sns-message-id': record.messageId,
        'x-amz-sns-topic-arn': record.topicArn,
        'x-amz-sns-subscription-arn': subscriptionArn(record.topicArn, record.subscriber),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    if ((err as Error).name === 'TimeoutError') throw new Error(`the endpoint did not answer within ${timeoutMs / 1000} s`);
    throw new Error(`could not reach the endpoint: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  }
  // The body is read (and dropped) so the connection can be reused.
  const text = await response.text().catch(() => '');
  if (response.status >= 200 && response.status < 300) return;
  const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  throw new Error(`the endpoint answered HTTP ${response.status}${snippet === '' ? '' : `: ${snippet}`}`);
}
