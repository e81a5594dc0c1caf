/**
 * A KMS key as the domain sees it (readonly, tagged by `state`), and its state machine as pure
 * functions: Enabled <-> Disabled, either -> PendingDeletion (7..30 days) -> Disabled on
 * cancel, or gone once the date passes. The key material is not part of this record.
 */
import { KmsError } from './kms-error.js';
import type { KeyUsage } from './key-specs.js';

export type KeyState = 'Enabled' | 'Disabled' | 'PendingDeletion' | 'PendingImport';
export type KeyManager = 'CUSTOMER' | 'AWS';
export type KeyOrigin = 'AWS_KMS' | 'EXTERNAL';

export interface KmsKey {
  readonly accountId: string;
  readonly region: string;
  readonly keyId: string;
  readonly arn: string;
  readonly description: string;
  readonly keyManager: KeyManager;
  /** A KeySpec of key-specs.ts. */
  readonly keySpec: string;
  readonly keyUsage: KeyUsage;
  readonly origin: KeyOrigin;
  readonly state: KeyState;
  /** The key policy as JSON text. */
  readonly policy: string;
  readonly createdAt: Date;
  readonly deletionDate: Date | undefined;
  readonly pendingWindowDays: number | undefined;
  readonly rotationEnabled: boolean;
  /** Set while automatic rotation is on. */
  readonly rotationPeriodDays: number | undefined;
  readonly nextRotationDate: Date | undefined;
  /** The material new ciphertexts use; undefined is the original. */
  readonly currentMaterialId: string | undefined;
  /** When imported material expires (ExpirationModel KEY_MATERIAL_EXPIRES). */
  readonly materialValidTo: Date | undefined;
}

export interface StateChange {
  readonly state: KeyState;
  readonly deletionDate: Date | null;
  readonly pendingWindowDays: number | null;
}

export const MIN_PENDING_DAYS = 7;
export const MAX_PENDING_DAYS = 30;
const DAY_MS = 86_400_000;

function pendingDeletion(key: KmsKey): KmsError {
  return new KmsError('InvalidState', `${key.arn} is pending deletion.`);
}

function awsManaged(key: KmsKey, what: string): KmsError {
  return new KmsError('UnsupportedOperation', `${key.arn} is an AWS managed key: ${what}`);
}

export function enableKey(key: KmsKey): StateChange {
  if (key.state === 'PendingDeletion') throw pendingDeletion(key);
  if (key.state === 'PendingImport') throw pendingImport(key);
  if (key.keyManager === 'AWS') throw awsManaged(key, 'its state cannot be changed.');
  return { state: 'Enabled', deletionDate: null, pendingWindowDays: null };
}

export function disableKey(key: KmsKey): StateChange {
  if (key.state === 'PendingDeletion') throw pendingDeletion(key);
  if (key.state === 'PendingImport') throw pendingImport(key);
  if (key.keyManager === 'AWS') throw awsManaged(key, 'it cannot be disabled.');
  return { state: 'Disabled', deletionDate: null, pendingWindowDays: null };
}

/** AWS's default window is 30 days. */
export function scheduleDeletion(key: KmsKey, days: number | undefined, now: Date): StateChange {
  const window = days ?? MAX_PENDING_DAYS;
  if (!Number.isInteger(window) || window < MIN_PENDING_DAYS || window > MAX_PENDING_DAYS) {
    throw new KmsError(
      'InvalidParameter',
      `1 validation error detected: Value '${window}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value between ${MIN_PENDING_DAYS} and ${MAX_PENDING_DAYS}`,
    );
  }
  if (key.state === 'PendingDeletion') throw pendingDeletion(key);
  if (key.keyManager === 'AWS') throw awsManaged(key, 'it cannot be deleted.');
  return { state: 'PendingDeletion', deletionDate: new Date(now.getTime() + window * DAY_MS), pendingWindowDays: window };
}

/** A cancelled deletion leaves the key Disabled, as in AWS (PendingImport when it has no material). */
export function cancelDeletion(key: KmsKey, hasMaterial = true): StateChange {
  if (key.state !== 'PendingDeletion') throw new KmsError('InvalidState', `${key.arn} is not pending deletion.`);
  return { state: hasMaterial ? 'Disabled' : 'PendingImport', deletionDate: null, pendingWindowDays: null };
}

/** Whether a key scheduled for deletion is past its date (it counts as deleted). */
export function isDue(key: KmsKey, now: Date): boolean {
  return key.state === 'PendingDeletion' && key.deletionDate !== undefined && key.deletionDate.getTime() <= now.getTime();
}

/** Cryptographic operations and grants need an Enabled key. */
export function checkUsable(key: KmsKey): void {
  if (key.state === 'Disabled') throw new KmsError('Disabled', `${key.arn} is disabled.`);
  if (key.state === 'PendingDeletion') throw pendingDeletion(key);
  if (key.state === 'PendingImport') throw pendingImport(key);
}

export function pendingImport(key: KmsKey): KmsError {
  return new KmsError('InvalidState', `${key.arn} is pending import: import its key material (GetParametersForImport, ImportKeyMaterial) first.`);
}

/** Changes to a key's settings (policy, tags, aliases) are refused while deletion is pending. */
export function checkNotPendingDeletion(key: KmsKey): void {
  if (key.state === 'PendingDeletion') throw pendingDeletion(key);
}
