/**
 * Which runs of a plan's rules are taken: every due time in a span, once; when rules of one plan
 * overlap (start windows intersect), only the run of the rule with the longest retention; and a
 * rule at 02:30 Europe/Berlin across both DST changes of 2027 runs once per local day.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PlanDocument, PlanRule } from '../../src/backup/plan-document.js';
import { compileRules, runsBetween } from '../../src/backup/rule-runs.js';

const DAY = 86_400_000;
const rule = (name: string, cron: string, days: number | undefined, extra: Partial<PlanRule> = {}): PlanRule => ({
  RuleName: name,
  TargetBackupVaultName: 'v',
  ScheduleExpression: cron,
  ScheduleExpressionTimezone: 'Etc/UTC',
  StartWindowMinutes: 60,
  CompletionWindowMinutes: 10080,
  ...(days === undefined ? {} : { Lifecycle: { DeleteAfterDays: days } }),
  ...extra,
});
const plan = (...rules: PlanRule[]): PlanDocument => ({ BackupPlanName: 'p', Rules: rules });
const at = (iso: string) => Date.parse(iso);

test('the reference plan: one run a day, the longest retention winning on Sundays and the 1st', () => {
  const rules = compileRules(plan(rule('daily', 'cron(0 5 ? * * *)', 7), rule('weekly', 'cron(0 5 ? * 1 *)', 35), rule('monthly', 'cron(0 5 1 * ? *)', 371)));
  const runs = runsBetween(rules, at('2027-07-31T00:00:00Z'), at('2027-08-09T00:00:00Z'));
  assert.deepEqual(
    runs.map((r) => `${new Date(r.due).toISOString().slice(0, 10)} ${r.rule.RuleName}`),
    [
      '2027-07-31 daily',
      '2027-08-01 monthly',
      '2027-08-02 daily',
      '2027-08-03 daily',
      '2027-08-04 daily',
      '2027-08-05 daily',
      '2027-08-06 daily',
      '2027-08-07 daily',
      '2027-08-08 weekly',
    ],
  );
  assert.equal(runs[0]!.startBy - runs[0]!.due, 60 * 60_000);
  assert.equal(runs[0]!.completeBy - runs[0]!.due, 10080 * 60_000);
});

test('overlapping start windows: the longer retention wins even when it starts later; apart, both run', () => {
  const overlapping = compileRules(plan(rule('short', 'cron(0 5 ? * * *)', 7, { StartWindowMinutes: 120 }), rule('long', 'cron(0 6 ? * * *)', 30)));
  assert.deepEqual(
    runsBetween(overlapping, at('2027-03-01T00:00:00Z'), at('2027-03-02T00:00:00Z')).map((r) => r.rule.RuleName),
    ['long'],
  );
  const apart = compileRules(plan(rule('short', 'cron(0 5 ? * * *)', 7), rule('long', 'cron(0 9 ? * * *)', 30)));
  assert.deepEqual(
    runsBetween(apart, at('2027-03-01T00:00:00Z'), at('2027-03-02T00:00:00Z')).map((r) => r.rule.RuleName),
    ['short', 'long'],
  );
  const forever = compileRules(plan(rule('kept', 'cron(0 5 ? * * *)', 3650), rule('forever', 'cron(0 5 ? * * *)', undefined)));
  assert.deepEqual(
    runsBetween(forever, at('2027-03-01T00:00:00Z'), at('2027-03-02T00:00:00Z')).map((r) => r.rule.RuleName),
    ['forever'],
  );
});

test('02:30 Europe/Berlin across both DST changes of 2027: once per local day, never twice', () => {
  const rules = compileRules(plan(rule('night', 'cron(30 2 ? * * *)', 7, { ScheduleExpressionTimezone: 'Europe/Berlin' })));
  for (const [from, to] of [
    ['2027-03-25T00:00:00Z', '2027-03-31T00:00:00Z'],
    ['2027-10-28T00:00:00Z', '2027-11-03T00:00:00Z'],
  ] as const) {
    const runs = runsBetween(rules, at(from), at(to));
    const localDays = runs.map((r) =>
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(r.due)),
    );
    assert.equal(new Set(localDays).size, runs.length, `no local day twice: ${localDays.join(', ')}`);
    assert.equal(runs.length, Math.round((at(to) - at(from)) / DAY), 'every day once');
  }
  const spring = runsBetween(rules, at('2027-03-28T00:00:00Z'), at('2027-03-29T00:00:00Z'));
  assert.deepEqual(
    spring.map((r) => new Date(r.due).toISOString()),
    ['2027-03-28T01:30:00.000Z'],
    'the missing 02:30 runs right after the gap (03:30 CEST)',
  );
  const autumn = runsBetween(rules, at('2027-10-31T00:00:00Z'), at('2027-11-01T00:00:00Z'));
  assert.deepEqual(
    autumn.map((r) => new Date(r.due).toISOString()),
    ['2027-10-31T00:30:00.000Z'],
    'the doubled 02:30 runs once, at its first occurrence (CEST)',
  );
});
