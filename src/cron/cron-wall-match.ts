/**
 * The first wall-clock minute at or after a given wall-clock time that a schedule names, found
 * by jumping field by field (year -> month -> day -> hour -> minute) rather than scanning
 * minutes. Wall-clock times here have no zone: they are milliseconds counted as if the wall
 * clock were UTC ("wall ms"), so plain UTC date arithmetic applies. Zones and DST are
 * schedule-runs.ts's concern.
 */
import type { CronSchedule } from './cron-schedule.js';
import { daysSelected } from './cron-days.js';

const MINUTE_MS = 60_000;

/** The first minute the schedule names at or after `wallMs`, in wall ms, or undefined if none. */
export function nextWallMatch(schedule: CronSchedule, wallMs: number): number | undefined {
  const start = new Date(Math.ceil(wallMs / MINUTE_MS) * MINUTE_MS);
  const from = [start.getUTCFullYear(), start.getUTCMonth() + 1, start.getUTCDate(), start.getUTCHours(), start.getUTCMinutes()] as const;
  // `pinned`: every field so far equals `from`'s, so the next field starts at `from`'s value
  // rather than its minimum. Moving past a value unpins everything below it.
  for (const year of atLeast(schedule.years, from[0])) {
    let pinned = year === from[0];
    for (const month of atLeast(schedule.months, pinned ? from[1] : 1)) {
      pinned &&= month === from[1];
      for (const day of atLeast(daysSelected(schedule.days, year, month), pinned ? from[2] : 1)) {
        pinned &&= day === from[2];
        for (const hour of atLeast(schedule.hours, pinned ? from[3] : 0)) {
          pinned &&= hour === from[3];
          const minute = atLeast(schedule.minutes, pinned ? from[4] : 0)[0];
          if (minute !== undefined) return Date.UTC(year, month - 1, day, hour, minute);
          pinned = false;
        }
        pinned = false;
      }
      pinned = false;
    }
  }
  return undefined;
}

/** The tail of an ascending list from the first value >= `min`. */
function atLeast(values: readonly number[], min: number): readonly number[] {
  if (min <= (values[0] ?? min)) return values;
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! < min) lo = mid + 1;
    else hi = mid;
  }
  return values.slice(lo);
}
