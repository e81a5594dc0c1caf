/**
 * GetBackupPlan's ScheduledRunsPreview: the plan's next runs after a moment, as the scheduler
 * will take them (overlapping rules resolved by retention), at most `max` of them.
 */
import { compileRules, nextDue, runsBetween } from './rule-runs.js';
import type { PlanDocument } from './plan-document.js';

export interface ScheduledRun {
  readonly executionTime: Date;
  readonly ruleId: string | undefined;
  /** Coffer takes snapshot backups only (no continuous backup). */
  readonly ruleExecutionType: 'SNAPSHOTS';
}

/** Far enough for any valid rule to fall due (a yearly cron plus its window). */
const HORIZON_MS = 2 * 366 * 86_400_000;

export function scheduledRunsPreview(document: PlanDocument, after: Date, max: number): ScheduledRun[] {
  if (max <= 0) return [];
  const rules = compileRules(document);
  const out: ScheduledRun[] = [];
  const end = after.getTime() + HORIZON_MS;
  for (let t = after.getTime(); out.length < max; ) {
    const next = nextDue(rules, t);
    if (next === undefined || next > end) break;
    for (const run of runsBetween(rules, t, next)) {
      if (out.length < max) out.push({ executionTime: new Date(run.due), ruleId: run.rule.RuleId, ruleExecutionType: 'SNAPSHOTS' });
    }
    t = next;
  }
  return out;
}
