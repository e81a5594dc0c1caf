/**
 * `notifications`: the SNS topics vaults may name in PutBackupVaultNotifications, each with the
 * subscribers Coffer delivers to (`https://`/`http://` endpoints get SNS's HTTP JSON, `mailto:`
 * goes through `smtp`), and how deliveries are retried. A topic must belong to a configured
 * account (AWS Backup does not send to another account's topic either).
 */
import { fieldPath, quote } from './config-error.js';
import type { ConfigContext } from './config-context.js';
import { readList, readMap, readString, requireString } from './raw-fields.js';
import type { RawMap } from './raw-fields.js';
import { readSecretField } from './read-secret-field.js';
import type { NotificationsConfig, NotificationTopicConfig, RetryConfig, SmtpConfig, SmtpTls } from './schema.js';

const FIELDS = ['topics', 'smtp', 'retry'] as const;
const TOPIC_FIELDS = ['arn', 'subscribers'] as const;
const SMTP_FIELDS = ['host', 'port', 'from', 'username', 'password', 'passwordFile', 'passwordEnv', 'tls'] as const;
const RETRY_FIELDS = ['maxAttempts', 'firstRetrySeconds', 'maxRetrySeconds'] as const;
const TLS_MODES: readonly SmtpTls[] = ['implicit', 'starttls', 'off'];
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,256})$/;
const MAILBOX = /^[^\s@<>]+@[^\s@<>]+$/;

export const DEFAULT_RETRY: RetryConfig = { maxAttempts: 12, firstRetrySeconds: 5, maxRetrySeconds: 1800 };
export const NO_NOTIFICATIONS: NotificationsConfig = { topics: [], smtp: undefined, retry: DEFAULT_RETRY };

export function readNotifications(value: unknown, accountIds: ReadonlySet<string>, ctx: ConfigContext): NotificationsConfig {
  if (value === undefined || value === null) return NO_NOTIFICATIONS;
  const map = readMap(value, 'notifications', FIELDS, ctx.issues);
  if (map === undefined) return NO_NOTIFICATIONS;
  const smtp = map['smtp'] === undefined || map['smtp'] === null ? undefined : readSmtp(map['smtp'], ctx);
  const topics: NotificationTopicConfig[] = [];
  const seen = new Set<string>();
  for (const [item, path] of readList(map['topics'], 'notifications.topics', ctx.issues)) {
    const topic = readTopic(item, path, accountIds, smtp !== undefined, ctx);
    if (topic === undefined) continue;
    if (seen.has(topic.arn))
      ctx.issues.add(fieldPath(path, 'arn'), `topic ${quote(topic.arn)} is declared more than once; list all its subscribers under one entry`);
    seen.add(topic.arn);
    topics.push(topic);
  }
  return { topics, smtp, retry: readRetry(map['retry'], ctx) };
}

function readTopic(value: unknown, path: string, accountIds: ReadonlySet<string>, hasSmtp: boolean, ctx: ConfigContext): NotificationTopicConfig | undefined {
  const map = readMap(value, path, TOPIC_FIELDS, ctx.issues);
  if (map === undefined) return undefined;
  const arn = requireString(map, 'arn', path, ctx.issues);
  const arnMatch = arn === undefined ? undefined : TOPIC_ARN.exec(arn);
  if (arn !== undefined && arnMatch === null) {
    ctx.issues.add(fieldPath(path, 'arn'), `must be an SNS topic ARN such as arn:aws:sns:eu-central-1:111111111111:backup-events, got ${quote(arn)}`);
  } else if (arnMatch !== undefined && !accountIds.has(arnMatch![2]!)) {
    ctx.issues.add(
      fieldPath(path, 'arn'),
      `names account ${arnMatch![2]}, which is not configured (AWS Backup sends only to topics of the vault's own account; add the account under accounts)`,
    );
  }
  const subscribers: string[] = [];
  const listPath = fieldPath(path, 'subscribers');
  for (const [item, itemPath] of readList(map['subscribers'], listPath, ctx.issues)) {
    const subscriber = readSubscriber(item, itemPath, hasSmtp, ctx);
    if (subscriber !== undefined) subscribers.push(subscriber);
  }
  if (map['subscribers'] === undefined || map['subscribers'] === null)
    ctx.issues.add(listPath, 'is required: list the https:// endpoints and mailto: addresses to deliver to');
  if (arn === undefined || arnMatch === null) return undefined;
  return { arn, subscribers };
}

