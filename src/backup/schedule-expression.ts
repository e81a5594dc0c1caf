/**
 * A backup rule's ScheduleExpression: `cron(Minutes Hours Day-of-month Month Day-of-week Year)`
 * as AWS writes it (six fields; exactly one of the two day fields is `?`; day-of-week 1-7 is
 * Sunday-Saturday; `L`, `W` and `#` where AWS allows them). This checks the syntax and that two
 * runs are at least 60 minutes apart, which holds exactly when the minutes field names a single
 * minute. The cron syntax itself and the run times are the scheduler's (`scheduler/`).
 */
import { cronFields, cronSyntaxProblem, expandCronField, MINUTES_FIELD } from '../cron/cron-syntax.js';

export const DEFAULT_SCHEDULE_EXPRESSION = 'cron(0 5 ? * * *)';

/** What is wrong with `expression`, in a sentence, or undefined when it is a valid schedule. */
export function scheduleProblem(expression: string): string | undefined {
  const syntax = cronSyntaxProblem(expression);
  if (syntax !== undefined) return syntax;
  if (expandCronField(cronFields(expression)![0]!, MINUTES_FIELD).length !== 1) {
    return 'runs more than once an hour: two runs of a rule must be at least 60 minutes apart, so give a single minute (e.g. 0)';
  }
  return undefined;
}
