/**
 * ISO-8601 durations as the clock endpoint takes them (`P1D`, `PT6H`, `P1Y2M10DT2H30M`, `P2W`),
 * and the CLI's short forms (`1d`, `6h`, `30m`, `2w`, `400d`). Years and months are calendar
 * steps in UTC (P1M from 31 January is 3 March, as JavaScript's Date counts), the rest exact.
 */

const ISO = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const SHORT = /^(\d+)(w|d|h|m|s)$/;
const UNIT_MS = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 } as const;

/** `from` moved by `duration`; throws RangeError saying what a duration looks like. */
export function addDuration(from: Date, duration: string): Date {
  const short = SHORT.exec(duration.trim());
  if (short !== null) return new Date(from.getTime() + Number(short[1]) * UNIT_MS[short[2] as keyof typeof UNIT_MS]);
  const m = ISO.exec(duration.trim());
  if (m === null || duration.trim() === 'P' || duration.trim().endsWith('T')) {
    throw new RangeError(`${JSON.stringify(duration)} is not a duration: use ISO-8601 such as P1D, PT6H or P1Y2M, or a short form such as 1d, 6h, 30m`);
  }
  const [, y, mo, w, d, h, mi, s] = m.map((v) => (v === undefined ? 0 : Number(v)));
  const to = new Date(from.getTime());
  if (y! !== 0 || mo! !== 0) to.setUTCFullYear(to.getUTCFullYear() + y!, to.getUTCMonth() + mo!);
  return new Date(to.getTime() + w! * UNIT_MS.w + d! * UNIT_MS.d + h! * UNIT_MS.h + mi! * UNIT_MS.m + s! * UNIT_MS.s);
}
