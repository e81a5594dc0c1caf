/** StartBackupJob, DescribeBackupJob, ListBackupJobs, StopBackupJob: wire to domain and back. */
import type { BackupDomain } from '../../../backup/backup-domain.js';
import type { BackupJobState } from '../../../backup/jobs/job-states.js';
import type { OperationHandler } from '../../http-handler.js';
import { backupJobOut, lifecycleIn, optionalDate } from './job-wire.js';
import { listRequestOf, optionalInteger, optionalString, optionalStringMap, requiredString, scopeOf } from './wire-input.js';

export function backupJobHandlers(domain: BackupDomain): Readonly<Record<string, OperationHandler>> {
  return {
    async StartBackupJob(ctx, input) {
      const started = await domain.backupJobs.start(scopeOf(ctx), {
        vaultName: requiredString(input, 'BackupVaultName'),
        resourceArn: requiredString(input, 'ResourceArn'),
        iamRoleArn: requiredString(input, 'IamRoleArn'),
        idempotencyToken: optionalString(input, 'IdempotencyToken'),
        startWindowMinutes: optionalInteger(input, 'StartWindowMinutes'),
        completeWindowMinutes: optionalInteger(input, 'CompleteWindowMinutes'),
        lifecycle: lifecycleIn(input),
        recoveryPointTags: optionalStringMap(input, 'RecoveryPointTags'),
      });
      return { BackupJobId: started.backupJobId, RecoveryPointArn: started.recoveryPointArn, CreationDate: started.creationDate, IsParent: false };
    },

    async DescribeBackupJob(ctx, input) {
      return backupJobOut(await domain.backupJobs.describe(scopeOf(ctx), requiredString(input, 'BackupJobId')));
    },

    async ListBackupJobs(ctx, input) {
      const page = await domain.backupJobs.list(scopeOf(ctx), {
        ...listRequestOf(input),
        state: optionalString(input, 'ByState') as BackupJobState | undefined,
        vaultName: optionalString(input, 'ByBackupVaultName'),
        resourceArn: optionalString(input, 'ByResourceArn'),
        resourceType: optionalString(input, 'ByResourceType'),
        accountId: optionalString(input, 'ByAccountId'),
        createdBefore: optionalDate(input, 'ByCreatedBefore'),
        createdAfter: optionalDate(input, 'ByCreatedAfter'),
        completeBefore: optionalDate(input, 'ByCompleteBefore'),
        completeAfter: optionalDate(input, 'ByCompleteAfter'),
        parentJobId: optionalString(input, 'ByParentJobId'),
        messageCategory: optionalString(input, 'ByMessageCategory'),
      });
      return { BackupJobs: page.items.map(backupJobOut), NextToken: page.nextToken };
    },

    async StopBackupJob(ctx, input) {
      await domain.backupJobs.stop(scopeOf(ctx), requiredString(input, 'BackupJobId'));
    },
  };
}
