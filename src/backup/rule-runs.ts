/**
 * The runs of a plan's rules: when each rule falls due in a span of time, and which runs AWS
 * would actually take. Rules of one plan pick the same resources (selections belong to the
 * plan), so when two rules' runs have overlapping start windows only one backup is taken: the
 * run of the rule with the longest retention (no DeleteAfterDays counts as forever), ties going
 * to the earlier run, then to the rule listed first. Rules of different plans never displace
 * each other. Pure: times in epoch milliseconds.
 */
import type { PlanDocument, PlanRule } from './plan-document.js';
import { ruleSchedule } from './rule-schedule.js';
import type { RuleSchedule } from './rule-schedule.js';

const MINUTE = 60_000;

export interface RuleRun {
  readonly rule: PlanRule;
  readonly ruleIndex: number;
  /** The scheduled instant (epoch ms). */
  readonly due: number;
  /** The start window closes here. */
  readonly startBy: number;
  /** The completion window closes here (counted from the scheduled time, as AWS does). */
  readonly completeBy: number;
}

export interface CompiledRule {
  readonly rule: PlanRule;
  readonly index: number;
  readonly schedule: RuleSchedule;
  readonly retention: number;
  readonly windowMs: number;
}

export function compileRules(document: PlanDocument): CompiledRule[] {
  return document.Rules.map((rule, index) => ({
    rule,
    index,
    schedule: ruleSchedule(rule),
    retention: rule.Lifecycle?.DeleteAfterDays ?? Number.POSITIVE_INFINITY,
    windowMs: rule.StartWindowMinutes * MINUTE,
  }));
}

function runOf(c: CompiledRule, due: number): RuleRun {
  return { rule: c.rule, ruleIndex: c.index, due, startBy: due + c.windowMs, completeBy: due + c.rule.CompletionWindowMinutes * MINUTE };
}

/** Whether `other` ranks above `mine` when their windows overlap. */
function outranks(other: CompiledRule, otherDue: number, mine: CompiledRule, myDue: number): boolean {
  if (other.retention !== mine.retention) return other.retention > mine.retention;
  if (otherDue !== myDue) return otherDue < myDue;
  return other.index < mine.index;
}

/** Whether a run of another rule whose window overlaps [due, due + window) outranks this one. */
function displaced(rules: readonly CompiledRule[], mine: CompiledRule, due: number): boolean {
  for (const other of rules) {
    if (other === mine) continue;
    // Another rule's run at d overlaps when d < due + window(mine) and due < d + window(other).
    let t = other.schedule.nextAfter(due - other.windowMs);
    while (t !== undefined && t < due + mine.windowMs) {
      if (outranks(other, t, mine, due)) return true;
      t = other.schedule.nextAfter(t);
    }
  }
  return false;
}

/** The runs taken in (from, to], in time order (ties in rule order). */
export function runsBetween(rules: readonly CompiledRule[], from: number, to: number): RuleRun[] {
  const runs: RuleRun[] = [];
  for (const c of rules) {
    for (let t = c.schedule.nextAfter(from); t !== undefined && t <= to; t = c.schedule.nextAfter(t)) {
      if (!displaced(rules, c, t)) runs.push(runOf(c, t));
    }
  }
  return runs.sort((a, b) => a.due - b.due || a.ruleIndex - b.ruleIndex);
}

/** The first instant after `after` at which any rule falls due (displaced runs included: harmless). */
export function nextDue(rules: readonly CompiledRule[], after: number): number | undefined {
  let best: number | undefined;
  for (const c of rules) {
    const t = c.schedule.nextAfter(after);
    if (t !== undefined && (best === undefined || t < best)) best = t;
  }
  return best;
}
