/**
 * A recovery point's lifecycle as AWS Backup states it: days after creation (either optional),
 * and the dates they give.
 */

export interface Lifecycle {
  readonly deleteAfterDays?: number | undefined;
  readonly moveToColdStorageAfterDays?: number | undefined;
}

export interface CalculatedLifecycle {
  readonly deleteAt: Date | undefined;
  readonly moveToColdStorageAt: Date | undefined;
}

const DAY_MS = 86_400_000;

/** The dates a lifecycle gives a recovery point created at `createdAt`. */
export function calculateLifecycle(createdAt: Date, lifecycle: Lifecycle | undefined): CalculatedLifecycle {
  const at = (days: number | undefined): Date | undefined => (days === undefined ? undefined : new Date(createdAt.getTime() + days * DAY_MS));
  return { deleteAt: at(lifecycle?.deleteAfterDays), moveToColdStorageAt: at(lifecycle?.moveToColdStorageAfterDays) };
}
