/**
 * The syntax of AWS's six-field cron, `cron(Minutes Hours Day-of-month Month Day-of-week Year)`:
 * the field specs (ranges, month and weekday names, the special forms `L`, `W`, `#`), the syntax
 * check, and the expansion of plain fields (lists, ranges, steps, `*`) into the values they name.
 * Exactly one of the two day fields is `?`; day-of-week 1-7 is Sunday-Saturday.
 *
 * A range whose end is before its start wraps around as in Quartz (`FRI-MON` is Friday to
 * Monday, hours `22-2` is 22, 23, 0, 1, 2), except in the year field, where it names nothing.
 *
 * cron/ imports nothing outside itself (no plans, accounts
 * or HTTP): the domain's ScheduleExpression check (backup/) and the scheduler both use it.
 */

export const MONTH_NAMES: readonly string[] = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
export const WEEKDAY_NAMES: readonly string[] = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

export interface CronFieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** The special forms this field allows besides numbers, lists, ranges, steps and `*`. */
  readonly special?: RegExp;
  /** Whether a range whose end is before its start wraps around (all but the year). */
  readonly wraps: boolean;
}

export const MINUTES_FIELD: CronFieldSpec = { name: 'minutes', min: 0, max: 59, wraps: true };
export const HOURS_FIELD: CronFieldSpec = { name: 'hours', min: 0, max: 23, wraps: true };
export const DAY_OF_MONTH_FIELD: CronFieldSpec = {
  name: 'day-of-month',
  min: 1,
  max: 31,
  wraps: true,
  // L-n counts back from the last day (at most 30, as Quartz); nW names a day 1-31.
  special: /^(\?|L|LW|L-([12]?\d|30)|([1-9]|[12]\d|3[01])W)$/,
};
export const MONTH_FIELD: CronFieldSpec = { name: 'month', min: 1, max: 12, names: MONTH_NAMES, wraps: true };
export const DAY_OF_WEEK_FIELD: CronFieldSpec = {
  name: 'day-of-week',
  min: 1,
  max: 7,
  names: WEEKDAY_NAMES,
  wraps: true,
  special: /^(\?|L|([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)(L|#[1-5]))$/,
};
export const YEAR_FIELD: CronFieldSpec = { name: 'year', min: 1970, max: 2199, wraps: false };

/** The six fields in the order AWS writes them. */
export const CRON_FIELDS: readonly CronFieldSpec[] = [MINUTES_FIELD, HOURS_FIELD, DAY_OF_MONTH_FIELD, MONTH_FIELD, DAY_OF_WEEK_FIELD, YEAR_FIELD];

/** The six fields of `cron(...)`, or undefined when `expression` is not of that form. */
export function cronFields(expression: string): readonly string[] | undefined {
  const match = /^cron\((.*)\)$/.exec(expression.trim());
  return match === null ? undefined : match[1]!.trim().split(/\s+/);
}

/** What is wrong with the syntax of `expression`, in a sentence, or undefined when it is valid. */
export function cronSyntaxProblem(expression: string): string | undefined {
  const fields = cronFields(expression);
  if (fields === undefined) return 'must be a cron expression such as cron(0 5 ? * * *)';
  if (fields.length !== 6) return `must have 6 fields (minutes hours day-of-month month day-of-week year), not ${fields.length}`;
  for (const [i, spec] of CRON_FIELDS.entries()) {
    const problem = fieldProblem(fields[i]!, spec);
    if (problem !== undefined) return `has an invalid ${spec.name} field ${JSON.stringify(fields[i])}: ${problem}`;
  }
  const [, , dayOfMonth, , dayOfWeek] = fields;
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) return 'must have "?" in exactly one of day-of-month (3rd field) and day-of-week (5th field)';
  return undefined;
}

/** Whether `field` is one of `spec`'s special forms (`?`, `L`, `15W`, `6#3`, ...). */
export function isSpecialForm(field: string, spec: CronFieldSpec): boolean {
  return spec.special?.test(field) === true;
}

function fieldProblem(field: string, spec: CronFieldSpec): string | undefined {
  for (const part of field.split(',')) {
    if (isSpecialForm(part, spec)) {
      if (field.includes(',')) return `${part} cannot be part of a list`;
      continue;
    }
    const problem = partProblem(part, spec);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function partProblem(part: string, spec: CronFieldSpec): string | undefined {
  const [range = '', step, extra] = part.split('/');
  if (extra !== undefined || (step !== undefined && !/^\d+$/.test(step))) return `${part} has a bad step`;
  if (range === '*') return undefined;
  const bounds = range.split('-');
  if (bounds.length > 2) return `${part} is not a value or a range`;
  for (const bound of bounds) {
    const value = cronValue(bound, spec);
    if (value === undefined)
      return `${bound} is not a value between ${spec.min} and ${spec.max}${spec.names === undefined ? '' : ` (or ${spec.names[0]}-${spec.names[spec.names.length - 1]})`}`;
  }
  return undefined;
}

/** The number a value or name stands for in `spec`'s field (`MON` is 2), or undefined. */
export function cronValue(text: string, spec: CronFieldSpec): number | undefined {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + spec.min;
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= spec.min && value <= spec.max ? value : undefined;
}

/** The values a syntactically valid plain field names (lists, ranges, steps, `*`), ascending. */
export function expandCronField(field: string, spec: CronFieldSpec): readonly number[] {
  const values = new Set<number>();
  const span = spec.max - spec.min + 1;
  for (const part of field.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Math.max(1, Number(stepText));
    const [from, to] = range === '*' ? [spec.min, spec.max] : rangeOf(range, spec, stepText !== undefined);
    const end = to >= from ? to : spec.wraps ? to + span : from - 1;
    for (let v = from; v <= end; v += step) values.add(((v - spec.min) % span) + spec.min);
  }
  return [...values].sort((a, b) => a - b);
}

function rangeOf(range: string, spec: CronFieldSpec, stepped: boolean): [number, number] {
  const [a = '', b] = range.split('-');
  const from = cronValue(a, spec) ?? spec.min;
  const to = b === undefined ? (stepped ? spec.max : from) : (cronValue(b, spec) ?? spec.max);
  return [from, to];
}
