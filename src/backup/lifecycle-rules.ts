/**
 * Lifecycles of jobs and recovery points: checked by the plan rules' checker (one set of rules
 * and messages), and the dates they give from a creation time.
 */
import type { CalculatedLifecycle } from '../catalog/recovery-points.js';
import type { Lifecycle } from '../catalog/lifecycle.js';
import type { EpochMillis } from '../catalog/scope.js';
import { BackupError } from './backup-error.js';
import { isLifecycleProblem } from './plan-lifecycle.js';

const DAY_MS = 86_400_000;

/** How a recovery point's StatusMessage about its move to cold storage begins (set while it waits or failed). */
export const COLD_MESSAGE = 'Move to cold storage';

/** Refuses a job's or recovery point's lifecycle with the same rules and words as a plan rule's. */
export function checkLifecycle(lifecycle: Lifecycle | undefined): void {
  if (lifecycle === undefined) return;
  const problem = isLifecycleProblem({
    ...(lifecycle.deleteAfterDays === undefined ? {} : { DeleteAfterDays: lifecycle.deleteAfterDays }),
    ...(lifecycle.moveToColdStorageAfterDays === undefined ? {} : { MoveToColdStorageAfterDays: lifecycle.moveToColdStorageAfterDays }),
  }, false);
  if (problem) throw new BackupError('InvalidLifecycle', problem.message, { context: problem.field ? `Lifecycle.${problem.field}` : 'Lifecycle' });
}

export function calculateLifecycle(createdAt: EpochMillis, lifecycle: Lifecycle | undefined): CalculatedLifecycle {
  const at = (days: number | undefined): EpochMillis | undefined => (days === undefined ? undefined : createdAt + days * DAY_MS);
  return { deleteAt: at(lifecycle?.deleteAfterDays), moveToColdStorageAt: at(lifecycle?.moveToColdStorageAfterDays) };
}
