/** StartCopyJob, DescribeCopyJob, ListCopyJobs: wire to domain and back. */
import type { BackupDomain } from '../../../backup/backup-domain.js';
import type { CopyJobRecord, CopyJobState } from '../../../catalog/job-records.js';
import type { OperationHandler } from '../../http-handler.js';
import { lifecycleIn, lifecycleOut, optionalDate } from './job-wire.js';
import { listRequestOf, optionalString, requiredString, scopeOf } from './wire-input.js';

const date = (ms: number | undefined): Date | undefined => (ms === undefined ? undefined : new Date(ms));

/** A CopyJob list member; DescribeCopyJob answers the same members. */
export function copyJobOut(job: CopyJobRecord): Record<string, unknown> {
  return {
    AccountId: job.accountId, CopyJobId: job.id, SourceBackupVaultArn: job.sourceVaultArn, SourceRecoveryPointArn: job.sourceRecoveryPointArn,
    DestinationBackupVaultArn: job.destinationVaultArn, DestinationRecoveryPointArn: job.destinationRecoveryPointArn,
    DestinationRecoveryPointLifecycle: lifecycleOut(job.lifecycle), ResourceArn: job.resourceArn, ResourceType: job.resourceType,
    CreationDate: new Date(job.createdAt), CompletionDate: date(job.completedAt), State: job.state, StatusMessage: job.statusMessage,
    BackupSizeInBytes: job.backupSizeBytes, IamRoleArn: job.iamRoleArn, ParentJobId: job.parentJobId, IsParent: false,
    ...(job.createdBy === undefined ? {} : {
      CreatedBy: { BackupPlanId: job.createdBy.planId, BackupPlanArn: job.createdBy.planArn, BackupPlanVersion: job.createdBy.planVersion, BackupRuleId: job.createdBy.ruleId },
      CreatedByBackupJobId: job.parentJobId,
    }),
  };
}

export function copyJobHandlers(domain: BackupDomain): Readonly<Record<string, OperationHandler>> {
  return {
    async StartCopyJob(ctx, input) {
      const started = await domain.copyJobs.start(scopeOf(ctx), {
        recoveryPointArn: requiredString(input, 'RecoveryPointArn'), sourceVaultName: requiredString(input, 'SourceBackupVaultName'),
        destinationVaultArn: requiredString(input, 'DestinationBackupVaultArn'), iamRoleArn: requiredString(input, 'IamRoleArn'),
        idempotencyToken: optionalString(input, 'IdempotencyToken'), lifecycle: lifecycleIn(input),
      });
      return { CopyJobId: started.copyJobId, CreationDate: started.creationDate, IsParent: false };
    },

    async DescribeCopyJob(ctx, input) {
      return { CopyJob: copyJobOut(await domain.copyJobs.describe(scopeOf(ctx), requiredString(input, 'CopyJobId'))) };
    },

    async ListCopyJobs(ctx, input) {
      const page = await domain.copyJobs.list(scopeOf(ctx), {
        ...listRequestOf(input), state: optionalString(input, 'ByState') as CopyJobState | undefined,
        resourceArn: optionalString(input, 'ByResourceArn'), resourceType: optionalString(input, 'ByResourceType'),
        destinationVaultArn: optionalString(input, 'ByDestinationVaultArn'), sourceRecoveryPointArn: optionalString(input, 'BySourceRecoveryPointArn'),
        parentJobId: optionalString(input, 'ByParentJobId'), accountId: optionalString(input, 'ByAccountId'),
        createdBefore: optionalDate(input, 'ByCreatedBefore'), createdAfter: optionalDate(input, 'ByCreatedAfter'),
        completeBefore: optionalDate(input, 'ByCompleteBefore'), completeAfter: optionalDate(input, 'ByCompleteAfter'),
      });
      return { CopyJobs: page.items.map(copyJobOut), NextToken: page.nextToken };
    },
  };
}
