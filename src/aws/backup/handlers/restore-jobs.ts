/** StartRestoreJob, DescribeRestoreJob, ListRestoreJobs: wire to domain and back. */
import type { BackupDomain } from '../../../backup/backup-domain.js';
import type { RestoreJobState } from '../../../backup/jobs/job-states.js';
import type { OperationHandler } from '../../http-handler.js';
import { optionalDate, restoreJobOut } from './job-wire.js';
import { listRequestOf, optionalString, optionalStringMap, requiredString, scopeOf } from './wire-input.js';

export function restoreJobHandlers(domain: BackupDomain): Readonly<Record<string, OperationHandler>> {
  return {
    async StartRestoreJob(ctx, input) {
      const id = await domain.restoreJobs.start(scopeOf(ctx), {
        recoveryPointArn: requiredString(input, 'RecoveryPointArn'),
        metadata: optionalStringMap(input, 'Metadata') ?? {},
        iamRoleArn: optionalString(input, 'IamRoleArn'),
        resourceType: optionalString(input, 'ResourceType'),
        idempotencyToken: optionalString(input, 'IdempotencyToken'),
      });
      return { RestoreJobId: id };
    },

    async DescribeRestoreJob(ctx, input) {
      return restoreJobOut(await domain.restoreJobs.describe(scopeOf(ctx), requiredString(input, 'RestoreJobId')));
    },

    async ListRestoreJobs(ctx, input) {
      const page = await domain.restoreJobs.list(scopeOf(ctx), {
        ...listRequestOf(input),
        state: optionalString(input, 'ByStatus') as RestoreJobState | undefined,
        resourceType: optionalString(input, 'ByResourceType'),
        accountId: optionalString(input, 'ByAccountId'),
        createdBefore: optionalDate(input, 'ByCreatedBefore'),
        createdAfter: optionalDate(input, 'ByCreatedAfter'),
        completeBefore: optionalDate(input, 'ByCompleteBefore'),
        completeAfter: optionalDate(input, 'ByCompleteAfter'),
        parentJobId: optionalString(input, 'ByParentJobId'),
      });
      return { RestoreJobs: page.items.map(restoreJobOut), NextToken: page.nextToken };
    },
  };
}
