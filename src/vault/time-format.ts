/**
 * Timestamps as Go's RFC3339Nano writes them (restic's JSON): trailing zeros of the fraction
 * trimmed, UTC as `Z`. Nanoseconds come from bigint stat times where the caller has them.
 */

export function formatTime(date: Date): string {
  return formatNanos(BigInt(date.getTime()) * 1_000_000n);
}

const NS_PER_S = 1_000_000_000n;
/** `YYYY-MM-DDTHH:MM:SS` of recent whole seconds: a walk formats five times per file, and files share seconds. */
const wholeCache = new Map<number, string>();
const WHOLE_CACHE_MAX = 4096;

function wholeSeconds(seconds: number): string {
  let text = wholeCache.get(seconds);
  if (text === undefined) {
    text = new Date(seconds * 1000).toISOString().slice(0, 19);
    if (wholeCache.size >= WHOLE_CACHE_MAX) wholeCache.clear();
    wholeCache.set(seconds, text);
  }
  return text;
}

/** Formats nanoseconds since the epoch (a hot path of the backup walk: one bigint division, no regex). */
export function formatNanos(ns: bigint): string {
  let seconds = ns / NS_PER_S;
  let frac = Number(ns - seconds * NS_PER_S);
  if (frac < 0) {
    frac += 1_000_000_000;
    seconds -= 1n;
  }
  const whole = wholeSeconds(Number(seconds));
  if (frac === 0) return `${whole}Z`;
  let digits = 9;
  while (frac % 10 === 0) {
    frac /= 10;
    digits--;
  }
  return `${whole}.${String(frac).padStart(digits, '0')}Z`;
}

/** Parses an RFC 3339 time with up to nanosecond precision into nanoseconds since the epoch. */
export function parseNanos(text: string): bigint {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) {
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) throw new Error(`invalid time ${JSON.stringify(text)}`);
    return BigInt(ms) * 1_000_000n;
  }
  const whole = Date.parse(`${m[1]}${m[3] === 'Z' ? 'Z' : m[3]}`);
  const frac = BigInt((m[2] ?? '').padEnd(9, '0') || '0');
  return BigInt(whole) * 1_000_000n + frac;
}

/** Epoch milliseconds of recent whole-second UTC prefixes (`YYYY-MM-DDTHH:MM:SS`): a restore parses two times per file. */
const parseCache = new Map<string, number>();
const UTC_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

/**
 * Whole microseconds since the epoch (truncated toward zero, as `parseNanos(text) / 1000n`),
 * as a number: exact for any date restic writes. UTC times (what Go writes) take a fast path.
 */
export function parseMicros(text: string): number {
  const m = UTC_TIME.exec(text);
  if (m === null) return Number(parseNanos(text) / 1000n);
  let ms = parseCache.get(m[1]!);
  if (ms === undefined) {
    ms = Date.parse(`${m[1]}Z`);
    if (Number.isNaN(ms)) throw new Error(`invalid time ${JSON.stringify(text)}`);
    if (parseCache.size >= WHOLE_CACHE_MAX) parseCache.clear();
    parseCache.set(m[1]!, ms);
  }
  if (ms < 0) return Number(parseNanos(text) / 1000n);
  const frac = m[2] === undefined ? 0 : Math.trunc(Number(m[2].padEnd(9, '0')) / 1000);
  return ms * 1000 + frac;
}
