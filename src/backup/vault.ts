/**
 * A backup vault as the domain hands it out: the catalog's record plus what is derived from it
 * (state, lock flags, how many recovery points it holds), times as Dates.
 */
import type { VaultRecord } from '../catalog/vaults.js';

export interface Vault {
  readonly name: string;
  readonly arn: string;
  readonly vaultType: string;
  /** Coffer creates vaults synchronously: they are AVAILABLE from the start. */
  readonly state: 'AVAILABLE';
  readonly encryptionKeyArn: string;
  readonly creationDate: Date;
  readonly creatorRequestId: string | undefined;
  readonly numberOfRecoveryPoints: number;
  readonly locked: boolean;
  readonly minRetentionDays: number | undefined;
  readonly maxRetentionDays: number | undefined;
  readonly lockDate: Date | undefined;
  /** Where the vault's bytes live (a storage URL). */
  readonly storageLocation: string | undefined;
}

/** What CreateBackupVault answers, first time and on an idempotent repeat alike. */
export interface CreatedVault {
  readonly name: string;
  readonly arn: string;
  readonly creationDate: Date;
}

export function toVault(record: VaultRecord, numberOfRecoveryPoints: number): Vault {
  return {
    name: record.name,
    arn: record.arn,
    vaultType: record.vaultType,
    state: 'AVAILABLE',
    encryptionKeyArn: record.encryptionKeyArn,
    creationDate: new Date(record.createdAt),
    creatorRequestId: record.creatorRequestId,
    numberOfRecoveryPoints,
    locked: record.lock !== undefined,
    minRetentionDays: record.lock?.minRetentionDays,
    maxRetentionDays: record.lock?.maxRetentionDays,
    lockDate: record.lock?.lockDate === undefined ? undefined : new Date(record.lock.lockDate),
    storageLocation: record.storageLocation,
  };
}

export function toCreatedVault(record: VaultRecord): CreatedVault {
  return { name: record.name, arn: record.arn, creationDate: new Date(record.createdAt) };
}
