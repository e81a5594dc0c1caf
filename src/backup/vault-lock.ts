/**
 * Vault lock (Backup Vault Lock): a retention range [MinRetentionDays, MaxRetentionDays] that
 * every recovery point entering the vault must respect, and that stops deleting or shortening
 * the recovery points inside it. Governance mode (no ChangeableForDays) can be changed or removed
 * by the vault's account at any time; compliance mode (ChangeableForDays >= 3) fixes a LockDate,
 * after which the lock can be neither changed nor removed, and the vault cannot be deleted.
 *
 * This file holds the pure rules (shared with copy jobs and the backup runner) and the service
 * behind Put/DeleteBackupVaultLockConfiguration.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { CatalogScope, EpochMillis } from '../catalog/scope.js';
import type { VaultLock } from '../catalog/vaults.js';
import { arns } from '../iam/arn.js';
import { BackupError } from './backup-error.js';
import type { CallScope } from './call-scope.js';
import type { Clock } from './clock.js';
import { authorizeVaultAction } from './vault-authorization.js';
import { vaultNotFound } from './vaults.js';

/** A vault's lock as the catalog keeps it; `lockDate` is set only in compliance mode. */
export type VaultLockRecord = VaultLock;

/** ChangeableForDays below this is refused, as AWS does. */
export const MIN_CHANGEABLE_FOR_DAYS = 3;
const DAY_MS = 86_400_000;

/**
 * Why the lock refuses a recovery point kept `retentionDays` days (undefined: kept forever), or
 * undefined when it accepts it (or there is no lock). The range applies from the moment the lock
 * is put, in both modes; `now` only matters for wording whether the lock is still changeable.
 */
export function lockRefusal(lock: VaultLockRecord | undefined, retentionDays: number | undefined, now: number): string | undefined {
  if (lock === undefined) return undefined;
  const { minRetentionDays: min, maxRetentionDays: max } = lock;
  const kept = retentionDays === undefined ? 'kept indefinitely (no DeleteAfterDays)' : `kept ${retentionDays} days`;
  const range = rangeWording(lock);
  const mode = isLockImmutable(lock, now) ? 'a compliance-mode vault lock' : 'a vault lock';
  if (min !== undefined && retentionDays !== undefined && retentionDays < min) {
    return `The backup vault has ${mode} with ${range}: a recovery point ${kept} is shorter than MinRetentionDays ${min}. Set DeleteAfterDays to at least ${min}.`;
  }
  if (max !== undefined && (retentionDays === undefined || retentionDays > max)) {
    return `The backup vault has ${mode} with ${range}: a recovery point ${kept} exceeds MaxRetentionDays ${max}. Set DeleteAfterDays to at most ${max}.`;
  }
  return undefined;
}

/** The vault's lock, or undefined when the vault has none (or does not exist). */
export async function readVaultLock(catalog: Pick<Catalog, 'vaults'>, scope: CatalogScope, vaultName: string): Promise<VaultLockRecord | undefined> {
  return (await catalog.vaults.get(scope, vaultName))?.lock;
}

/** True once a compliance lock's LockDate has passed: no change, no removal, no vault deletion. */
export function isLockImmutable(lock: VaultLockRecord | undefined, now: EpochMillis): boolean {
  return lock?.lockDate !== undefined && now >= lock.lockDate;
}

/** Whole days between a creation time and a deletion time, rounded up (a partial day counts). */
export function retentionDaysBetween(createdAt: EpochMillis, deleteAt: EpochMillis | undefined): number | undefined {
  return deleteAt === undefined ? undefined : Math.ceil((deleteAt - createdAt) / DAY_MS);
}

function rangeWording(lock: VaultLockRecord): string {
  const parts = [
    lock.minRetentionDays === undefined ? undefined : `MinRetentionDays ${lock.minRetentionDays}`,
    lock.maxRetentionDays === undefined ? undefined : `MaxRetentionDays ${lock.maxRetentionDays}`,
  ].filter((p) => p !== undefined);
  return parts.length === 0 ? 'no retention range' : parts.join(' and ');
}

