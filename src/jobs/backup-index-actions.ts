/**
 * A rule's IndexActions, acted on when its backup completes: a recovery point of a resource type
 * the rule names (S3; EBS meaning Coffer's directory backups) gets an index asked for at once
 * (PENDING), which a node's indexer builds (index-recovery-points.ts) as if
 * UpdateRecoveryPointIndexSettings had been called with the job's role.
 */
import type { BackupJob } from '../backup/jobs/job.js';
import { ruleOfJob } from '../backup/job-rule.js';
import type { Catalog } from '../catalog/catalog.js';

const ACTION_TYPE: Readonly<Record<string, 'S3' | 'EBS'>> = { S3: 'S3', EFS: 'EBS' };

/** Whether the job's plan rule asks for an index of its recovery points; asks for it when so. */
export async function requestRuleIndex(
  catalog: Pick<Catalog, 'plans' | 'recoveryPointIndexes'>,
  job: BackupJob,
  point: { readonly arn: string; readonly createdAt: Date },
  now: Date,
): Promise<boolean> {
  const wanted = ACTION_TYPE[job.resourceType];
  if (wanted === undefined) return false;
  const scope = { accountId: job.accountId, region: job.region };
  const rule = await ruleOfJob(catalog, job);
  if (!(rule?.IndexActions ?? []).some((a) => (a.ResourceTypes ?? []).includes(wanted))) return false;
  await catalog.recoveryPointIndexes.request(scope, {
    recoveryPointArn: point.arn,
    vaultName: job.vaultName,
    sourceResourceArn: job.resourceArn,
    resourceType: job.resourceType,
    backupCreatedAt: point.createdAt.getTime(),
    iamRoleArn: job.iamRoleArn,
    createdAt: now.getTime(),
  });
  return true;
}
