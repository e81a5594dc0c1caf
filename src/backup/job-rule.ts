/**
 * The plan rule a scheduled job was made from (its CreatedBy: plan, version, rule), as that plan
 * version says it, for what the rule asks of the job's outcome (copy actions, index actions).
 * Undefined for an on-demand job, or when the version is gone.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { BackupJob } from './jobs/job.js';
import type { PlanRule } from './plan-document.js';

export async function ruleOfJob(catalog: Pick<Catalog, 'plans'>, job: Pick<BackupJob, 'accountId' | 'region' | 'createdBy'>): Promise<PlanRule | undefined> {
  const origin = job.createdBy;
  if (origin === undefined) return undefined;
  const version = await catalog.plans.getVersion({ accountId: job.accountId, region: job.region }, origin.planId, origin.planVersion);
  return ((version?.document['Rules'] ?? []) as unknown as readonly PlanRule[]).find((r) => r.RuleId === origin.ruleId);
}
