/**
 * A job's state machine as pure functions: given a job, a step and who takes it, the change to
 * write and the guard under which it may be written (the states it must still be in, and who may
 * hold it meanwhile), or an IllegalTransitionError. Nothing here reads or writes; the ledger
 * applies what these decide.
 *
 *   backup:  CREATED|PENDING -start-> RUNNING -complete-> COMPLETED
 *            RUNNING -retry-> CREATED (later, within the start window)
 *            CREATED|PENDING -expire-> EXPIRED (start window closed)
 *            RUNNING -requestStop-> ABORTING -abort-> ABORTED; CREATED|PENDING -abort-> ABORTED
 *            any active -fail-> FAILED
 *   restore: PENDING -start-> RUNNING -complete-> COMPLETED; PENDING|RUNNING -fail-> FAILED
 *   copy:    CREATED -start-> RUNNING -complete-> COMPLETED; CREATED|RUNNING -fail-> FAILED
 * and `progress` leaves a running job's state as it is.
 */
import type { JobKind, StateOf } from './job-states.js';
import { COMPLETION_WINDOW_MESSAGE, retryDelayMs, START_WINDOW_MESSAGE } from './job-windows.js';
import { messageCategoryOf } from './message-category.js';
import type { MessageCategory } from './message-category.js';

/** An object of a bucket a job left out while the rest went on: its key, and why in a user's words. */
export interface ObjectFailure {
  readonly key: string;
  readonly reason: string;
}

export type JobStep =
  /** `encryptionKeyArn`: the key the job's result is protected by, as resolved when it starts. */
  | { readonly type: 'start'; readonly encryptionKeyArn?: string | undefined }
  | { readonly type: 'progress'; readonly bytesTransferred?: number | undefined; readonly percentDone?: number | undefined }
  | {
      readonly type: 'complete';
      readonly bytesTransferred: number;
      readonly backupSizeBytes?: number | undefined;
      /** What the job wants the caller to know although it succeeded. */
      readonly warnings?: readonly string[] | undefined;
      /** restore: the created resource; copy: the destination recovery point. */
      readonly resultArn?: string | undefined;
      /** copy: the key protecting the destination recovery point. */
      readonly encryptionKeyArn?: string | undefined;
      /** Objects of a bucket left out one by one (the warnings say so too); each becomes a vault event. */
      readonly objectFailures?: readonly ObjectFailure[] | undefined;
    }
  | { readonly type: 'fail'; readonly statusMessage: string }
  /** A passing failure: the job is tried again later in its start window (or waits for it to close). */
  | { readonly type: 'retry'; readonly failure: string }
  | { readonly type: 'expire' }
  | { readonly type: 'requestStop'; readonly statusMessage: string }
  | { readonly type: 'abort'; readonly statusMessage: string };

export type JobStepType = JobStep['type'];
export const JOB_STEP_TYPES: readonly JobStepType[] = ['start', 'progress', 'complete', 'fail', 'retry', 'expire', 'requestStop', 'abort'];

/** Who takes a step: the worker holding the job, the scheduler enforcing windows, or an API caller. */
export type Actor = 'worker' | 'scheduler' | 'caller';
export const ACTORS: readonly Actor[] = ['worker', 'scheduler', 'caller'];

/**
 * Who may hold the job while the change is written: only the worker's own claim (a worker's
 * step; another worker that took over fences it out), nobody (the scheduler expires only jobs
 * no worker has taken), or anyone (a stop asked for while a worker runs the job).
 */
export type Holder = 'claim' | 'unclaimed' | 'any';

/** Absent members stay as they are; `null` clears one. */
export interface JobChange<K extends JobKind> {
  readonly state?: StateOf<K>;
  readonly statusMessage?: string | null;
  readonly percentDone?: number;
  readonly bytesTransferred?: number;
  readonly backupSizeBytes?: number;
  readonly startedAt?: Date;
  readonly completedAt?: Date;
  readonly notBefore?: Date;
  readonly resultArn?: string;
  /** Set when the job ends (message-category.ts). */
  readonly messageCategory?: MessageCategory;
  readonly encryptionKeyArn?: string;
}

export interface JobGuard<K extends JobKind> {
  /** The write applies only while the job is in one of these (compare-and-set). */
  readonly states: readonly StateOf<K>[];
  readonly holder: Holder;
}

export interface JobTransition<K extends JobKind> {
  readonly kind: K;
  readonly step: JobStepType;
  readonly by: Actor;
  readonly from: StateOf<K>;
  readonly to: StateOf<K>;
  readonly change: JobChange<K>;
  readonly guard: JobGuard<K>;
  /** The worker lets go of the job: it ended, or waits for a retry another worker may take. */
  readonly letGo: boolean;
}

