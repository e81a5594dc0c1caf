/**
 * Backup, restore and copy jobs as the domain sees them: readonly records tagged by `kind` and
 * `state`, with Dates. How a worker holds a job (its lease) is the ledger's business and never
 * appears here.
 */
import type { JobKind, StateOf } from './job-states.js';
import type { Lifecycle } from './lifecycle.js';
import type { MessageCategory } from './message-category.js';

/** The plan version and rule that started a job (AWS's CreatedBy). */
export interface JobOrigin {
  readonly planId: string;
  readonly planArn: string;
  readonly planVersion: string;
  readonly ruleId: string;
  readonly ruleName: string | undefined;
  readonly planName?: string | undefined;
  /** The rule's ScheduleExpression and ScheduleExpressionTimezone when the job was made. */
  readonly ruleCron?: string | undefined;
  readonly ruleTimezone?: string | undefined;
}

interface JobBase<K extends JobKind> {
  readonly kind: K;
  readonly accountId: string;
  readonly region: string;
  readonly id: string;
  readonly state: StateOf<K>;
  readonly statusMessage: string | undefined;
  readonly percentDone: number | undefined;
  readonly bytesTransferred: number;
  readonly backupSizeBytes: number | undefined;
  readonly createdAt: Date;
  readonly startedAt: Date | undefined;
  readonly completedAt: Date | undefined;
  /** No worker takes the job before this time (the start of its window, or a retry's backoff). */
  readonly notBefore: Date;
  /** How many times a worker has taken it; more than one means a retry or a resumed job. */
  readonly attempts: number;
  readonly idempotencyToken: string | undefined;
  readonly createdBy: JobOrigin | undefined;
  readonly resourceArn: string;
  readonly resourceType: string;
  readonly iamRoleArn: string | undefined;
  /** Why it ended as it did (AWS's MessageCategory); undefined while it is active. */
  readonly messageCategory: MessageCategory | undefined;
  /** backup: the key protecting the recovery point it makes; copy: the destination point's. */
  readonly encryptionKeyArn: string | undefined;
}

export interface BackupJob extends JobBase<'backup'> {
  readonly vaultName: string;
  readonly vaultArn: string;
  readonly resourceName: string | undefined;
  /** Chosen when the job is made, so the caller learns it at once (as with AWS). */
  readonly recoveryPointArn: string | undefined;
  /** The end of the start window. */
  readonly startBy: Date | undefined;
  /** The end of the completion window. */
  readonly completeBy: Date | undefined;
  /** When it is expected to end (expected-completion.ts); undefined before it starts. */
  readonly expectedCompletionAt: Date | undefined;
  readonly scheduledAt: Date | undefined;
  readonly lifecycle: Lifecycle | undefined;
  readonly recoveryPointTags: Readonly<Record<string, string>> | undefined;
  readonly backupOptions: Readonly<Record<string, string>> | undefined;
  readonly parentJobId: string | undefined;
}

export interface RestoreJob extends JobBase<'restore'> {
  readonly recoveryPointArn: string;
  readonly vaultName: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly createdResourceArn: string | undefined;
  /** The creation date of the recovery point it restores. */
  readonly recoveryPointCreatedAt: Date | undefined;
}

export interface CopyJob extends JobBase<'copy'> {
  readonly sourceRecoveryPointArn: string;
  readonly sourceVaultArn: string;
  readonly destinationVaultArn: string;
  readonly destinationRecoveryPointArn: string | undefined;
  readonly lifecycle: Lifecycle | undefined;
  readonly parentJobId: string | undefined;
}

export type Job = BackupJob | RestoreJob | CopyJob;
export type JobOf<K extends JobKind> = { backup: BackupJob; restore: RestoreJob; copy: CopyJob }[K];

/** Where a job lives: its account, region and id. */
export interface JobRef<K extends JobKind = JobKind> {
  readonly kind: K;
  readonly accountId: string;
  readonly region: string;
  readonly id: string;
}

/** What a new job is made of; the ledger fills in the rest (no progress, no attempts). */
interface DraftBase<K extends JobKind> {
  readonly id: string;
  readonly state: StateOf<K>;
  readonly createdAt: Date;
  /** Default: createdAt. */
  readonly notBefore?: Date | undefined;
  readonly statusMessage?: string | undefined;
  readonly idempotencyToken?: string | undefined;
  readonly createdBy?: JobOrigin | undefined;
  readonly resourceArn: string;
  readonly resourceType: string;
  readonly iamRoleArn?: string | undefined;
  readonly encryptionKeyArn?: string | undefined;
}

export interface BackupJobDraft extends DraftBase<'backup'> {
  readonly vaultName: string;
  readonly vaultArn: string;
  readonly resourceName?: string | undefined;
  readonly recoveryPointArn?: string | undefined;
  readonly startBy?: Date | undefined;
  readonly completeBy?: Date | undefined;
  readonly scheduledAt?: Date | undefined;
  readonly lifecycle?: Lifecycle | undefined;
  readonly recoveryPointTags?: Readonly<Record<string, string>> | undefined;
  readonly backupOptions?: Readonly<Record<string, string>> | undefined;
  readonly parentJobId?: string | undefined;
}

export interface RestoreJobDraft extends DraftBase<'restore'> {
  readonly recoveryPointArn: string;
  readonly vaultName: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly recoveryPointCreatedAt?: Date | undefined;
}

export interface CopyJobDraft extends DraftBase<'copy'> {
  readonly sourceRecoveryPointArn: string;
  readonly sourceVaultArn: string;
  readonly destinationVaultArn: string;
  readonly lifecycle?: Lifecycle | undefined;
  readonly parentJobId?: string | undefined;
}

export type DraftOf<K extends JobKind> = { backup: BackupJobDraft; restore: RestoreJobDraft; copy: CopyJobDraft }[K];
