/**
 * A recovery point as the domain sees it: one restic snapshot a vault holds, with the lifecycle
 * AWS shows and what the engine needs to find the data again. Readonly, tagged by `state`, Dates.
 */
import type { RecoveryPointState, StorageClass } from './job-states.js';
import type { CalculatedLifecycle, Lifecycle } from './lifecycle.js';

export interface RecoveryPointOrigin {
  readonly planId: string;
  readonly planArn: string;
  readonly planVersion: string;
  readonly ruleId: string;
  readonly planName?: string | undefined;
  readonly ruleName?: string | undefined;
  readonly ruleCron?: string | undefined;
  readonly ruleTimezone?: string | undefined;
}

export interface RecoveryPoint {
  readonly accountId: string;
  readonly region: string;
  readonly arn: string;
  readonly id: string;
  readonly vaultName: string;
  readonly vaultArn: string;
  readonly resourceArn: string;
  readonly resourceType: string;
  readonly resourceName: string | undefined;
  readonly state: RecoveryPointState;
  readonly statusMessage: string | undefined;
  readonly storageClass: StorageClass;
  /** The creation date; a copy keeps its source's. */
  readonly createdAt: Date;
  readonly completedAt: Date | undefined;
  readonly lifecycle: Lifecycle | undefined;
  readonly calculatedLifecycle: CalculatedLifecycle;
  readonly encryptionKeyArn: string | undefined;
  readonly backupSizeBytes: number | undefined;
  readonly snapshotId: string | undefined;
  readonly repositoryKeyId: string | undefined;
  readonly sourceRecoveryPointArn: string | undefined;
  readonly sourceVaultArn: string | undefined;
  /** The backup or copy job that made it. */
  readonly jobId: string | undefined;
  readonly createdBy: RecoveryPointOrigin | undefined;
  readonly iamRoleArn: string | undefined;
  readonly restoreMetadata: Readonly<Record<string, string>> | undefined;
  readonly lastRestoreAt: Date | undefined;
  /** The vault directory (storage URL) whose `<key id>/repo/` holds the snapshot, when not the vault's own: a COLD point in its region's cold storage. */
  readonly storageLocation: string | undefined;
  /** A move to cold storage was recorded but this snapshot is still to be forgotten in the vault's warm repository. */
  readonly warmSnapshotId: string | undefined;
}

/** What a new recovery point is made of (always CREATING; its job completes it). */
export interface RecoveryPointDraft {
  readonly arn: string;
  readonly id: string;
  readonly vaultName: string;
  readonly vaultArn: string;
  readonly resourceArn: string;
  readonly resourceType: string;
  readonly resourceName?: string | undefined;
  readonly createdAt: Date;
  readonly lifecycle?: Lifecycle | undefined;
  readonly calculatedLifecycle?: CalculatedLifecycle | undefined;
  readonly encryptionKeyArn?: string | undefined;
  readonly sourceRecoveryPointArn?: string | undefined;
  readonly sourceVaultArn?: string | undefined;
  readonly jobId?: string | undefined;
  readonly createdBy?: RecoveryPointOrigin | undefined;
  readonly iamRoleArn?: string | undefined;
}

/** A resource with at least one recovery point, and its latest one. */
export interface ProtectedResource {
  readonly resourceArn: string;
  readonly resourceType: string;
  readonly resourceName: string | undefined;
  readonly lastBackupAt: Date;
  readonly lastRecoveryPointArn: string;
  readonly lastVaultArn: string;
}
