/**
 * What the catalog keeps about backup, restore and copy jobs: the records, their inputs, and
 * which states a worker may still claim. The transitions themselves are the domain's; the
 * catalog only stores states and guards writes with compare-and-set.
 */
import type { Lifecycle } from './lifecycle.js';
import type { CatalogScope, EpochMillis } from './scope.js';

export type JobKind = 'backup' | 'restore' | 'copy';

export type BackupJobState = 'CREATED' | 'PENDING' | 'RUNNING' | 'ABORTING' | 'ABORTED' | 'COMPLETED' | 'FAILED' | 'EXPIRED' | 'PARTIAL';
export type RestoreJobState = 'PENDING' | 'RUNNING' | 'COMPLETED' | 'ABORTED' | 'FAILED';
export type CopyJobState = 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'PARTIAL';

/** Non-terminal states: a job in one of them has work left, so a worker may claim it. */
export const ACTIVE_JOB_STATES: { readonly [K in JobKind]: readonly StateOf<K>[] } = {
  backup: ['CREATED', 'PENDING', 'RUNNING', 'ABORTING'],
  restore: ['PENDING', 'RUNNING'],
  copy: ['CREATED', 'RUNNING'],
};

export type StateOf<K extends JobKind> = { backup: BackupJobState; restore: RestoreJobState; copy: CopyJobState }[K];

/** The plan version and rule that started a job (AWS's CreatedBy). */
export interface JobOrigin {
  readonly planId: string;
  readonly planArn: string;
  readonly planVersion: string;
  readonly ruleId: string;
  readonly ruleName: string | undefined;
  readonly planName?: string | undefined;
  readonly ruleCron?: string | undefined;
  readonly ruleTimezone?: string | undefined;
}

interface JobCommon<K extends JobKind> extends CatalogScope {
  readonly kind: K;
  readonly id: string;
  readonly state: StateOf<K>;
  readonly statusMessage: string | undefined;
  readonly percentDone: number | undefined;
  readonly bytesTransferred: number;
  readonly backupSizeBytes: number | undefined;
  readonly createdAt: EpochMillis;
  readonly startedAt: EpochMillis | undefined;
  readonly completedAt: EpochMillis | undefined;
  readonly updatedAt: EpochMillis;
  /** No worker takes the job before this time (start of its window, or a retry's backoff). */
  readonly notBefore: EpochMillis;
  /** How many times a worker has claimed it; more than one means resumed after a lost lease. */
  readonly attempts: number;
  readonly idempotencyToken: string | undefined;
  readonly leaseOwner: string | undefined;
  readonly leaseExpiresAt: EpochMillis | undefined;
  readonly createdBy: JobOrigin | undefined;
  readonly resourceArn: string;
  readonly resourceType: string;
  readonly iamRoleArn: string | undefined;
  /** Added by migration 0090: AWS's MessageCategory, set when the job ends (the domain decides it). */
  readonly messageCategory: string | undefined;
  /** Added by migration 0091: backup, the key protecting its recovery point; copy, the destination's. */
  readonly encryptionKeyArn: string | undefined;
}

export interface BackupJobRecord extends JobCommon<'backup'> {
  readonly vaultName: string;
  readonly vaultArn: string;
  readonly resourceName: string | undefined;
  readonly recoveryPointArn: string | undefined;
  readonly startBy: EpochMillis | undefined;
  readonly completeBy: EpochMillis | undefined;
  readonly scheduledAt: EpochMillis | undefined;
  readonly lifecycle: Lifecycle | undefined;
  readonly recoveryPointTags: Readonly<Record<string, string>> | undefined;
  readonly backupOptions: Readonly<Record<string, string>> | undefined;
  readonly parentJobId: string | undefined;
}

export interface RestoreJobRecord extends JobCommon<'restore'> {
  readonly recoveryPointArn: string;
  readonly vaultName: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly createdResourceArn: string | undefined;
  readonly recoveryPointCreatedAt: EpochMillis | undefined;
}

export interface CopyJobRecord extends JobCommon<'copy'> {
  readonly sourceRecoveryPointArn: string;
  readonly sourceVaultArn: string;
  readonly destinationVaultArn: string;
  readonly destinationRecoveryPointArn: string | undefined;
  readonly lifecycle: Lifecycle | undefined;
  readonly parentJobId: string | undefined;
}

export type JobRecord = BackupJobRecord | RestoreJobRecord | CopyJobRecord;
export type JobOfKind<K extends JobKind> = { backup: BackupJobRecord; restore: RestoreJobRecord; copy: CopyJobRecord }[K];

