/**
 * A recovery point's state machine as pure functions, like the jobs' (job-transitions.ts):
 *
 *   CREATING -complete-> COMPLETED, -partial-> PARTIAL, -discard-> gone (its job did not finish)
 *   COMPLETED|AVAILABLE|PARTIAL|EXPIRED -delete-> DELETING (DeleteRecoveryPoint)
 *   COMPLETED|AVAILABLE|PARTIAL|STOPPED -lifecycleDelete-> DELETING (its DeleteAt came)
 *   DELETING -erase-> gone; -deletionFailed-> COMPLETED; -deletionWaits-> back where it was;
 *            -expire-> EXPIRED (lifecycle expiry could not delete it; it is not tried again)
 *   storage class WARM -moveToCold-> COLD (with its data moved, or only the class), then
 *            -forgetWarm- once the warm copy is forgotten
 * and steps that only say something or note a fact (coldMoveHeld, expiryHeld, restored,
 * setLifecycle), which leave the state as it is.
 */
import type { RecoveryPointState, StorageClass } from './job-states.js';
import { RECOVERY_POINT_STATES } from './job-states.js';
import { IllegalTransitionError } from './job-transitions.js';
import { calculateLifecycle } from './lifecycle.js';
import type { CalculatedLifecycle, Lifecycle } from './lifecycle.js';
import type { RecoveryPoint } from './recovery-point.js';

/** How a recovery point's StatusMessage about its move to cold storage begins (set while it waits or failed). */
export const COLD_MESSAGE = 'Move to cold storage';

export interface PointData {
  readonly snapshotId: string;
  readonly repositoryKeyId: string;
  readonly backupSizeBytes?: number | undefined;
  readonly restoreMetadata?: Readonly<Record<string, string>> | undefined;
}

export type PointStep =
  | ({ readonly type: 'complete' } & PointData)
  | ({ readonly type: 'partial' } & PointData)
  | { readonly type: 'discard' }
  | { readonly type: 'delete' }
  | { readonly type: 'lifecycleDelete' }
  | { readonly type: 'erase' }
  | { readonly type: 'deletionFailed'; readonly reason: string }
  /** The vault was busy: the point goes back to `back` (where it was) and expiry tries again later. */
  | { readonly type: 'deletionWaits'; readonly back: RecoveryPointState; readonly reason: string }
  | { readonly type: 'expire'; readonly reason: string }
  /** `moved`: where the data now lies (its cold location and snapshot); absent when only the class changes. */
  | { readonly type: 'moveToCold'; readonly moved?: { readonly location: string; readonly snapshotId: string } | undefined }
  | { readonly type: 'forgetWarm' }
  | { readonly type: 'coldMoveHeld'; readonly busy: boolean; readonly reason: string }
  | { readonly type: 'expiryHeld'; readonly holdIds: readonly string[] }
  | { readonly type: 'restored' }
  | { readonly type: 'setLifecycle'; readonly lifecycle: Lifecycle | undefined };

export type PointStepType = PointStep['type'];
export const POINT_STEP_TYPES: readonly PointStepType[] = [
  'complete',
  'partial',
  'discard',
  'delete',
  'lifecycleDelete',
  'erase',
  'deletionFailed',
  'deletionWaits',
  'expire',
  'moveToCold',
  'forgetWarm',
  'coldMoveHeld',
  'expiryHeld',
  'restored',
  'setLifecycle',
];

/** Absent members stay as they are; `null` clears one. */
export interface PointChange {
  readonly state?: RecoveryPointState;
  readonly statusMessage?: string | null;
  readonly storageClass?: StorageClass;
  readonly completedAt?: Date;
  readonly backupSizeBytes?: number;
  readonly snapshotId?: string;
  readonly repositoryKeyId?: string;
  readonly restoreMetadata?: Readonly<Record<string, string>>;
  readonly lastRestoreAt?: Date;
  readonly storageLocation?: string;
  readonly warmSnapshotId?: string | null;
  readonly lifecycle?: Lifecycle | null;
  readonly calculatedLifecycle?: CalculatedLifecycle;
}

export interface PointTransition {
  readonly step: PointStepType;
  readonly from: RecoveryPointState;
  /** `GONE`: the row is removed. */
  readonly to: RecoveryPointState | 'GONE';
  readonly change: PointChange;
  /** The write applies only while the point is in one of these. */
  readonly guard: { readonly states: readonly RecoveryPointState[] };
}

const ANY = RECOVERY_POINT_STATES;
/** States whose data is settled, so it can move to cold storage (a point still CREATING or DELETING waits). */
export const MOVABLE: readonly RecoveryPointState[] = ['COMPLETED', 'AVAILABLE', 'PARTIAL', 'STOPPED', 'EXPIRED'];
/** What lifecycle expiry deletes; an EXPIRED point (expiry failed before) is left for an operator. */
export const LIFECYCLE_DELETABLE: readonly RecoveryPointState[] = ['COMPLETED', 'AVAILABLE', 'PARTIAL', 'STOPPED'];
/** What DeleteRecoveryPoint deletes. */
export const DELETABLE: readonly RecoveryPointState[] = ['COMPLETED', 'AVAILABLE', 'PARTIAL', 'EXPIRED'];

