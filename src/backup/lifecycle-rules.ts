/**
 * Lifecycles of jobs and recovery points, checked by the plan rules' checker (one set of rules
 * and messages). The dates a lifecycle gives are jobs/lifecycle.ts's.
 */
import { BackupError } from './backup-error.js';
import type { Lifecycle } from './jobs/lifecycle.js';
import { isLifecycleProblem } from './plan-lifecycle.js';

/** Refuses a job's or recovery point's lifecycle with the same rules and words as a plan rule's. */
export function checkLifecycle(lifecycle: Lifecycle | undefined): void {
  if (lifecycle === undefined) return;
  const problem = isLifecycleProblem(
    {
      ...(lifecycle.deleteAfterDays === undefined ? {} : { DeleteAfterDays: lifecycle.deleteAfterDays }),
      ...(lifecycle.moveToColdStorageAfterDays === undefined ? {} : { MoveToColdStorageAfterDays: lifecycle.moveToColdStorageAfterDays }),
    },
    false,
  );
  if (problem) throw new BackupError('InvalidLifecycle', problem.message, { context: problem.field ? `Lifecycle.${problem.field}` : 'Lifecycle' });
}
