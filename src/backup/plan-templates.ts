/**
 * The built-in plan templates (ListBackupPlanTemplates, GetBackupPlanFromTemplate): documents a
 * caller starts a plan from. They target the vault named `Default`, as AWS's do; the caller
 * changes TargetBackupVaultName before CreateBackupPlan if it has no such vault.
 */
import { checkPlanDocument } from './plan-document.js';
import type { PlanDocument } from './plan-document.js';

export interface PlanTemplate {
  readonly id: string;
  readonly name: string;
  readonly document: PlanDocument;
}

const rule = (RuleName: string, ScheduleExpression: string, DeleteAfterDays: number) => ({
  RuleName,
  TargetBackupVaultName: 'Default',
  ScheduleExpression,
  Lifecycle: { DeleteAfterDays },
});

/** Daily at 05:00 UTC kept 7 days, Sundays kept 35 days, the 1st of each month kept 371 days. */
export const REFERENCE_PLAN_RULES = [
  rule('DailyBackups', 'cron(0 5 ? * * *)', 7),
  rule('WeeklyBackups', 'cron(0 5 ? * 1 *)', 35),
  rule('MonthlyBackups', 'cron(0 5 1 * ? *)', 371),
] as const;

export const PLAN_TEMPLATES: readonly PlanTemplate[] = [
  {
    id: 'daily-35day-retention',
    name: 'Daily-35day-Retention',
    document: checkPlanDocument({ BackupPlanName: 'Daily-35day-Retention', Rules: [rule('DailyBackups', 'cron(0 5 ? * * *)', 35)] }),
  },
  {
    id: 'daily-weekly-monthly-1yr-retention',
    name: 'Daily-Weekly-Monthly-1yr-Retention',
    document: checkPlanDocument({ BackupPlanName: 'Daily-Weekly-Monthly-1yr-Retention', Rules: REFERENCE_PLAN_RULES }),
  },
];