function readSubscriber(value: unknown, path: string, hasSmtp: boolean, ctx: ConfigContext): string | undefined {
  if (typeof value !== 'string') return void ctx.issues.add(path, 'must be a string: an https:// URL or mailto:address');
  if (value.startsWith('mailto:')) {
    if (!MAILBOX.test(value.slice('mailto:'.length))) return void ctx.issues.add(path, `must be mailto:<address>, got ${quote(value)}`);
    if (!hasSmtp) return void ctx.issues.add(path, 'mailto: subscribers need notifications.smtp (host, port, from) to send through');
    return value;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return void ctx.issues.add(path, 'must be an https:// (or http://) URL or mailto:address');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return void ctx.issues.add(path, `must be an https:// (or http://) URL or mailto:address, not ${url.protocol}`);
  // The URL is not quoted back: it may carry a token.
  return value;
}

function readSmtp(value: unknown, ctx: ConfigContext): SmtpConfig | undefined {
  const path = 'notifications.smtp';
  const map = readMap(value, path, SMTP_FIELDS, ctx.issues);
  if (map === undefined) return undefined;
  const host = requireString(map, 'host', path, ctx.issues);
  const port = readPort(map, path, ctx);
  const from = requireString(map, 'from', path, ctx.issues);
  if (from !== undefined && !MAILBOX.test(from)) ctx.issues.add(fieldPath(path, 'from'), `must be an e-mail address, got ${quote(from)}`);
  const username = readString(map, 'username', path, ctx.issues);
  const password = readSecretField(passwordForm(map, path, ctx), 'password', path, ctx);
  const passwordGiven = (['password', 'passwordFile', 'passwordEnv'] as const).some((k) => map[k] !== undefined && map[k] !== null);
  if ((username === undefined) === passwordGiven) ctx.issues.add(path, 'give both username and passwordFile (or passwordEnv), or neither');
  const tlsText = readString(map, 'tls', path, ctx.issues);
  if (tlsText !== undefined && !(TLS_MODES as readonly string[]).includes(tlsText))
    ctx.issues.add(fieldPath(path, 'tls'), `must be one of ${TLS_MODES.join(', ')}, got ${quote(tlsText)}`);
  const tls: SmtpTls = (tlsText as SmtpTls | undefined) ?? (port === 465 ? 'implicit' : 'starttls');
  if (host === undefined || from === undefined) return undefined;
  return { host, port: port ?? 587, from, username, password: password?.secret, tls };
}

/** `password: {env: NAME}` or `{file: path}` reads as passwordEnv / passwordFile; an inline password is refused. */
function passwordForm(map: RawMap, path: string, ctx: ConfigContext): RawMap {
  const given = map['password'];
  if (given === undefined || given === null) return map;
  const at = fieldPath(path, 'password');
  if (typeof given !== 'object' || Array.isArray(given)) {
    ctx.issues.add(at, 'is not given inline: use passwordFile: <file>, passwordEnv: <variable>, or password: {env: <variable>} / {file: <file>}');
    return {};
  }
  const form = readMap(given, at, ['env', 'file'], ctx.issues) ?? {};
  const rest = { ...map, password: undefined };
  if (form['env'] !== undefined && form['file'] !== undefined) ctx.issues.add(at, 'give env or file, not both');
  return { ...rest, ...(form['env'] !== undefined ? { passwordEnv: form['env'] } : {}), ...(form['file'] !== undefined ? { passwordFile: form['file'] } : {}) };
}

function readPort(map: RawMap, path: string, ctx: ConfigContext): number | undefined {
  const value = map['port'];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 65536) return value;
  ctx.issues.add(fieldPath(path, 'port'), `must be a port number from 1 to 65535, got ${quote(value)}`);
  return undefined;
}

function readRetry(value: unknown, ctx: ConfigContext): RetryConfig {
  if (value === undefined || value === null) return DEFAULT_RETRY;
  const path = 'notifications.retry';
  const map = readMap(value, path, RETRY_FIELDS, ctx.issues);
  if (map === undefined) return DEFAULT_RETRY;
  const positive = (key: (typeof RETRY_FIELDS)[number], integer: boolean, fallback: number): number => {
    const v = map[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'number' && v > 0 && (!integer || Number.isInteger(v))) return v;
    ctx.issues.add(fieldPath(path, key), `must be a positive ${integer ? 'whole number' : 'number'}, got ${quote(v)}`);
    return fallback;
  };
  const retry = {
    maxAttempts: positive('maxAttempts', true, DEFAULT_RETRY.maxAttempts),
    firstRetrySeconds: positive('firstRetrySeconds', false, DEFAULT_RETRY.firstRetrySeconds),
    maxRetrySeconds: positive('maxRetrySeconds', false, DEFAULT_RETRY.maxRetrySeconds),
  };
  if (retry.maxRetrySeconds < retry.firstRetrySeconds) ctx.issues.add(fieldPath(path, 'maxRetrySeconds'), 'must not be less than firstRetrySeconds');
  return retry;
}
