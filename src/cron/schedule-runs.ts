/**
 * When a backup rule runs: the cron's wall-clock minutes read in the rule's IANA time zone
 * (ScheduleExpressionTimezone, Etc/UTC by default), turned into instants.
 *
 * Daylight saving time, decided here once for the whole scheduler:
 * - A wall time that does not exist (the spring-forward gap) runs at the instant it would have
 *   had with the offset from before the change, i.e. as far after the gap as it was into it:
 *   02:30 on Europe/Berlin's spring-forward day runs at 03:30 CEST (01:30 UTC). So a daily rule
 *   still runs once that day. When such a run falls on the same instant as a regular one (an
 *   hourly rule's 02:00 and 03:00 both become 03:00 CEST), it is one run.
 * - A wall time that occurs twice (the fall-back overlap) runs once, at its first occurrence
 *   (02:30 CEST, not 02:30 CET), so an hourly rule has one two-hour pause that night.
 * This is what java.time and Temporal call "compatible" resolution; runs of a daily rule are
 * then never missed and never doubled.
 *
 * How: the zone's offsets come as spans of constant offset (schedule-zone-offsets.ts). Within a
 * span, wall time is instant + offset, so the next run is the next matching wall minute
 * (cron-wall-match.ts, which jumps field by field) that the span has not already shown, or a
 * matching wall minute in the gap just before the span. Spans without a run are skipped in one
 * jump to the next matching wall minute. No minute is ever scanned.
 */
import type { CronSchedule } from './cron-schedule.js';
import { nextWallMatch } from './cron-wall-match.js';
import { DEFAULT_SCHEDULE_TIME_ZONE } from './schedule-time-zone.js';
import { zoneOffsets } from './schedule-zone-offsets.js';
import type { OffsetSpan } from './schedule-zone-offsets.js';

/** More than any gap between a wall clock and UTC (offsets run from -12 to +14 hours). */
const OFFSET_BOUND_MS = 2 * 86_400_000;

/**
 * The first run strictly after `after`, or undefined when the schedule has no later run (its
 * years are past, or its days never occur). Throws a RangeError for a zone Intl does not know.
 */
export function nextRun(schedule: CronSchedule, after: Date, timeZone: string = DEFAULT_SCHEDULE_TIME_ZONE): Date | undefined {
  if (Number.isNaN(after.getTime())) throw new RangeError('nextRun needs a valid date');
  const zone = zoneOffsets(timeZone);
  let cursor = after.getTime() + 1;
  for (;;) {
    const span = zone.spanAt(cursor);
    const { run, nextWall } = firstRunIn(schedule, span, cursor);
    if (run !== undefined) return new Date(run);
    if (nextWall === undefined) return undefined;
    // Every later run is at a wall minute >= nextWall, so no instant before this can hold one.
    cursor = Math.max(span.end, nextWall - span.offset - OFFSET_BOUND_MS);
  }
}

/** The runs in (from, to], in order. */
export function* runsBetween(schedule: CronSchedule, from: Date, to: Date, timeZone: string = DEFAULT_SCHEDULE_TIME_ZONE): Generator<Date, void, undefined> {
  for (let run = nextRun(schedule, from, timeZone); run !== undefined && run.getTime() <= to.getTime(); run = nextRun(schedule, run, timeZone)) {
    yield run;
  }
}

/**
 * The earliest run at or after `cursor` within `span`, and the first matching wall minute not
 * yet shown in the span (where the search continues when there is no run here).
 */
function firstRunIn(schedule: CronSchedule, span: OffsetSpan, cursor: number): { run: number | undefined; nextWall: number | undefined } {
  // Wall times up to span.start + offsetBefore were shown before the span (the overlap's repeat).
  const nextWall = nextWallMatch(schedule, Math.max(cursor + span.offset, span.start + span.offsetBefore));
  let run = nextWall !== undefined && nextWall < span.end + span.offset ? nextWall - span.offset : undefined;
  if (span.offsetBefore < span.offset) {
    const gapWall = nextWallMatch(schedule, Math.max(cursor, span.start) + span.offsetBefore);
    if (gapWall !== undefined && gapWall < span.start + span.offset) {
      const gapRun = gapWall - span.offsetBefore;
      run = run === undefined ? gapRun : Math.min(run, gapRun);
    }
  }
  return { run, nextWall };
}
