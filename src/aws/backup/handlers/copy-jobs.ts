/** StartCopyJob, DescribeCopyJob, ListCopyJobs: wire to domain and back. */
import type { BackupDomain } from '../../../backup/backup-domain.js';
import type { CopyJobState } from '../../../backup/jobs/job-states.js';
import type { OperationHandler } from '../../http-handler.js';
import { copyJobOut, lifecycleIn, optionalDate } from './job-wire.js';
import { listRequestOf, optionalString, requiredString, scopeOf } from './wire-input.js';

export function copyJobHandlers(domain: BackupDomain): Readonly<Record<string, OperationHandler>> {
  return {
    async StartCopyJob(ctx, input) {
      const started = await domain.copyJobs.start(scopeOf(ctx), {
        recoveryPointArn: requiredString(input, 'RecoveryPointArn'),
        sourceVaultName: requiredString(input, 'SourceBackupVaultName'),
        destinationVaultArn: requiredString(input, 'DestinationBackupVaultArn'),
        iamRoleArn: requiredString(input, 'IamRoleArn'),
        idempotencyToken: optionalString(input, 'IdempotencyToken'),
        lifecycle: lifecycleIn(input),
      });
      return { CopyJobId: started.copyJobId, CreationDate: started.creationDate, IsParent: false };
    },

    async DescribeCopyJob(ctx, input) {
      return { CopyJob: copyJobOut(await domain.copyJobs.describe(scopeOf(ctx), requiredString(input, 'CopyJobId'))) };
    },

    async ListCopyJobs(ctx, input) {
      const page = await domain.copyJobs.list(scopeOf(ctx), {
        ...listRequestOf(input),
        state: optionalString(input, 'ByState') as CopyJobState | undefined,
        resourceArn: optionalString(input, 'ByResourceArn'),
        resourceType: optionalString(input, 'ByResourceType'),
        destinationVaultArn: optionalString(input, 'ByDestinationVaultArn'),
        sourceRecoveryPointArn: optionalString(input, 'BySourceRecoveryPointArn'),
        parentJobId: optionalString(input, 'ByParentJobId'),
        accountId: optionalString(input, 'ByAccountId'),
        createdBefore: optionalDate(input, 'ByCreatedBefore'),
        createdAfter: optionalDate(input, 'ByCreatedAfter'),
        completeBefore: optionalDate(input, 'ByCompleteBefore'),
        completeAfter: optionalDate(input, 'ByCompleteAfter'),
        messageCategory: optionalString(input, 'ByMessageCategory'),
      });
      return { CopyJobs: page.items.map(copyJobOut), NextToken: page.nextToken };
    },
  };
}
