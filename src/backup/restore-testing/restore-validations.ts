/**
 * What restore testing says about restore jobs: PutRestoreValidationResult (the caller's own
 * validation of a completed restore; for a restore test's job a final status ends its
 * validation window, so the scratch resource is deleted at the next tick), and the restore
 * testing members of DescribeRestoreJob / ListRestoreJobs (CreatedBy.RestoreTestingPlanArn,
 * ValidationStatus, DeletionStatus and their messages).
 */
import type { Catalog } from '../../catalog/catalog.js';
import type { RestoreJobTestRecord, ValidationStatus } from '../../catalog/restore-job-tests.js';
import { BackupError } from '../backup-error.js';
import type { CallScope } from '../call-scope.js';
import type { Clock } from '../clock.js';
import type { JobLedger } from '../jobs/job-ledger.js';
import { jobNotFound } from '../jobs/job-service.js';

export type { RestoreJobTestRecord, ValidationStatus } from '../../catalog/restore-job-tests.js';

export interface RestoreValidationService {
  put(scope: CallScope, restoreJobId: string, status: ValidationStatus, message: string | undefined): Promise<void>;
  /** The restore testing records of these jobs, by job id (jobs without one are absent). */
  testsOf(scope: CallScope, restoreJobIds: readonly string[]): Promise<ReadonlyMap<string, RestoreJobTestRecord>>;
}

export function createRestoreValidationService({ catalog, ledger, clock }: { catalog: Catalog; ledger: JobLedger; clock: Clock }): RestoreValidationService {
  return {
    async put(scope, restoreJobId, status, message) {
      const job = await ledger.job('restore', scope, restoreJobId);
      if (job === undefined) throw jobNotFound(scope, 'restore', restoreJobId);
      if (job.state !== 'COMPLETED') {
        throw new BackupError(
          'RestoreJobNotValidatable',
          `Restore job ${restoreJobId} is ${job.state}: a validation result can be put only for a COMPLETED restore job.`,
          { context: restoreJobId },
        );
      }
      const now = clock.now().getTime();
      const test = await catalog.restoreJobTests.get(scope, restoreJobId);
      const final = status !== 'VALIDATING';
      await catalog.restoreJobTests.update(scope, restoreJobId, {
        validationStatus: status,
        validationStatusMessage: message ?? null,
        updatedAt: now,
        // The caller's final word ends the validation window: the scratch resource goes now.
        ...(final && test?.planArn !== undefined && test.deletionStatus === undefined ? { deleteAt: now } : {}),
      });
    },

    async testsOf(scope, ids) {
      const tests = await catalog.restoreJobTests.getMany(scope, ids);
      return new Map(tests.map((t) => [t.restoreJobId, t]));
    },
  };
}
