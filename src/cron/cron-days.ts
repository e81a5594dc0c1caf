/**
 * Which days of a month a cron expression's day fields select. Exactly one of the two day fields
 * is given (the other is `?`), so a schedule has one `DayRule`. The special forms follow Quartz,
 * which AWS's cron copies:
 *
 * - `L` is the last day of the month, `L-n` the n-th day before it (none when that is before
 *   the 1st);
 * - `LW` is the last weekday (Monday-Friday) of the month;
 * - `nW` is the weekday nearest to day n, never leaving the month: a Saturday 1st moves to
 *   Monday the 3rd, a Sunday last day to Friday; a month without day n has no such day;
 * - day-of-week `L` alone is Saturday (7), `nL` the last weekday n of the month, `n#k` the k-th
 *   weekday n (none in a month that has only four).
 *
 * Weekdays are 1-7 for Sunday-Saturday; months 1-12. Dates are proleptic Gregorian, computed
 * with UTC arithmetic since they are wall-clock dates with no zone.
 */

export type DayRule =
  | { readonly kind: 'days-of-month'; readonly days: readonly number[] }
  | { readonly kind: 'last-day'; readonly before: number }
  | { readonly kind: 'last-weekday' }
  | { readonly kind: 'nearest-weekday'; readonly day: number }
  | { readonly kind: 'days-of-week'; readonly weekdays: readonly number[] }
  | { readonly kind: 'last-of-weekday'; readonly weekday: number }
  | { readonly kind: 'nth-weekday'; readonly weekday: number; readonly nth: number };

const SUNDAY = 1;
const SATURDAY = 7;

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The weekday (1 = Sunday ... 7 = Saturday) of a date. */
export function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}

/** The days of `month` in `year` that `rule` selects, ascending. */
export function daysSelected(rule: DayRule, year: number, month: number): readonly number[] {
  const last = daysInMonth(year, month);
  switch (rule.kind) {
    case 'days-of-month':
      return rule.days.filter((d) => d <= last);
    case 'last-day':
      return last - rule.before >= 1 ? [last - rule.before] : [];
    case 'last-weekday':
      return [nearestWeekday(year, month, last, last)];
    case 'nearest-weekday':
      return rule.day <= last ? [nearestWeekday(year, month, rule.day, last)] : [];
    case 'days-of-week': {
      const first = weekdayOf(year, month, 1);
      const days: number[] = [];
      for (let d = 1; d <= last; d++) if (rule.weekdays.includes(((first - 1 + d - 1) % 7) + 1)) days.push(d);
      return days;
    }
    case 'last-of-weekday':
      return [last - ((weekdayOf(year, month, last) - rule.weekday + 7) % 7)];
    case 'nth-weekday': {
      const day = 1 + ((rule.weekday - weekdayOf(year, month, 1) + 7) % 7) + 7 * (rule.nth - 1);
      return day <= last ? [day] : [];
    }
  }
}

function nearestWeekday(year: number, month: number, day: number, last: number): number {
  const weekday = weekdayOf(year, month, day);
  if (weekday === SATURDAY) return day === 1 ? 3 : day - 1;
  if (weekday === SUNDAY) return day === last ? day - 2 : day + 1;
  return day;
}
