/**
 * Moving the manual clock: to reach a target time it steps from one due event to the next
 * (rule runs, start and completion window ends, retry times, lifecycle dates), and at each step
 * ticks the scheduler and lets the workers finish every job that is due, so that a year of a
 * plan runs in order, in seconds, exactly as it would have in real time. Calls are serialized.
 * Jobs that make no progress for a few seconds (waiting on a lock outside Coffer, a hung
 * server) do not hold time back: the clock moves on, so their windows can close on them.
 */
import type { Clock } from '../backup/clock.js';
import type { ManualClock } from './manual-clock.js';
import type { Scheduler } from './scheduler.js';

export interface AdvanceReport {
  readonly from: Date;
  readonly to: Date;
  /** Instants the clock stopped at on the way. */
  readonly steps: number;
  readonly jobsCreated: number;
  readonly jobsRun: number;
  readonly recoveryPointsDeleted: number;
}

export interface ClockDriver {
  readonly clock: ManualClock;
  advanceTo(target: Date): Promise<AdvanceReport>;
}

const MAX_SETTLE_ROUNDS = 20;
const STALL_MS = 3000;

/**
 * `progress` fingerprints what running jobs have done; when it stays the same for STALL_MS the
 * running jobs are waiting on something outside Coffer, and the clock moves on to the next
 * event (which may be their completion window's end) instead of waiting for ever.
 */
export interface ClockSharing {
  /** Called after each move of the clock (shared-manual-clock.ts writes it to the catalog). */
  readonly moved: () => Promise<void>;
}

/**
 * With `sharing`, other nodes run due jobs too: after the local workers drain, a step also waits
 * until no job runs anywhere (or what runs is stalled), so a move still returns once the jobs it
 * made due are done, whichever node ran them.
 */
export function createClockDriver(
  clock: ManualClock,
  scheduler: Scheduler,
  workers: { drain(stalled?: () => Promise<boolean>): Promise<number> },
  progress: () => Promise<string>,
  wallClock: Clock,
  sharing?: ClockSharing,
): ClockDriver {
  let queue: Promise<unknown> = Promise.resolve();
  // Stalls are measured in real time: the manual clock stands still while jobs run.
  const realNow = (): number => wallClock.now().getTime();
  const stalledDetector = (): (() => Promise<boolean>) => {
    let last = '';
    let since = realNow();
    return async () => {
      const now = await progress();
      if (now !== last) {
        last = now;
        since = realNow();
        return false;
      }
      return realNow() - since >= STALL_MS;
    };
  };

  const advance = async (target: Date): Promise<AdvanceReport> => {
    const from = clock.now();
    if (target.getTime() < from.getTime()) clock.set(target); // throws the clock's own message
    let steps = 0;
    let jobsCreated = 0;
    let jobsRun = 0;
    let deleted = 0;
    /** Waits for jobs running on other nodes; whether some finished (not merely stalled: a dead node's wait for their lease). */
    const elsewhere = async (): Promise<boolean> => {
      if (sharing === undefined || (await progress()) === '') return false;
      const stalled = stalledDetector();
      for (;;) {
        if ((await progress()) === '') return true;
        if (await stalled()) return false;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const settle = async (): Promise<void> => {
      await sharing?.moved();
      for (let round = 0; round < MAX_SETTLE_ROUNDS; round += 1) {
        const report = await scheduler.tick();
        jobsCreated += report.jobsCreated;
        deleted += report.deleted;
        const ran = await workers.drain(stalledDetector());
        const ranElsewhere = await elsewhere();
        jobsRun += ran;
        if (ran === 0 && !ranElsewhere && report.jobsCreated === 0 && report.aborted === 0) return;
      }
    };
    await settle();
    for (;;) {
      const next = await scheduler.nextEventAfter(clock.now().getTime());
      if (next === undefined || next > target.getTime()) break;
      clock.set(new Date(next));
      steps += 1;
      await settle();
    }
    clock.set(target);
    await settle();
    return { from, to: clock.now(), steps, jobsCreated, jobsRun, recoveryPointsDeleted: deleted };
  };

  return {
    clock,
    advanceTo(target) {
      const result = queue.then(() => advance(target));
      queue = result.catch(() => undefined);
      return result;
    },
  };
}
