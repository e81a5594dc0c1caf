/** GetBackupPlan's ScheduledRunsPreview: the next runs as the scheduler takes them, overlaps resolved. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scheduledRunsPreview } from '../../src/backup/scheduled-runs-preview.js';
import type { PlanDocument, PlanRule } from '../../src/backup/plan-document.js';

const rule = (id: string, cron: string, days: number): PlanRule => ({
  RuleName: id,
  RuleId: id,
  TargetBackupVaultName: 'v',
  ScheduleExpression: cron,
  ScheduleExpressionTimezone: 'Etc/UTC',
  StartWindowMinutes: 480,
  CompletionWindowMinutes: 10080,
  Lifecycle: { DeleteAfterDays: days },
});
const reference: PlanDocument = {
  BackupPlanName: 'reference',
  Rules: [rule('daily', 'cron(0 5 ? * * *)', 7), rule('weekly', 'cron(0 5 ? * 1 *)', 35), rule('monthly', 'cron(0 5 1 * ? *)', 371)],
};

test('the reference plan: the next runs, one a day, the longer rule on Sundays and the 1st', () => {
  const runs = scheduledRunsPreview(reference, new Date('2027-07-30T12:00:00Z'), 5);
  assert.deepEqual(
    runs.map((r) => `${r.executionTime.toISOString()} ${r.ruleId} ${r.ruleExecutionType}`),
    [
      '2027-07-31T05:00:00.000Z daily SNAPSHOTS',
      '2027-08-01T05:00:00.000Z monthly SNAPSHOTS',
      '2027-08-02T05:00:00.000Z daily SNAPSHOTS',
      '2027-08-03T05:00:00.000Z daily SNAPSHOTS',
      '2027-08-04T05:00:00.000Z daily SNAPSHOTS',
    ],
  );
  assert.deepEqual(scheduledRunsPreview(reference, new Date('2027-07-30T12:00:00Z'), 0), []);
});

test('a rule with no future run gives no preview', () => {
  assert.deepEqual(scheduledRunsPreview({ BackupPlanName: 'past', Rules: [rule('once', 'cron(0 5 1 1 ? 2020)', 7)] }, new Date('2027-01-01T00:00:00Z'), 3), []);
});
