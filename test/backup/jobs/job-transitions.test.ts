/**
 * Every state x step x actor of every kind of job, against a table written here independently
 * of the code: legal ones give the expected state, change and guard; every other one throws
 * IllegalTransitionError. Pure functions, no I/O: the whole walk takes milliseconds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JOB_KINDS, JOB_STATES } from '../../../src/backup/jobs/job-states.js';
import type { JobKind, StateOf } from '../../../src/backup/jobs/job-states.js';
import {
  ACTORS,
  completionWindowStop,
  IllegalTransitionError,
  JOB_STEP_TYPES,
  STOPPED_BEFORE_START,
  STOPPING,
  stopBackupJob,
  transitionJob,
} from '../../../src/backup/jobs/job-transitions.js';
import type { Actor, JobStep, JobStepType } from '../../../src/backup/jobs/job-transitions.js';
import { COMPLETION_WINDOW_MESSAGE, START_WINDOW_MESSAGE } from '../../../src/backup/jobs/job-windows.js';

const NOW = new Date('2027-03-01T12:00:00Z');
const HOUR = 3_600_000;

const EXPECTED: Record<JobKind, Partial<Record<JobStepType, { from: string[]; to: string | 'same' }>>> = {
  backup: {
    start: { from: ['CREATED', 'PENDING'], to: 'RUNNING' },
    progress: { from: ['RUNNING', 'ABORTING'], to: 'same' },
    complete: { from: ['RUNNING'], to: 'COMPLETED' },
    fail: { from: ['CREATED', 'PENDING', 'RUNNING', 'ABORTING'], to: 'FAILED' },
    retry: { from: ['RUNNING'], to: 'CREATED' },
    expire: { from: ['CREATED', 'PENDING'], to: 'EXPIRED' },
    requestStop: { from: ['RUNNING'], to: 'ABORTING' },
    abort: { from: ['CREATED', 'PENDING', 'ABORTING'], to: 'ABORTED' },
  },
  restore: {
    start: { from: ['PENDING'], to: 'RUNNING' },
    progress: { from: ['RUNNING'], to: 'same' },
    complete: { from: ['RUNNING'], to: 'COMPLETED' },
    fail: { from: ['PENDING', 'RUNNING'], to: 'FAILED' },
  },
  copy: {
    start: { from: ['CREATED'], to: 'RUNNING' },
    progress: { from: ['RUNNING'], to: 'same' },
    complete: { from: ['RUNNING'], to: 'COMPLETED' },
    fail: { from: ['CREATED', 'RUNNING'], to: 'FAILED' },
  },
};

const WHO: Record<JobStepType, Actor[]> = {
  start: ['worker'],
  progress: ['worker'],
  complete: ['worker'],
  fail: ['worker'],
  retry: ['worker'],
  expire: ['worker', 'scheduler'],
  requestStop: ['scheduler', 'caller'],
  abort: ['worker', 'caller'],
};
const ENDS: ReadonlySet<JobStepType> = new Set(['complete', 'fail', 'retry', 'expire', 'abort']);

const STEPS: Record<JobStepType, JobStep> = {
  start: { type: 'start' },
  progress: { type: 'progress', bytesTransferred: 10, percentDone: 5 },
  complete: { type: 'complete', bytesTransferred: 100, backupSizeBytes: 200 },
  fail: { type: 'fail', statusMessage: 'it broke' },
  retry: { type: 'retry', failure: 'the vault is busy.' },
  expire: { type: 'expire' },
  requestStop: { type: 'requestStop', statusMessage: 'please stop' },
  abort: { type: 'abort', statusMessage: 'stopped' },
};

function job<K extends JobKind>(kind: K, state: StateOf<K>, windowOpen: boolean) {
  return { kind, state, statusMessage: undefined, attempts: 1, startBy: new Date(NOW.getTime() + (windowOpen ? 8 * HOUR : -HOUR)) };
}

test('every state x step x actor of every kind: legal exactly as the table says, with the right change and guard', () => {
  let legal = 0;
  let refused = 0;
  for (const kind of JOB_KINDS) {
    for (const state of JOB_STATES[kind] as readonly string[]) {
      for (const type of JOB_STEP_TYPES) {
        for (const by of ACTORS) {
          for (const windowOpen of [true, false]) {
            const expected = EXPECTED[kind][type];
            const timely = kind !== 'backup' || (type === 'expire' ? !windowOpen : type === 'start' || type === 'retry' ? windowOpen : true);
            const allowed = expected !== undefined && expected.from.includes(state) && WHO[type].includes(by) && timely;
            const attempt = () => transitionJob(job(kind, state as StateOf<typeof kind>, windowOpen), STEPS[type], by, NOW);
            const where = `${kind} ${state} -${type}-> by ${by} (window ${windowOpen ? 'open' : 'closed'})`;
            if (!allowed) {
              assert.throws(attempt, IllegalTransitionError, where);
              refused += 1;
              continue;
            }
            const t = attempt();
            legal += 1;
            assert.equal(t.from, state, where);
            assert.equal(t.to, expected.to === 'same' ? state : expected.to, where);
            assert.equal(t.change.state, expected.to === 'same' ? undefined : expected.to, where);
            assert.deepEqual([...t.guard.states], expected.from, `${where}: the guard is the step's legal states`);
            assert.equal(t.guard.holder, by === 'worker' ? 'claim' : type === 'expire' ? 'unclaimed' : 'any', where);
            assert.equal(t.letGo, ENDS.has(type), where);
            if (ENDS.has(type) && type !== 'retry') assert.deepEqual(t.change.completedAt, NOW, where);
          }
        }
      }
    }
  }
  assert.ok(legal > 30 && refused > 500, `${legal} legal, ${refused} refused`);
});

test('the changes say what happened: start, progress, completion, failure', () => {
  const running = { ...job('backup', 'RUNNING', true), attempts: 3 };
  assert.deepEqual(transitionJob(job('backup', 'CREATED', true), { type: 'start' }, 'worker', NOW).change, {
    state: 'RUNNING',
    startedAt: NOW,
    percentDone: 0,
  });
  assert.deepEqual(transitionJob(running, { type: 'progress', bytesTransferred: 7 }, 'worker', NOW).change, { bytesTransferred: 7 });
  const done = transitionJob(running, { type: 'complete', bytesTransferred: 5, backupSizeBytes: 9 }, 'worker', NOW).change;
  assert.deepEqual(done, {
    state: 'COMPLETED',
    completedAt: NOW,
    percentDone: 100,
    bytesTransferred: 5,
    backupSizeBytes: 9,
    statusMessage: 'Completed on attempt 3; the earlier attempts failed for a passing reason.',
    messageCategory: 'SUCCESS',
  });
  const warned = transitionJob(running, { type: 'complete', bytesTransferred: 5, warnings: ['a.', 'b.'] }, 'worker', NOW).change;
  assert.equal(warned.statusMessage, 'a. b.');
  const restored = transitionJob(
    { kind: 'restore', state: 'RUNNING', statusMessage: undefined, attempts: 2 },
    { type: 'complete', bytesTransferred: 1, resultArn: 'arn:x' },
    'worker',
    NOW,
  );
  assert.equal(restored.change.statusMessage, undefined, 'only a backup job mentions its attempts');
  assert.equal(restored.change.resultArn, 'arn:x');
});

test('a retry backs off within the start window, and waits for it to close when no attempt fits', () => {
  const running = { ...job('backup', 'RUNNING', true), attempts: 2 };
  const again = transitionJob(running, { type: 'retry', failure: 'Backup of X failed: busy.' }, 'worker', NOW);
  const at = new Date(NOW.getTime() + 10 * 60_000);
  assert.deepEqual(again.change, {
    state: 'CREATED',
    notBefore: at,
    statusMessage: `Attempt 2 failed: Backup of X failed: busy. Retrying at ${at.toISOString()}, within the start window.`,
  });
  const late = { ...running, startBy: new Date(NOW.getTime() + 5 * 60_000) };
  const last = transitionJob(late, { type: 'retry', failure: 'busy.' }, 'worker', NOW);
  assert.deepEqual(last.change, { state: 'CREATED', notBefore: new Date(late.startBy.getTime() + 1), statusMessage: 'Attempt 2 failed: busy.' });
  assert.throws(
    () => transitionJob({ ...running, startBy: undefined }, { type: 'retry', failure: 'x' }, 'worker', NOW),
    IllegalTransitionError,
    'an on-demand job without a window is not retried',
  );
});

test("expiry keeps the last failure after the window's message; a stopped job keeps the completion window's", () => {
  const waiting = { ...job('backup', 'CREATED', false), statusMessage: 'Attempt 1 failed: busy.' };
  assert.equal(transitionJob(waiting, { type: 'expire' }, 'scheduler', NOW).change.statusMessage, `${START_WINDOW_MESSAGE} Attempt 1 failed: busy.`);
  assert.equal(transitionJob(job('backup', 'PENDING', false), { type: 'expire' }, 'worker', NOW).change.statusMessage, START_WINDOW_MESSAGE);
  const windowStopped = { ...job('backup', 'ABORTING', true), statusMessage: COMPLETION_WINDOW_MESSAGE };
  assert.equal(
    transitionJob(windowStopped, { type: 'abort', statusMessage: 'Stopped by StopBackupJob.' }, 'worker', NOW).change.statusMessage,
    COMPLETION_WINDOW_MESSAGE,
  );
  const askedToStop = { ...job('backup', 'ABORTING', true), statusMessage: STOPPING };
  assert.equal(
    transitionJob(askedToStop, { type: 'abort', statusMessage: 'Stopped by StopBackupJob.' }, 'worker', NOW).change.statusMessage,
    'Stopped by StopBackupJob.',
  );
});

test('StopBackupJob and the completion window', () => {
  assert.deepEqual(stopBackupJob(job('backup', 'CREATED', true), NOW).change, {
    state: 'ABORTED',
    statusMessage: STOPPED_BEFORE_START,
    completedAt: NOW,
    messageCategory: 'ABORTED',
  });
  assert.deepEqual(stopBackupJob(job('backup', 'RUNNING', true), NOW).change, { state: 'ABORTING', statusMessage: STOPPING });
  for (const state of ['ABORTING', 'ABORTED', 'COMPLETED', 'FAILED', 'EXPIRED', 'PARTIAL'] as const) {
    assert.throws(() => stopBackupJob(job('backup', state, true), NOW), /only jobs in CREATED, PENDING, RUNNING can be stopped/);
  }
  const stop = completionWindowStop(job('backup', 'RUNNING', true), NOW);
  assert.deepEqual(stop.change, { state: 'ABORTING', statusMessage: COMPLETION_WINDOW_MESSAGE });
  assert.equal(stop.guard.holder, 'any', 'a running job is held by its worker; the stop is written anyway');
});
