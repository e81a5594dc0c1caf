/**
 * The brute-force reference the scheduler's evaluator is checked against: every UTC minute of a
 * window is turned into its wall-clock time with Intl, and each wall minute is matched against
 * the cron fields one by one. Written separately from src/scheduler (its own field parsing and
 * naive day rules: "nearest weekday" is literally the closest Monday-Friday in the month) so that
 * a shared misunderstanding is less likely. DST is handled explicitly:
 * - a wall minute runs at the first UTC minute showing it (a later showing, in the fall-back
 *   overlap, is a wall time not above the highest seen so far);
 * - a matching wall minute the clock skips (spring forward) runs at wall minus the offset from
 *   before the jump.
 */

const MINUTE = 60_000;
const NAMES: Record<string, readonly string[]> = {
  month: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  weekday: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
};

/** Wall-clock times (as if UTC) for `count` UTC instants `step` apart from `start`, via Intl. */
export function wallClock(timeZone: string, start: number, count: number, step = MINUTE): Float64Array {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  });
  const walls = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const [mo, d, y, h, mi] = format
      .format(start + i * step)
      .match(/\d+/g)!
      .map(Number) as [number, number, number, number, number];
    walls[i] = Date.UTC(y, mo - 1, d, h, mi);
  }
  return walls;
}

/** A window of UTC minutes with their wall-clock times; runs are looked for in (from, to]. */
export interface ReferenceWindow {
  readonly timeZone: string;
  readonly from: number;
  readonly to: number;
  /** Starts this long before `from`, so that a fall-back repeat just after `from` is known. */
  readonly start: number;
  readonly walls: Float64Array;
}

const LEAD_IN = 3 * 60 * MINUTE;

export function referenceWindow(timeZone: string, from: number, to: number): ReferenceWindow {
  const start = from - LEAD_IN;
  return { timeZone, from, to, start, walls: wallClock(timeZone, start, (to - start) / MINUTE + 1) };
}

/** The runs of `expression` in the window, ascending. */
export function referenceRuns(expression: string, window: ReferenceWindow): number[] {
  const matches = wallMatcher(expression);
  const runs = new Set<number>();
  const { walls, start } = window;
  let highest = -Infinity;
  for (let i = 0; i < walls.length; i++) {
    const wall = walls[i]!;
    const instant = start + i * MINUTE;
    if (i > 0 && wall - walls[i - 1]! > MINUTE) {
      const offsetBefore = walls[i - 1]! - (instant - MINUTE);
      for (let skipped = walls[i - 1]! + MINUTE; skipped < wall; skipped += MINUTE) if (matches(skipped)) runs.add(skipped - offsetBefore);
    }
    if (wall > highest && matches(wall)) runs.add(instant);
    highest = Math.max(highest, wall);
  }
  return [...runs].filter((t) => t > window.from && t <= window.to).sort((a, b) => a - b);
}

/** A predicate on wall-clock minutes (as if UTC) for a cron expression. */
export function wallMatcher(expression: string): (wall: number) => boolean {
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = /^cron\((.*)\)$/.exec(expression)![1]!.split(' ') as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const minute = plainSet(minutes, 0, 59);
  const hour = plainSet(hours, 0, 23);
  const monthOk = plainSet(month, 1, 12, NAMES.month);
  const yearOk = plainSet(year, 1970, 2199, undefined, false);
  const dayOk = dayOfMonth === '?' ? weekdayRule(dayOfWeek) : monthDayRule(dayOfMonth);
  const days = new Map<number, boolean>();
  return (wall) => {
    const m = wall / MINUTE;
    if (!minute.has(m % 60) || !hour.has(Math.floor(m / 60) % 24)) return false;
    const dayIndex = Math.floor(m / 1440);
    let ok = days.get(dayIndex);
    if (ok === undefined) {
      const date = new Date(dayIndex * 86_400_000);
      const [y, mo, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
      ok = yearOk.has(y) && monthOk.has(mo) && dayOk(y, mo, d);
      days.set(dayIndex, ok);
    }
    return ok;
  };
}

function plainSet(field: string, min: number, max: number, names?: readonly string[], wraps = true): Set<number> {
  const values = new Set<number>();
  const value = (text: string) => (names?.includes(text.toUpperCase()) === true ? names.indexOf(text.toUpperCase()) + min : Number(text));
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    const [a, b] = range.split('-') as [string, string | undefined];
    const from = range === '*' ? min : value(a);
    const to = range === '*' ? max : b !== undefined ? value(b) : stepText !== undefined ? max : from;
    // Walk from `from` to `to`, wrapping past max to min when `to` is before `from`.
    if (to < from && !wraps) continue;
    let v = from;
    for (let k = 0; ; k++) {
      if (k % step === 0) values.add(v);
      if (v === to) break;
      v = v === max ? min : v + 1;
    }
  }
  return values;
}

type DayTest = (year: number, month: number, day: number) => boolean;

const lastDay = (y: number, mo: number) => new Date(Date.UTC(y, mo, 0)).getUTCDate();
const weekday = (y: number, mo: number, d: number) => new Date(Date.UTC(y, mo - 1, d)).getUTCDay() + 1;
const isWorkday = (y: number, mo: number, d: number) => weekday(y, mo, d) >= 2 && weekday(y, mo, d) <= 6;

function monthDayRule(field: string): DayTest {
  if (field === 'L') return (y, mo, d) => d === lastDay(y, mo);
  if (field.startsWith('L-')) return (y, mo, d) => d === lastDay(y, mo) - Number(field.slice(2));
  if (field === 'LW') return (y, mo, d) => isWorkday(y, mo, d) && ![1, 2, 3].some((k) => d + k <= lastDay(y, mo) && isWorkday(y, mo, d + k));
  if (field.endsWith('W')) {
    const target = Number(field.slice(0, -1));
    return (y, mo, d) => {
      if (target > lastDay(y, mo) || !isWorkday(y, mo, d)) return false;
      for (let c = 1; c <= lastDay(y, mo); c++) if (isWorkday(y, mo, c) && Math.abs(c - target) < Math.abs(d - target)) return false;
      return true;
    };
  }
  const days = plainSet(field, 1, 31);
  return (_y, _mo, d) => days.has(d);
}

function weekdayRule(field: string): DayTest {
  const number = (text: string) => (NAMES.weekday!.includes(text) ? NAMES.weekday!.indexOf(text) + 1 : Number(text));
  if (field === 'L') return (y, mo, d) => weekday(y, mo, d) === 7;
  if (field.includes('#')) {
    const [w, k] = field.split('#') as [string, string];
    return (y, mo, d) => weekday(y, mo, d) === number(w) && Math.ceil(d / 7) === Number(k);
  }
  if (field.endsWith('L')) return (y, mo, d) => weekday(y, mo, d) === number(field.slice(0, -1)) && d + 7 > lastDay(y, mo);
  const weekdays = plainSet(field, 1, 7, NAMES.weekday);
  return (y, mo, d) => weekdays.has(weekday(y, mo, d));
}
