/**
 * A plan as the editor holds it: AWS's BackupPlanInput, with helpers to make a new rule, to turn
 * what GetBackupPlan / GetBackupPlanFromTemplate / GetBackupPlanFromJSON answer into an input,
 * and to tell what a copy destination is.
 */
import type { BackupPlan, BackupPlanInput, BackupRuleInput } from '@aws-sdk/client-backup';

export type RuleDraft = BackupRuleInput;
export type PlanDraft = BackupPlanInput;

export function newRule(index: number, vault: string): RuleDraft {
  return {
    RuleName: index === 0 ? 'daily' : `rule-${index + 1}`,
    TargetBackupVaultName: vault,
    ScheduleExpression: 'cron(0 5 ? * * *)',
    ScheduleExpressionTimezone: 'Etc/UTC',
    StartWindowMinutes: 60,
    CompletionWindowMinutes: 1440,
    Lifecycle: { DeleteAfterDays: 35 },
  };
}

/** The input form of a plan as the API answers it (rule ids and other read-only fields dropped). */
export function draftOf(plan: BackupPlan | BackupPlanInput): PlanDraft {
  return {
    BackupPlanName: plan.BackupPlanName,
    Rules: (plan.Rules ?? []).map((r) => ({
      RuleName: r.RuleName,
      TargetBackupVaultName: r.TargetBackupVaultName,
      ScheduleExpression: r.ScheduleExpression,
      ScheduleExpressionTimezone: r.ScheduleExpressionTimezone ?? 'Etc/UTC',
      StartWindowMinutes: r.StartWindowMinutes,
      CompletionWindowMinutes: r.CompletionWindowMinutes,
      ...(r.Lifecycle === undefined ? {} : { Lifecycle: r.Lifecycle }),
      ...(r.RecoveryPointTags === undefined ? {} : { RecoveryPointTags: r.RecoveryPointTags }),
      ...(r.CopyActions === undefined || r.CopyActions.length === 0 ? {} : { CopyActions: r.CopyActions }),
      ...(r.EnableContinuousBackup === undefined ? {} : { EnableContinuousBackup: r.EnableContinuousBackup }),
    })),
    ...(plan.AdvancedBackupSettings === undefined || plan.AdvancedBackupSettings.length === 0 ? {} : { AdvancedBackupSettings: plan.AdvancedBackupSettings }),
  };
}

export interface VaultArnParts {
  readonly region: string;
  readonly accountId: string;
  readonly name: string;
}

export function parseVaultArn(arn: string): VaultArnParts | undefined {
  const m = /^arn:aws:backup:([a-z0-9-]+):(\d{12}):backup-vault:([A-Za-z0-9_-]{2,50})$/.exec(arn.trim());
  return m === null ? undefined : { region: m[1]!, accountId: m[2]!, name: m[3]! };
}

export const vaultArn = (region: string, accountId: string, name: string): string => `arn:aws:backup:${region}:${accountId}:backup-vault:${name}`;
