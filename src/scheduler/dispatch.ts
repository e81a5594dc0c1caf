/**
 * Dispatching the rule runs that fell due since the last tick: for each run, the resources the
 * plan's selections pick get one backup job each (made by backup/jobs/backup-job-order.ts, as
 * StartBackupJob's are), with the run's windows, lifecycle, recovery point tags and CreatedBy.
 * The cursor moves by compare-and-set in the same transaction as the jobs are written (in bulk,
 * by the ledger), so with many nodes on one catalog each span of time is dispatched exactly
 * once. The first tick of a new catalog starts the cursor at "now": plans never backfill.
 */
import type { IdSource } from '../backup/id-source.js';
import { newBackupJob } from '../backup/jobs/backup-job-order.js';
import type { BackupJobDraft } from '../backup/jobs/job.js';
import type { JobLedger } from '../backup/jobs/job-ledger.js';
import { runsBetween } from '../backup/rule-runs.js';
import type { RuleRun } from '../backup/rule-runs.js';
import type { Catalog } from '../catalog/catalog.js';
import type { PlanRecord } from '../catalog/plans.js';
import type { CatalogScope } from '../catalog/scope.js';
import type { VaultRecord } from '../catalog/vaults.js';
import { arns } from '../iam/arn.js';
import type { LivePlan, PickedResource, RegisteredResource } from './live-plans.js';
import { selectionResolver } from './live-plans.js';

export const CURSOR = 'rule-runs';

export interface DispatchDeps {
  readonly catalog: Catalog;
  readonly ledger: JobLedger;
  readonly ids: IdSource;
  readonly resources: (scope: CatalogScope) => Promise<readonly RegisteredResource[]>;
}

/** The jobs of one run: one per picked resource (FAILED at once when the rule's vault is missing). */
function jobsOfRun(plan: PlanRecord, run: RuleRun, resources: readonly PickedResource[], vault: VaultRecord | undefined, ids: IdSource): BackupJobDraft[] {
  const { rule } = run;
  const vaultName = rule.TargetBackupVaultName;
  const common = {
    scope: plan,
    vaultName,
    vaultArn: vault?.arn ?? arns.backupVault(plan, vaultName),
    scheduled: true,
    createdAt: new Date(run.due),
    startBy: new Date(run.startBy),
    completeBy: new Date(run.completeBy),
    createdBy: {
      planId: plan.id,
      planArn: plan.arn,
      planVersion: plan.versionId,
      planName: plan.name,
      ruleId: rule.RuleId ?? '',
      ruleName: rule.RuleName,
      ruleCron: rule.ScheduleExpression,
      ruleTimezone: rule.ScheduleExpressionTimezone,
    },
    vaultKeyArn: vault?.encryptionKeyArn,
    lifecycle:
      rule.Lifecycle === undefined
        ? undefined
        : { deleteAfterDays: rule.Lifecycle.DeleteAfterDays, moveToColdStorageAfterDays: rule.Lifecycle.MoveToColdStorageAfterDays },
    recoveryPointTags: rule.RecoveryPointTags,
    refusal:
      vault !== undefined
        ? undefined
        : `Backup vault ${vaultName} of rule ${rule.RuleName} does not exist in ${plan.accountId}/${plan.region}; create it or change the rule's TargetBackupVaultName.`,
  };
  return resources.map(({ resource, iamRoleArn }) => newBackupJob(Object.assign({ resource, iamRoleArn }, common), ids));
}

/** Dispatches (cursor, now]; how many jobs it made. */
export async function dispatchRuns(deps: DispatchDeps, livePlans: () => Promise<readonly LivePlan[]>, now: number): Promise<number> {
  const { catalog, ledger } = deps;
  const from = await catalog.schedulerState.get(CURSOR);
  if (from === undefined) {
    await catalog.schedulerState.advance(CURSOR, undefined, now, now);
    return 0;
  }
  if (now <= from) return 0;
  const plans = await livePlans();
  return ledger.transaction(async (tx) => {
    if (!(await tx.stores.schedulerState.advance(CURSOR, from, now, now))) return 0;
    const resolve = selectionResolver(tx.stores, deps.resources);
    let created = 0;
    for (const { plan, rules } of plans) {
      // A plan runs only for times after it (or its current version) was saved.
      const runs = runsBetween(rules, Math.max(from, plan.updatedAt), now);
      if (runs.length === 0) continue;
      const resources = await resolve(plan);
      const vaults = new Map<string, VaultRecord | undefined>();
      const jobs: BackupJobDraft[] = [];
      for (const run of runs) {
        const name = run.rule.TargetBackupVaultName;
        if (!vaults.has(name)) vaults.set(name, await tx.stores.vaults.get(plan, name));
        jobs.push(...jobsOfRun(plan, run, resources, vaults.get(name), deps.ids));
      }
      created += await tx.createBackupJobs(plan, jobs);
      await tx.stores.plans.setLastExecution(plan, plan.id, runs[runs.length - 1]!.due);
    }
    return created;
  });
}
