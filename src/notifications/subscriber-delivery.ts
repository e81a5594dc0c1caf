/**
 * One send to one subscriber, by its scheme: `http(s)://` as SNS's HTTP notification,
 * `mailto:` through the SMTP server.
 */
import type { OutboxRecord } from '../catalog/notification-outbox.js';
import type { SmtpConfig } from '../config/schema.js';
import { createMailSender } from './mail-delivery.js';
import { deliverHttp } from './sns-http-delivery.js';

export interface SubscriberDelivery {
  send(record: OutboxRecord): Promise<void>;
  close(): void;
}

export function createSubscriberDelivery(smtp: SmtpConfig | undefined): SubscriberDelivery {
  const mail = smtp === undefined ? undefined : createMailSender(smtp);
  return {
    async send(record) {
      if (record.subscriber.startsWith('mailto:')) {
        if (mail === undefined) throw new Error('mailto: subscribers need notifications.smtp in the config');
        return mail.send(record);
      }
      if (record.subscriber.startsWith('https://') || record.subscriber.startsWith('http://')) return deliverHttp(record);
      throw new Error('the subscriber is neither an http(s):// URL nor a mailto: address');
    },
    close: () => mail?.close(),
  };
}
