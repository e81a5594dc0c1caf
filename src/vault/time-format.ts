/**
 * Timestamps as Go's RFC3339Nano writes them (restic's JSON): trailing zeros of the fraction
 * trimmed, UTC as `Z`. Nanoseconds come from bigint stat times where the caller has them.
 */

export function formatTime(date: Date): string {
  return formatNanos(BigInt(date.getTime()) * 1_000_000n);
}

/** Formats nanoseconds since the epoch. */
export function formatNanos(ns: bigint): string {
  let seconds = ns / 1_000_000_000n;
  let frac = ns % 1_000_000_000n;
  if (frac < 0n) {
    frac += 1_000_000_000n;
    seconds -= 1n;
  }
  const whole = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  if (frac === 0n) return `${whole}Z`;
  return `${whole}.${frac.toString().padStart(9, '0').replace(/0+$/, '')}Z`;
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
