/**
 * A rule's ScheduleExpression in its ScheduleExpressionTimezone, as the one question the
 * scheduler asks of it: the first run strictly after an instant (epoch ms).
 */
import type { PlanRule } from './plan-document.js';
import { compileCron, nextRun } from '../cron/cron-schedule.js';

export interface RuleSchedule {
  nextAfter(after: number): number | undefined;
}

export function ruleSchedule(rule: Pick<PlanRule, 'ScheduleExpression' | 'ScheduleExpressionTimezone'>): RuleSchedule {
  const cron = compileCron(rule.ScheduleExpression);
  const zone = rule.ScheduleExpressionTimezone;
  return { nextAfter: (after) => nextRun(cron, new Date(after), zone)?.getTime() };
}
