/**
 * backup/jobs/: the job ledger, the one owner of backup, copy and restore jobs and of recovery
 * points. It holds the domain records (Dates, no lease fields), the pure transitions between
 * their states, the ledger that alone writes them (through the catalog, guarded), and the
 * events every applied transition yields. It knows AWS Backup's job rules; no HTTP, no SQL.
 *
 * This file: the states each kind of job and a recovery point can be in, as AWS names them.
 */

export type JobKind = 'backup' | 'restore' | 'copy';

export type BackupJobState = 'CREATED' | 'PENDING' | 'RUNNING' | 'ABORTING' | 'ABORTED' | 'COMPLETED' | 'FAILED' | 'EXPIRED' | 'PARTIAL';
export type RestoreJobState = 'PENDING' | 'RUNNING' | 'COMPLETED' | 'ABORTED' | 'FAILED';
export type CopyJobState = 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'PARTIAL';
export type StateOf<K extends JobKind> = { backup: BackupJobState; restore: RestoreJobState; copy: CopyJobState }[K];

export const JOB_KINDS: readonly JobKind[] = ['backup', 'restore', 'copy'];

/** Every state of each kind (the exhaustive transition test walks them all). */
export const JOB_STATES: { readonly [K in JobKind]: readonly StateOf<K>[] } = {
  backup: ['CREATED', 'PENDING', 'RUNNING', 'ABORTING', 'ABORTED', 'COMPLETED', 'FAILED', 'EXPIRED', 'PARTIAL'],
  restore: ['PENDING', 'RUNNING', 'COMPLETED', 'ABORTED', 'FAILED'],
  copy: ['CREATED', 'RUNNING', 'COMPLETED', 'FAILED', 'PARTIAL'],
};

/** Non-terminal states: a job in one of them still has work left (a worker may take it). */
export const ACTIVE_JOB_STATES: { readonly [K in JobKind]: readonly StateOf<K>[] } = {
  backup: ['CREATED', 'PENDING', 'RUNNING', 'ABORTING'],
  restore: ['PENDING', 'RUNNING'],
  copy: ['CREATED', 'RUNNING'],
};

export function isActive<K extends JobKind>(kind: K, state: StateOf<K>): boolean {
  return (ACTIVE_JOB_STATES[kind] as readonly string[]).includes(state);
}

export type RecoveryPointState = 'CREATING' | 'COMPLETED' | 'AVAILABLE' | 'PARTIAL' | 'STOPPED' | 'DELETING' | 'EXPIRED';
export type StorageClass = 'WARM' | 'COLD' | 'DELETED';

export const RECOVERY_POINT_STATES: readonly RecoveryPointState[] = ['CREATING', 'COMPLETED', 'AVAILABLE', 'PARTIAL', 'STOPPED', 'DELETING', 'EXPIRED'];