export class IllegalTransitionError extends Error {
  constructor(
    readonly kind: JobKind | 'recovery point',
    readonly step: string,
    readonly state: string,
    reason: string,
  ) {
    super(`${kind === 'recovery point' ? 'a recovery point' : `a ${kind} job`} that is ${state} cannot ${step}: ${reason}`);
    this.name = 'IllegalTransitionError';
  }
}

/** The states each step may start from, per kind; a step a kind does not list is not one of its steps. */
export const LEGAL_FROM: { readonly [K in JobKind]: { readonly [S in JobStepType]?: readonly StateOf<K>[] } } = {
  backup: {
    start: ['CREATED', 'PENDING'],
    progress: ['RUNNING', 'ABORTING'],
    complete: ['RUNNING'],
    fail: ['CREATED', 'PENDING', 'RUNNING', 'ABORTING'],
    retry: ['RUNNING'],
    expire: ['CREATED', 'PENDING'],
    requestStop: ['RUNNING'],
    abort: ['CREATED', 'PENDING', 'ABORTING'],
  },
  restore: { start: ['PENDING'], progress: ['RUNNING'], complete: ['RUNNING'], fail: ['PENDING', 'RUNNING'] },
  copy: { start: ['CREATED'], progress: ['RUNNING'], complete: ['RUNNING'], fail: ['CREATED', 'RUNNING'] },
};

/** Who may take each step. */
export const STEP_ACTORS: { readonly [S in JobStepType]: readonly Actor[] } = {
  start: ['worker'],
  progress: ['worker'],
  complete: ['worker'],
  fail: ['worker'],
  retry: ['worker'],
  expire: ['worker', 'scheduler'],
  requestStop: ['scheduler', 'caller'],
  abort: ['worker', 'caller'],
};

/** Whether the job's start window has closed at `now` (then it can only expire). */
export function startWindowClosed(job: { readonly startBy?: Date | undefined }, now: Date): boolean {
  return job.startBy !== undefined && now.getTime() >= job.startBy.getTime();
}

type Decided<K extends JobKind> = Pick<JobTransition<K>, 'to' | 'change'> & { readonly letGo?: boolean };
/** What the transitions read of a job (a full record fits, and so does what a bulk query returns). */
export interface JobView<K extends JobKind> {
  readonly kind: K;
  readonly state: StateOf<K>;
  readonly statusMessage: string | undefined;
  readonly attempts: number;
  readonly startBy?: Date | undefined;
}

function illegal(job: JobView<JobKind>, step: string, reason: string): IllegalTransitionError {
  return new IllegalTransitionError(job.kind, step, job.state, reason);
}

function completionMessage(job: JobView<JobKind>, warnings: readonly string[] | undefined): string | undefined {
  if (warnings !== undefined && warnings.length > 0) return warnings.join(' ');
  if (job.kind === 'backup' && job.attempts > 1) return `Completed on attempt ${job.attempts}; the earlier attempts failed for a passing reason.`;
  return undefined;
}