interface NewJobCommon<K extends JobKind> {
  readonly id: string;
  readonly state: StateOf<K>;
  readonly createdAt: EpochMillis;
  /** Default: createdAt. */
  readonly notBefore?: EpochMillis;
  readonly idempotencyToken?: string;
  readonly createdBy?: JobOrigin;
  readonly resourceArn: string;
  readonly resourceType: string;
  readonly iamRoleArn?: string;
  readonly statusMessage?: string;
  /** A job made already ended (FAILED at once) has its category from the start. */
  readonly messageCategory?: string;
  readonly encryptionKeyArn?: string;
}

export interface NewBackupJob extends NewJobCommon<'backup'> {
  readonly vaultName: string;
  /** Chosen when the job is made, so the caller learns it at once (as with AWS). */
  readonly recoveryPointArn?: string;
  readonly vaultArn: string;
  readonly resourceName?: string;
  readonly startBy?: EpochMillis;
  readonly completeBy?: EpochMillis;
  readonly scheduledAt?: EpochMillis;
  readonly lifecycle?: Lifecycle;
  readonly recoveryPointTags?: Readonly<Record<string, string>>;
  readonly backupOptions?: Readonly<Record<string, string>>;
  readonly parentJobId?: string;
}

export interface NewRestoreJob extends NewJobCommon<'restore'> {
  readonly recoveryPointArn: string;
  readonly vaultName: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly recoveryPointCreatedAt?: EpochMillis;
}

export interface NewCopyJob extends NewJobCommon<'copy'> {
  readonly sourceRecoveryPointArn: string;
  readonly sourceVaultArn: string;
  readonly destinationVaultArn: string;
  readonly lifecycle?: Lifecycle;
  readonly parentJobId?: string;
}

/**
 * A change to a job. Absent members stay as they are; `null` clears an optional one.
 * `releaseLease` drops the worker's lease (with a terminal state, say).
 */
export interface JobPatch<K extends JobKind> {
  readonly updatedAt: EpochMillis;
  readonly state?: StateOf<K>;
  readonly statusMessage?: string | null;
  readonly percentDone?: number | null;
  readonly bytesTransferred?: number;
  readonly backupSizeBytes?: number | null;
  readonly startedAt?: EpochMillis | null;
  readonly completedAt?: EpochMillis | null;
  readonly notBefore?: EpochMillis;
  readonly releaseLease?: boolean;
  /** backup: the recovery point it made; copy: the destination's; restore: the created resource. */
  readonly resultArn?: string | null;
  readonly messageCategory?: string;
  readonly encryptionKeyArn?: string;
}

/** Conditions for a write to apply: compare-and-set on state and/or the lease holder. */
export interface JobGuard<K extends JobKind> {
  readonly states?: readonly StateOf<K>[];
  readonly leaseOwner?: string;
  /** No live lease at this time (nobody holds the job). */
  readonly unleasedAt?: EpochMillis;
}

/** What the scheduler's window checks read of a backup job: enough to decide, little to carry. */
export interface BackupJobHead extends CatalogScope {
  readonly id: string;
  readonly state: BackupJobState;
  readonly statusMessage: string | undefined;
  readonly attempts: number;
  readonly startBy: EpochMillis | undefined;
  readonly resourceArn: string;
}

export interface JobFilter<K extends JobKind> {
  readonly state?: StateOf<K>;
  /** Any of these states (with `state`, both must hold). */
  readonly states?: readonly StateOf<K>[];
  readonly resourceArn?: string;
  readonly resourceType?: string;
  readonly createdAfter?: EpochMillis;
  readonly createdBefore?: EpochMillis;
  readonly completedAfter?: EpochMillis;
  readonly completedBefore?: EpochMillis;
  /** Exactly this stored category (the domain resolves AWS's spellings and ANY first). */
  readonly messageCategory?: string;
  /** restore jobs: the creation date of the point they restore, strictly after / before. */
  readonly recoveryPointCreatedAfter?: EpochMillis;
  readonly recoveryPointCreatedBefore?: EpochMillis;
  /** backup jobs */
  readonly vaultName?: string;
  /** backup and copy jobs */
  readonly parentJobId?: string;
  /** copy jobs */
  readonly destinationVaultArn?: string;
  readonly sourceRecoveryPointArn?: string;
  /** restore jobs: those a restore testing plan started (restore-job-tests.ts) */
  readonly restoreTestingPlanArn?: string;
}