export const POINT_LEGAL_FROM: { readonly [S in PointStepType]: readonly RecoveryPointState[] } = {
  complete: ['CREATING'],
  partial: ['CREATING'],
  discard: ['CREATING'],
  delete: DELETABLE,
  lifecycleDelete: LIFECYCLE_DELETABLE,
  erase: ['DELETING'],
  deletionFailed: ['DELETING'],
  deletionWaits: ['DELETING'],
  expire: ['DELETING'],
  moveToCold: ANY,
  forgetWarm: ANY,
  coldMoveHeld: ANY,
  expiryHeld: ANY,
  restored: ANY,
  setLifecycle: ANY,
};

/** What the transitions read of a point (`createdAt` only to set a lifecycle, which counts from it). */
export type PointView = Pick<RecoveryPoint, 'state' | 'storageClass' | 'statusMessage' | 'snapshotId' | 'warmSnapshotId'> & {
  readonly createdAt?: Date | undefined;
};

function illegal(point: PointView, step: string, reason: string): IllegalTransitionError {
  return new IllegalTransitionError('recovery point', step, point.state, reason);
}

function finished(state: RecoveryPointState, data: PointData, now: Date): PointChange {
  return {
    state,
    completedAt: now,
    snapshotId: data.snapshotId,
    repositoryKeyId: data.repositoryKeyId,
    ...(data.backupSizeBytes === undefined ? {} : { backupSizeBytes: data.backupSizeBytes }),
    ...(data.restoreMetadata === undefined ? {} : { restoreMetadata: data.restoreMetadata }),
  };
}

function decide(
  point: PointView,
  step: PointStep,
  now: Date,
): { readonly to: RecoveryPointState | 'GONE'; readonly change: PointChange; readonly states?: readonly RecoveryPointState[] } {
  const stays = (change: PointChange) => ({ to: point.state, change });
  switch (step.type) {
    case 'complete':
      return { to: 'COMPLETED', change: finished('COMPLETED', step, now) };
    case 'partial':
      return { to: 'PARTIAL', change: finished('PARTIAL', step, now) };
    case 'discard':
    case 'erase':
      return { to: 'GONE', change: {} };
    case 'delete':
    case 'lifecycleDelete':
      return { to: 'DELETING', change: { state: 'DELETING' } };
    case 'deletionFailed':
      return { to: 'COMPLETED', change: { state: 'COMPLETED', statusMessage: `Deletion failed: ${step.reason}` } };
    case 'deletionWaits':
      if (!LIFECYCLE_DELETABLE.includes(step.back)) throw illegal(point, step.type, `it can only go back to a state expiry deletes from, not ${step.back}`);
      return { to: step.back, change: { state: step.back, statusMessage: `Expiry waits for the vault to be free: ${step.reason}` } };
    case 'expire':
      return { to: 'EXPIRED', change: { state: 'EXPIRED', statusMessage: `Lifecycle expiry could not delete this recovery point: ${step.reason}` } };
    case 'moveToCold': {
      if (point.storageClass !== 'WARM') throw illegal(point, step.type, `its storage class is ${point.storageClass}, not WARM`);
      if (step.moved === undefined) return stays({ storageClass: 'COLD' });
      if (!MOVABLE.includes(point.state)) throw illegal(point, step.type, `its data moves only once settled (${MOVABLE.join(', ')})`);
      if (point.snapshotId === undefined) throw illegal(point, step.type, 'it has no snapshot to move');
      return {
        to: point.state,
        states: MOVABLE,
        change: {
          storageClass: 'COLD',
          storageLocation: step.moved.location,
          snapshotId: step.moved.snapshotId,
          warmSnapshotId: point.snapshotId,
          ...(point.statusMessage?.startsWith(COLD_MESSAGE) === true ? { statusMessage: null } : {}),
        },
      };
    }
    case 'forgetWarm':
      if (point.warmSnapshotId === undefined) throw illegal(point, step.type, 'it has no warm copy left to forget');
      return stays({ warmSnapshotId: null });
    case 'coldMoveHeld':
      return stays({
        statusMessage: step.busy
          ? `${COLD_MESSAGE} waits for the vault to be free: ${step.reason}`
          : `${COLD_MESSAGE} failed; its data stays in warm storage and the move is tried again: ${step.reason}`,
      });
    case 'expiryHeld':
      return stays({
        statusMessage: `Lifecycle expiry is suspended: the recovery point is under legal hold ${step.holdIds.join(', ')}; it is deleted once the hold is cancelled.`,
      });
    case 'restored':
      return stays({ lastRestoreAt: now });
    case 'setLifecycle':
      if (point.createdAt === undefined) throw new TypeError("setting a lifecycle needs the recovery point's creation date");
      return stays({ lifecycle: step.lifecycle ?? null, calculatedLifecycle: calculateLifecycle(point.createdAt, step.lifecycle) });
  }
}

export function isLegalPointStep(state: RecoveryPointState, step: PointStepType): boolean {
  return POINT_LEGAL_FROM[step].includes(state);
}

/** The transition `step` makes on `point` at `now`; throws IllegalTransitionError. */
export function transitionPoint(point: PointView, step: PointStep, now: Date): PointTransition {
  const from = POINT_LEGAL_FROM[step.type];
  if (!from.includes(point.state)) throw illegal(point, step.type, `only a recovery point that is ${from.join(' or ')} can`);
  const decided = decide(point, step, now);
  return { step: step.type, from: point.state, to: decided.to, change: decided.change, guard: { states: decided.states ?? from } };
}