function decide<K extends JobKind>(job: JobView<K>, step: JobStep, now: Date): Decided<K> {
  const ended = (to: StateOf<K>, statusMessage: string): Decided<K> => ({
    to,
    change: { state: to, statusMessage, completedAt: now, messageCategory: messageCategoryOf<K>(to, statusMessage) },
    letGo: true,
  });
  switch (step.type) {
    case 'start':
      if (job.kind === 'backup' && startWindowClosed(job, now)) throw illegal(job, step.type, 'its start window has closed (it expires instead)');
      return {
        to: 'RUNNING' as StateOf<K>,
        change: {
          state: 'RUNNING' as StateOf<K>,
          startedAt: now,
          percentDone: 0,
          ...(step.encryptionKeyArn === undefined ? {} : { encryptionKeyArn: step.encryptionKeyArn }),
        },
      };
    case 'progress':
      return {
        to: job.state,
        change: {
          ...(step.bytesTransferred === undefined ? {} : { bytesTransferred: step.bytesTransferred }),
          ...(step.percentDone === undefined ? {} : { percentDone: step.percentDone }),
        },
      };
    case 'complete': {
      const statusMessage = completionMessage(job, step.warnings);
      return {
        to: 'COMPLETED' as StateOf<K>,
        letGo: true,
        change: {
          state: 'COMPLETED' as StateOf<K>,
          completedAt: now,
          percentDone: 100,
          bytesTransferred: step.bytesTransferred,
          ...(step.backupSizeBytes === undefined ? {} : { backupSizeBytes: step.backupSizeBytes }),
          ...(statusMessage === undefined ? {} : { statusMessage }),
          ...(step.resultArn === undefined ? {} : { resultArn: step.resultArn }),
          ...(step.encryptionKeyArn === undefined ? {} : { encryptionKeyArn: step.encryptionKeyArn }),
          messageCategory: messageCategoryOf<K>('COMPLETED' as StateOf<K>, statusMessage),
        },
      };
    }
    case 'fail':
      return ended('FAILED' as StateOf<K>, step.statusMessage);
    case 'retry': {
      if (job.startBy === undefined || now.getTime() >= job.startBy.getTime())
        throw illegal(job, step.type, 'only a job with an open start window is tried again');
      // AWS retries passing failures until the start window closes; when no attempt fits any
      // more, the job waits for the window to close and then expires.
      const retryAt = new Date(now.getTime() + retryDelayMs(job.attempts));
      const again = retryAt.getTime() < job.startBy.getTime();
      const statusMessage = again
        ? `Attempt ${job.attempts} failed: ${step.failure} Retrying at ${retryAt.toISOString()}, within the start window.`
        : `Attempt ${job.attempts} failed: ${step.failure}`;
      const notBefore = again ? retryAt : new Date(job.startBy.getTime() + 1);
      return { to: 'CREATED' as StateOf<K>, change: { state: 'CREATED' as StateOf<K>, notBefore, statusMessage }, letGo: true };
    }
    case 'expire':
      if (!startWindowClosed(job, now)) throw illegal(job, step.type, 'its start window is still open');
      // The last attempt's failure (if any) stays after the window's message: it says why.
      return ended('EXPIRED' as StateOf<K>, job.statusMessage === undefined ? START_WINDOW_MESSAGE : `${START_WINDOW_MESSAGE} ${job.statusMessage}`);
    case 'requestStop':
      return { to: 'ABORTING' as StateOf<K>, change: { state: 'ABORTING' as StateOf<K>, statusMessage: step.statusMessage } };
    case 'abort':
      // A job the completion window stopped keeps saying so.
      return ended('ABORTED' as StateOf<K>, job.statusMessage === COMPLETION_WINDOW_MESSAGE ? COMPLETION_WINDOW_MESSAGE : step.statusMessage);
  }
}

/** Whether `step` may be taken from `state` at all (regardless of time and actor). */
export function isLegalStep<K extends JobKind>(kind: K, state: StateOf<K>, step: JobStepType): boolean {
  return (LEGAL_FROM[kind][step] as readonly string[] | undefined)?.includes(state) === true;
}

/** The transition `step` makes on `job`, taken by `by` at `now`; throws IllegalTransitionError. */
export function transitionJob<K extends JobKind>(job: JobView<K>, step: JobStep, by: Actor, now: Date): JobTransition<K> {
  const from = LEGAL_FROM[job.kind][step.type] as readonly StateOf<K>[] | undefined;
  if (from === undefined) throw illegal(job, step.type, `${job.kind} jobs have no such step`);
  if (!from.includes(job.state)) throw illegal(job, step.type, `only a job that is ${from.join(' or ')} can`);
  if (!STEP_ACTORS[step.type].includes(by)) throw illegal(job, step.type, `the ${by} does not take this step`);
  const decided = decide(job, step, now);
  const holder: Holder = by === 'worker' ? 'claim' : step.type === 'expire' ? 'unclaimed' : 'any';
  return {
    kind: job.kind,
    step: step.type,
    by,
    from: job.state,
    to: decided.to,
    change: decided.change,
    guard: { states: from, holder },
    letGo: decided.letGo === true,
  };
}

export const STOPPED_BEFORE_START = 'Stopped by StopBackupJob before it started.';
export const STOPPING = 'Stopping (StopBackupJob).';
/** The states StopBackupJob accepts. */
export const STOPPABLE: readonly StateOf<'backup'>[] = ['CREATED', 'PENDING', 'RUNNING'];

/** StopBackupJob: a job no worker runs yet ends at once (ABORTED); a running one is asked to stop (ABORTING). */
export function stopBackupJob(job: JobView<'backup'>, now: Date): JobTransition<'backup'> {
  if (job.state === 'RUNNING') return transitionJob(job, { type: 'requestStop', statusMessage: STOPPING }, 'caller', now);
  if (job.state === 'CREATED' || job.state === 'PENDING') return transitionJob(job, { type: 'abort', statusMessage: STOPPED_BEFORE_START }, 'caller', now);
  throw illegal(job, 'stop', `only jobs in ${STOPPABLE.join(', ')} can be stopped`);
}

/** The completion window closed on a running job: it is asked to stop, and says why. */
export function completionWindowStop(job: JobView<'backup'>, now: Date): JobTransition<'backup'> {
  return transitionJob(job, { type: 'requestStop', statusMessage: COMPLETION_WINDOW_MESSAGE }, 'scheduler', now);
}
