/**
 * Delivering to a `mailto:` subscriber: one plain-text e-mail through the configured SMTP
 * server (nodemailer), with SNS's e-mail shape: the notification's Subject, the Message as the
 * body, and the message attributes below it. The SMTP password is revealed only to the SMTP
 * client; errors name the server, never the credentials.
 */
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { OutboxRecord } from '../catalog/notification-outbox.js';
import type { SmtpConfig } from '../config/schema.js';

export const MAIL_TIMEOUT_MS = 20_000;

export interface MailSender {
  send(record: OutboxRecord): Promise<void>;
  close(): void;
}

export function createMailSender(smtp: SmtpConfig): MailSender {
  let transport: Transporter | undefined;
  const transporter = (): Transporter =>
    (transport ??= nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.tls === 'implicit',
      ignoreTLS: smtp.tls === 'off',
      ...(smtp.username !== undefined && smtp.password !== undefined ? { auth: { user: smtp.username, pass: smtp.password.reveal() } } : {}),
      connectionTimeout: MAIL_TIMEOUT_MS,
      greetingTimeout: MAIL_TIMEOUT_MS,
      socketTimeout: MAIL_TIMEOUT_MS,
      logger: false,
    }));
  return {
    async send(record) {
      const to = record.subscriber.slice('mailto:'.length);
      const attributes = Object.entries(record.attributes)
        .map(([name, value]) => `${name}: ${value}`)
        .join('\n');
      try {
        await transporter().sendMail({
          from: smtp.from,
          to,
          subject: record.subject,
          text: `${record.message}\n\n--\nTopic: ${record.topicArn}\nMessageId: ${record.messageId}\n${attributes}\n`,
          headers: { 'X-Coffer-Message-Id': record.messageId, 'X-Coffer-Event-Type': record.eventType },
        });
      } catch (err) {
        const e = err as { code?: string; responseCode?: number; response?: string; message?: string };
        const said = e.response !== undefined ? `answered ${e.response.slice(0, 200)}` : (e.code ?? e.message ?? 'failed');
        throw new Error(`SMTP server ${smtp.host}:${smtp.port} ${said}`);
      }
    },
    close() {
      transport?.close();
      transport = undefined;
    },
  };
}
