/**
 * A backup rule's ScheduleExpression: `cron(Minutes Hours Day-of-month Month Day-of-week Year)`
 * as AWS writes it (six fields; exactly one of the two day fields is `?`; day-of-week 1-7 is
 * Sunday-Saturday; `L`, `W` and `#` where AWS allows them). This checks the syntax and that two
 * runs are at least 60 minutes apart, which holds exactly when the minutes field names a single
 * minute. Computing the run times is the scheduler's business, not this file's.
 */

export const DEFAULT_SCHEDULE_EXPRESSION = 'cron(0 5 ? * * *)';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** The special forms this field allows besides numbers, lists, ranges, steps and `*`. */
  readonly special?: RegExp;
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, special: /^(\?|L|LW|L-\d{1,2}|\d{1,2}W)$/ },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS, special: /^(\?|L|([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)(L|#[1-5]))$/ },
  { name: 'year', min: 1970, max: 2199 },
];

/** What is wrong with `expression`, in a sentence, or undefined when it is a valid schedule. */
export function scheduleProblem(expression: string): string | undefined {
  const match = /^cron\((.*)\)$/.exec(expression.trim());
  if (match === null) return 'must be a cron expression such as cron(0 5 ? * * *)';
  const fields = match[1]!.trim().split(/\s+/);
  if (fields.length !== 6) return `must have 6 fields (minutes hours day-of-month month day-of-week year), not ${fields.length}`;
  for (const [i, spec] of FIELDS.entries()) {
    const problem = fieldProblem(fields[i]!, spec);
    if (problem !== undefined) return `has an invalid ${spec.name} field ${JSON.stringify(fields[i])}: ${problem}`;
  }
  const [, , dayOfMonth, , dayOfWeek] = fields;
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) return 'must have "?" in exactly one of day-of-month (3rd field) and day-of-week (5th field)';
  if (expandNumbers(fields[0]!, FIELDS[0]!).size !== 1) {
    return 'runs more than once an hour: two runs of a rule must be at least 60 minutes apart, so give a single minute (e.g. 0)';
  }
  return undefined;
}

function fieldProblem(field: string, spec: FieldSpec): string | undefined {
  for (const part of field.split(',')) {
    if (spec.special?.test(part) === true) {
      if (field.includes(',')) return `${part} cannot be part of a list`;
      continue;
    }
    const problem = partProblem(part, spec);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function partProblem(part: string, spec: FieldSpec): string | undefined {
  const [range = '', step, extra] = part.split('/');
  if (extra !== undefined || (step !== undefined && !/^\d+$/.test(step))) return `${part} has a bad step`;
  if (range === '*') return undefined;
  const bounds = range.split('-');
  if (bounds.length > 2) return `${part} is not a value or a range`;
  for (const bound of bounds) {
    const value = valueOf(bound, spec);
    if (value === undefined) return `${bound} is not a value between ${spec.min} and ${spec.max}${spec.names === undefined ? '' : ` (or ${spec.names[0]}-${spec.names[spec.names.length - 1]})`}`;
  }
  return undefined;
}

function valueOf(text: string, spec: FieldSpec): number | undefined {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + 1;
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= spec.min && value <= spec.max ? value : undefined;
}

/** The values a syntactically valid numeric field names (lists, ranges, steps, `*`). */
function expandNumbers(field: string, spec: FieldSpec): Set<number> {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Math.max(1, Number(stepText));
    const [from, to] = range === '*' ? [spec.min, spec.max] : rangeOf(range, spec, stepText !== undefined);
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

function rangeOf(range: string, spec: FieldSpec, stepped: boolean): [number, number] {
  const [a = '', b] = range.split('-');
  const from = valueOf(a, spec) ?? spec.min;
  const to = b === undefined ? (stepped ? spec.max : from) : valueOf(b, spec) ?? spec.max;
  return [from, to];
}
