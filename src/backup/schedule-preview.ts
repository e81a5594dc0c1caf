/**
 * The next runs of one rule's schedule, before any plan holds it: what the console's schedule
 * builder shows while a rule is written. The expression is checked as CreateBackupPlan checks it
 * (the syntax and the 60-minute rule, an IANA time zone) and the runs are the scheduler's own
 * (cron/ in the rule's time zone, with its daylight-saving resolution).
 */
import { compileCron, nextRun } from '../cron/cron-schedule.js';
import { BackupError } from './backup-error.js';
import { DEFAULT_TIMEZONE, isTimeZone } from './plan-document.js';
import { scheduleProblem } from './schedule-expression.js';

export const MAX_PREVIEW_RUNS = 100;

export interface SchedulePreview {
  readonly expression: string;
  readonly timezone: string;
  readonly runs: readonly Date[];
}

/** The first `count` runs of `expression` strictly after `after` (fewer when its years run out). */
export function previewSchedule(expression: string, timezone: string | undefined, after: Date, count: number): SchedulePreview {
  const problem = scheduleProblem(expression);
  if (problem !== undefined) throw new BackupError('InvalidParameter', `ScheduleExpression ${JSON.stringify(expression)} ${problem}.`, { context: expression });
  const zone = timezone === undefined || timezone === '' ? DEFAULT_TIMEZONE : timezone;
  if (!isTimeZone(zone))
    throw new BackupError(
      'InvalidParameter',
      `ScheduleExpressionTimezone ${JSON.stringify(zone)} is not an IANA time zone (such as Europe/Berlin or Etc/UTC).`,
      { context: zone },
    );
  if (!Number.isInteger(count) || count < 1 || count > MAX_PREVIEW_RUNS)
    throw new BackupError('InvalidParameter', `count must be a whole number from 1 to ${MAX_PREVIEW_RUNS}, not ${String(count)}.`);
  const schedule = compileCron(expression);
  const runs: Date[] = [];
  for (let run = nextRun(schedule, after, zone); run !== undefined && runs.length < count; run = nextRun(schedule, run, zone)) runs.push(run);
  return { expression, timezone: zone, runs };
}
