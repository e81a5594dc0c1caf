/**
 * StartRestoreJob, DescribeRestoreJob, ListRestoreJobs, GetRestoreJobMetadata and
 * PutRestoreValidationResult: wire to domain and back. A job a restore test started carries the
 * test's members (restore-testing/restore-validations.ts) next to the job's own.
 */
import type { BackupDomain } from '../../../backup/backup-domain.js';
import type { RestoreJob } from '../../../backup/jobs/job.js';
import type { RestoreJobState } from '../../../backup/jobs/job-states.js';
import type { RestoreJobTestRecord, ValidationStatus } from '../../../backup/restore-testing/restore-validations.js';
import type { CallScope } from '../../../backup/call-scope.js';
import type { OperationHandler } from '../../http-handler.js';
import { optionalDate, restoreJobOut } from './job-wire.js';
import { listRequestOf, optionalString, optionalStringMap, requiredString, scopeOf } from './wire-input.js';

function testMembers(test: RestoreJobTestRecord | undefined): Record<string, unknown> {
  if (test === undefined) return {};
  return {
    ...(test.planArn === undefined ? {} : { CreatedBy: { RestoreTestingPlanArn: test.planArn } }),
    ValidationStatus: test.validationStatus,
    ValidationStatusMessage: test.validationStatusMessage,
    DeletionStatus: test.deletionStatus,
    DeletionStatusMessage: test.deletionStatusMessage,
  };
}

export function restoreJobHandlers(domain: BackupDomain): Readonly<Record<string, OperationHandler>> {
  const withTests = async (scope: CallScope, jobs: readonly RestoreJob[]): Promise<Record<string, unknown>[]> => {
    const tests = await domain.restoreValidations.testsOf(
      scope,
      jobs.map((j) => j.id),
    );
    return jobs.map((job) => ({ ...restoreJobOut(job), ...testMembers(tests.get(job.id)) }));
  };
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
      const scope = scopeOf(ctx);
      const job = await domain.restoreJobs.describe(scope, requiredString(input, 'RestoreJobId'));
      return (await withTests(scope, [job]))[0];
    },

    async ListRestoreJobsByProtectedResource(ctx, input) {
      const page = await domain.restoreJobs.list(scopeOf(ctx), {
        ...listRequestOf(input),
        resourceArn: requiredString(input, 'ResourceArn'),
        state: optionalString(input, 'ByStatus') as RestoreJobState | undefined,
        recoveryPointCreatedAfter: optionalDate(input, 'ByRecoveryPointCreationDateAfter'),
        recoveryPointCreatedBefore: optionalDate(input, 'ByRecoveryPointCreationDateBefore'),
      });
      return { RestoreJobs: page.items.map(restoreJobOut), NextToken: page.nextToken };
    },

    async ListRestoreJobs(ctx, input) {
      const scope = scopeOf(ctx);
      const page = await domain.restoreJobs.list(scope, {
        ...listRequestOf(input),
        state: optionalString(input, 'ByStatus') as RestoreJobState | undefined,
        resourceType: optionalString(input, 'ByResourceType'),
        accountId: optionalString(input, 'ByAccountId'),
        createdBefore: optionalDate(input, 'ByCreatedBefore'),
        createdAfter: optionalDate(input, 'ByCreatedAfter'),
        completeBefore: optionalDate(input, 'ByCompleteBefore'),
        completeAfter: optionalDate(input, 'ByCompleteAfter'),
        parentJobId: optionalString(input, 'ByParentJobId'),
        restoreTestingPlanArn: optionalString(input, 'ByRestoreTestingPlanArn'),
      });
      return { RestoreJobs: await withTests(scope, page.items), NextToken: page.nextToken };
    },

    async GetRestoreJobMetadata(ctx, input) {
      const job = await domain.restoreJobs.describe(scopeOf(ctx), requiredString(input, 'RestoreJobId'));
      return { RestoreJobId: job.id, Metadata: job.metadata };
    },

    async PutRestoreValidationResult(ctx, input) {
      await domain.restoreValidations.put(
        scopeOf(ctx),
        requiredString(input, 'RestoreJobId'),
        requiredString(input, 'ValidationStatus') as ValidationStatus,
        optionalString(input, 'ValidationStatusMessage'),
      );
    },
  };
}