export interface VaultLockRequest {
  readonly minRetentionDays?: number | undefined;
  readonly maxRetentionDays?: number | undefined;
  readonly changeableForDays?: number | undefined;
}

export interface VaultLockService {
  /** PutBackupVaultLockConfiguration: sets or replaces the lock, unless it is already immutable. */
  put(scope: CallScope, vaultName: string, request: VaultLockRequest): Promise<void>;
  /** DeleteBackupVaultLockConfiguration: removes the lock, unless it is immutable; no lock is no error. */
  delete(scope: CallScope, vaultName: string): Promise<void>;
}

const MAX_DAYS = 36500;

function checkLockRequest(request: VaultLockRequest): void {
  const { minRetentionDays: min, maxRetentionDays: max, changeableForDays: changeable } = request;
  const bad = (member: string, message: string): never => {
    throw new BackupError('InvalidVaultLock', `${member} ${message}`, { context: member });
  };
  if (min !== undefined && (min < 1 || min > MAX_DAYS)) bad('MinRetentionDays', `is ${min}; it must be between 1 and ${MAX_DAYS}.`);
  if (max !== undefined && (max < 1 || max > MAX_DAYS)) bad('MaxRetentionDays', `is ${max}; it must be between 1 and ${MAX_DAYS}.`);
  if (min !== undefined && max !== undefined && min > max)
    bad('MinRetentionDays', `(${min}) is greater than MaxRetentionDays (${max}); give a range with MinRetentionDays <= MaxRetentionDays.`);
  if (changeable !== undefined && (changeable < MIN_CHANGEABLE_FOR_DAYS || changeable > MAX_DAYS)) {
    bad(
      'ChangeableForDays',
      `is ${changeable}; it must be at least ${MIN_CHANGEABLE_FOR_DAYS} (and at most ${MAX_DAYS}), or left out for a lock in governance mode that can be removed at any time.`,
    );
  }
}

function immutableError(vaultName: string, lock: VaultLockRecord, operation: string): BackupError {
  return new BackupError(
    'VaultLocked',
    `${operation} is refused: the vault lock of backup vault ${vaultName} is in compliance mode and became immutable on ${new Date(lock.lockDate!).toISOString()} (its LockDate). It can no longer be changed or deleted, by anyone.`,
    { context: vaultName },
  );
}

export function createVaultLockService({ catalog, clock }: { readonly catalog: Pick<Catalog, 'vaults'>; readonly clock: Clock }): VaultLockService {
  const lockedVault = async (scope: CallScope, vaultName: string, action: string, operation: string) => {
    const vault = await authorizeVaultAction(catalog, scope, { ...scope, name: vaultName }, action, arns.backupVault(scope, vaultName));
    if (isLockImmutable(vault.lock, clock.now().getTime())) throw immutableError(vaultName, vault.lock!, operation);
    return vault;
  };
  return {
    async put(scope, vaultName, request) {
      checkLockRequest(request);
      await lockedVault(scope, vaultName, 'backup:PutBackupVaultLockConfiguration', 'PutBackupVaultLockConfiguration');
      const now = clock.now().getTime();
      const lock: VaultLockRecord = {
        minRetentionDays: request.minRetentionDays,
        maxRetentionDays: request.maxRetentionDays,
        changeableForDays: request.changeableForDays,
        lockDate: request.changeableForDays === undefined ? undefined : now + request.changeableForDays * DAY_MS,
      };
      if ((await catalog.vaults.setLock(scope, vaultName, lock)) === undefined) throw vaultNotFound(scope, vaultName);
    },
    async delete(scope, vaultName) {
      await lockedVault(scope, vaultName, 'backup:DeleteBackupVaultLockConfiguration', 'DeleteBackupVaultLockConfiguration');
      if ((await catalog.vaults.setLock(scope, vaultName, undefined)) === undefined) throw vaultNotFound(scope, vaultName);
    },
  };
}
