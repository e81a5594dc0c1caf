/**
 * AWS Backup's lifecycle rules: DeleteAfterDays in 1..36500; with both members set, deletion
 * at least 90 days after the move to cold storage. And the dates they give from a creation time.
 */
import type { CalculatedLifecycle } from '../catalog/recovery-points.js';
import type { Lifecycle } from '../catalog/lifecycle.js';
import type { EpochMillis } from '../catalog/scope.js';
import { BackupError } from './backup-error.js';

const DAY_MS = 86_400_000;

export function checkLifecycle(lifecycle: Lifecycle | undefined): void {
  if (lifecycle === undefined) return;
  const { deleteAfterDays: del, moveToColdStorageAfterDays: cold } = lifecycle;
  const invalid = (why: string): BackupError => new BackupError('InvalidLifecycle', `Invalid lifecycle: ${why}`, { context: 'Lifecycle' });
  if (del !== undefined && (del < 1 || del > 36500)) throw invalid(`DeleteAfterDays must be between 1 and 36500, got ${del}.`);
  if (cold !== undefined && (cold < 1 || cold > 36500)) throw invalid(`MoveToColdStorageAfterDays must be between 1 and 36500, got ${cold}.`);
  if (del !== undefined && cold !== undefined && del < cold + 90) {
    throw invalid(`DeleteAfterDays (${del}) must be at least 90 days more than MoveToColdStorageAfterDays (${cold}); recovery points stay in cold storage for 90 days or more.`);
  }
}

export function calculateLifecycle(createdAt: EpochMillis, lifecycle: Lifecycle | undefined): CalculatedLifecycle {
  const at = (days: number | undefined): EpochMillis | undefined => (days === undefined ? undefined : createdAt + days * DAY_MS);
  return { deleteAt: at(lifecycle?.deleteAfterDays), moveToColdStorageAt: at(lifecycle?.moveToColdStorageAfterDays) };
}
