/**
 * logs/: Coffer's structured log: one JSON line per event (pino), for requests (request id,
 * account, operation, status, duration) and job transitions; on a terminal, one readable line
 * instead. Secrets never get in: config secrets print as `[secret]` wherever they go, and the
 * fields that could carry one (authorization, passwords, tokens, secret keys) are redacted
 * whatever they hold. It knows the served-request facts and the ledger's events; nothing else.
 */
import { pino } from 'pino';
import type { Logger } from 'pino';

export type LogFormat = 'json' | 'pretty';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface LoggerOptions {
  readonly stream: { write(text: string): unknown };
  readonly format: LogFormat;
  readonly level: LogLevel;
}

const REDACT = [
  'authorization',
  '*.authorization',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'secretAccessKey',
  '*.secretAccessKey',
  'SecretAccessKey',
  '*.SecretAccessKey',
  'token',
  '*.token',
  'sessionToken',
  '*.sessionToken',
];

/** The fields every line has, in the order a person reads them; the rest follow as key=value. */
const HEAD = new Set(['level', 'time', 'msg', 'pid', 'hostname']);
const LEVELS: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** One JSON line as a person reads it: `12:00:01.234 INFO  request StartBackupJob status=200 ...`. */
export function prettyLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = typeof entry['time'] === 'string' || typeof entry['time'] === 'number' ? new Date(entry['time'] as string).toISOString().slice(11, 23) : '';
  const raw = entry['level'];
  const level = (typeof raw === 'string' ? raw.toUpperCase() : (LEVELS[Number(raw)] ?? String(raw))).padEnd(5);
  const rest = Object.entries(entry)
    .filter(([k, v]) => !HEAD.has(k) && v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`);
  return `${time} ${level} ${String(entry['msg'] ?? '')}${rest.length > 0 ? ` ${rest.join(' ')}` : ''}\n`;
}

export function createCofferLogger(options: LoggerOptions): Logger {
  const destination = options.format === 'json' ? options.stream : { write: (line: string) => options.stream.write(prettyLine(line)) };
  return pino(
    {
      level: options.level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT, censor: '[secret]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
