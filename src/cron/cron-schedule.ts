/**
 * A compiled cron schedule: the expression's fields turned into the sorted values they name and
 * one day rule, ready for `nextRun` to jump field by field instead of scanning minutes. Compiling
 * checks only the cron syntax (see cron-syntax.ts); AWS Backup's "at least 60 minutes apart"
 * rule is the domain's (`scheduleProblem`), so any valid cron compiles. The run times are
 * schedule-runs.ts's, re-exported here so a caller finds a schedule and its runs in one place.
 */
import {
  cronFields,
  cronSyntaxProblem,
  cronValue,
  DAY_OF_MONTH_FIELD,
  DAY_OF_WEEK_FIELD,
  expandCronField,
  HOURS_FIELD,
  MINUTES_FIELD,
  MONTH_FIELD,
  YEAR_FIELD,
} from './cron-syntax.js';
import type { DayRule } from './cron-days.js';

export { nextRun, runsBetween } from './schedule-runs.js';

export interface CronSchedule {
  readonly expression: string;
  /** Each field's values, ascending: minutes 0-59, hours 0-23, months 1-12, years 1970-2199. */
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly months: readonly number[];
  readonly years: readonly number[];
  readonly days: DayRule;
}

/** Compiles `expression`; throws a RangeError saying what is wrong when its syntax is invalid. */
export function compileCron(expression: string): CronSchedule {
  const problem = cronSyntaxProblem(expression);
  if (problem !== undefined) throw new RangeError(`${JSON.stringify(expression)} ${problem}`);
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = cronFields(expression)! as [string, string, string, string, string, string];
  return {
    expression,
    minutes: expandCronField(minutes, MINUTES_FIELD),
    hours: expandCronField(hours, HOURS_FIELD),
    months: expandCronField(month, MONTH_FIELD),
    years: expandCronField(year, YEAR_FIELD),
    days: dayOfMonth === '?' ? weekdayRule(dayOfWeek.toUpperCase()) : monthDayRule(dayOfMonth.toUpperCase()),
  };
}

function monthDayRule(field: string): DayRule {
  if (field === 'L') return { kind: 'last-day', before: 0 };
  if (field === 'LW') return { kind: 'last-weekday' };
  if (field.startsWith('L-')) return { kind: 'last-day', before: Number(field.slice(2)) };
  if (field.endsWith('W')) return { kind: 'nearest-weekday', day: Number(field.slice(0, -1)) };
  return { kind: 'days-of-month', days: expandCronField(field, DAY_OF_MONTH_FIELD) };
}

function weekdayRule(field: string): DayRule {
  if (field === 'L') return { kind: 'days-of-week', weekdays: [7] };
  const nth = /^(\w+)#(\d)$/.exec(field);
  if (nth !== null) return { kind: 'nth-weekday', weekday: weekday(nth[1]!), nth: Number(nth[2]) };
  const last = /^(\w+)L$/.exec(field);
  if (last !== null) return { kind: 'last-of-weekday', weekday: weekday(last[1]!) };
  return { kind: 'days-of-week', weekdays: expandCronField(field, DAY_OF_WEEK_FIELD) };
}

function weekday(text: string): number {
  return cronValue(text, DAY_OF_WEEK_FIELD)!;
}
