/**
 * Every state x step of a recovery point (and each storage class and warm-copy case), against a
 * table written here: legal ones give the expected state and guard, the rest throw.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RECOVERY_POINT_STATES } from '../../../src/backup/jobs/job-states.js';
import type { RecoveryPointState, StorageClass } from '../../../src/backup/jobs/job-states.js';
import { IllegalTransitionError } from '../../../src/backup/jobs/job-transitions.js';
import { COLD_MESSAGE, POINT_STEP_TYPES, transitionPoint } from '../../../src/backup/jobs/recovery-point-transitions.js';
import type { PointStep, PointStepType } from '../../../src/backup/jobs/recovery-point-transitions.js';

const NOW = new Date('2027-03-01T12:00:00Z');
const CREATED = new Date('2027-01-01T00:00:00Z');
const ALL = [...RECOVERY_POINT_STATES];
const SETTLED = ['COMPLETED', 'AVAILABLE', 'PARTIAL', 'STOPPED', 'EXPIRED'];

const EXPECTED: Record<PointStepType, { from: string[]; to: string | 'same' }> = {
  complete: { from: ['CREATING'], to: 'COMPLETED' },
  partial: { from: ['CREATING'], to: 'PARTIAL' },
  discard: { from: ['CREATING'], to: 'GONE' },
  delete: { from: ['COMPLETED', 'AVAILABLE', 'PARTIAL', 'EXPIRED'], to: 'DELETING' },
  lifecycleDelete: { from: ['COMPLETED', 'AVAILABLE', 'PARTIAL', 'STOPPED'], to: 'DELETING' },
  erase: { from: ['DELETING'], to: 'GONE' },
  deletionFailed: { from: ['DELETING'], to: 'COMPLETED' },
  deletionWaits: { from: ['DELETING'], to: 'COMPLETED' },
  expire: { from: ['DELETING'], to: 'EXPIRED' },
  moveToCold: { from: ALL, to: 'same' },
  forgetWarm: { from: ALL, to: 'same' },
  coldMoveHeld: { from: ALL, to: 'same' },
  expiryHeld: { from: ALL, to: 'same' },
  restored: { from: ALL, to: 'same' },
  setLifecycle: { from: ALL, to: 'same' },
};

const data = { snapshotId: 's-1', repositoryKeyId: 'k-1', backupSizeBytes: 10 };
const STEPS: Record<PointStepType, PointStep[]> = {
  complete: [{ type: 'complete', ...data }],
  partial: [{ type: 'partial', ...data }],
  discard: [{ type: 'discard' }],
  delete: [{ type: 'delete' }],
  lifecycleDelete: [{ type: 'lifecycleDelete' }],
  erase: [{ type: 'erase' }],
  deletionFailed: [{ type: 'deletionFailed', reason: 'disk full' }],
  deletionWaits: [{ type: 'deletionWaits', back: 'COMPLETED', reason: 'locked' }],
  expire: [{ type: 'expire', reason: 'disk full' }],
  moveToCold: [{ type: 'moveToCold' }, { type: 'moveToCold', moved: { location: 'file:/cold/a/v/', snapshotId: 's-2' } }],
  forgetWarm: [{ type: 'forgetWarm' }],
  coldMoveHeld: [{ type: 'coldMoveHeld', busy: true, reason: 'locked' }],
  expiryHeld: [{ type: 'expiryHeld', holdIds: ['h-1'] }],
  restored: [{ type: 'restored' }],
  setLifecycle: [{ type: 'setLifecycle', lifecycle: { deleteAfterDays: 10 } }],
};

function point(state: RecoveryPointState, storageClass: StorageClass, warm: boolean, snapshot: boolean) {
  return {
    state,
    storageClass,
    statusMessage: undefined,
    snapshotId: snapshot ? 's-1' : undefined,
    warmSnapshotId: warm ? 's-0' : undefined,
    createdAt: CREATED,
  };
}

test('every state x step x storage class x warm copy: legal exactly as the table says', () => {
  let legal = 0;
  let refused = 0;
  for (const state of RECOVERY_POINT_STATES) {
    for (const type of POINT_STEP_TYPES) {
      for (const step of STEPS[type]) {
        for (const storageClass of ['WARM', 'COLD'] as const) {
          for (const warm of [false, true]) {
            for (const snapshot of [false, true]) {
              const p = point(state, storageClass, warm, snapshot);
              const moved = step.type === 'moveToCold' && step.moved !== undefined;
              const conditions =
                step.type === 'moveToCold'
                  ? storageClass === 'WARM' && (!moved || (SETTLED.includes(state) && snapshot))
                  : step.type === 'forgetWarm'
                    ? warm
                    : true;
              const allowed = EXPECTED[type].from.includes(state) && conditions;
              const where = `${state}/${storageClass}${warm ? '/warm pending' : ''} -${type}${moved ? ' (data)' : ''}->`;
              if (!allowed) {
                assert.throws(() => transitionPoint(p, step, NOW), IllegalTransitionError, where);
                refused += 1;
                continue;
              }
              const t = transitionPoint(p, step, NOW);
              legal += 1;
              assert.equal(t.to, EXPECTED[type].to === 'same' ? state : EXPECTED[type].to, where);
              assert.ok(t.guard.states.includes(state), `${where}: the guard holds the state it was decided on`);
              assert.deepEqual([...t.guard.states], moved ? SETTLED : EXPECTED[type].from, where);
            }
          }
        }
      }
    }
  }
  assert.ok(legal > 100 && refused > 100, `${legal} legal, ${refused} refused`);
});

test('the changes: completion, a move to cold storage, messages, lifecycle', () => {
  assert.deepEqual(transitionPoint(point('CREATING', 'WARM', false, false), { type: 'complete', ...data, restoreMetadata: { a: 'b' } }, NOW).change, {
    state: 'COMPLETED',
    completedAt: NOW,
    snapshotId: 's-1',
    repositoryKeyId: 'k-1',
    backupSizeBytes: 10,
    restoreMetadata: { a: 'b' },
  });
  const waiting = { ...point('COMPLETED', 'WARM', false, true), statusMessage: `${COLD_MESSAGE} waits for the vault to be free: locked` };
  assert.deepEqual(transitionPoint(waiting, { type: 'moveToCold', moved: { location: 'file:/cold/', snapshotId: 's-2' } }, NOW).change, {
    storageClass: 'COLD',
    storageLocation: 'file:/cold/',
    snapshotId: 's-2',
    warmSnapshotId: 's-1',
    statusMessage: null,
  });
  assert.deepEqual(transitionPoint(point('CREATING', 'WARM', false, false), { type: 'moveToCold' }, NOW).change, { storageClass: 'COLD' });
  assert.deepEqual(transitionPoint(point('DELETING', 'WARM', false, true), { type: 'deletionWaits', back: 'PARTIAL', reason: 'locked' }, NOW), {
    step: 'deletionWaits',
    from: 'DELETING',
    to: 'PARTIAL',
    change: { state: 'PARTIAL', statusMessage: 'Expiry waits for the vault to be free: locked' },
    guard: { states: ['DELETING'] },
  });
  assert.throws(
    () => transitionPoint(point('DELETING', 'WARM', false, true), { type: 'deletionWaits', back: 'EXPIRED', reason: 'x' }, NOW),
    IllegalTransitionError,
  );
  assert.match(
    transitionPoint(point('COMPLETED', 'WARM', false, true), { type: 'expiryHeld', holdIds: ['h-1', 'h-2'] }, NOW).change.statusMessage ?? '',
    /legal hold h-1, h-2/,
  );
  assert.deepEqual(transitionPoint(point('COMPLETED', 'WARM', false, true), { type: 'setLifecycle', lifecycle: { deleteAfterDays: 10 } }, NOW).change, {
    lifecycle: { deleteAfterDays: 10 },
    calculatedLifecycle: { deleteAt: new Date(CREATED.getTime() + 10 * 86_400_000), moveToColdStorageAt: undefined },
  });
  assert.deepEqual(transitionPoint(point('COMPLETED', 'WARM', false, true), { type: 'restored' }, NOW).change, { lastRestoreAt: NOW });
});
