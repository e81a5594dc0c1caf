/**
 * One manual clock for many nodes. With a shared (PostgreSQL) catalog every node started with
 * `--clock manual` keeps its clock at the time stored in the catalog (the scheduler_state row
 * `manual-clock`): a node joining later starts there (or at its own --clock-start if later),
 * a move through any node is written there at each step, and the others follow within a poll
 * (never backwards). So every node answers with the same time, claims the jobs that time made
 * due, and reads the same windows; leases run on real time (backup/jobs/job-ledger.ts), so a
 * dead node's jobs are taken over while the clock stands still.
 */
import type { SchedulerStateStore } from '../catalog/scheduler-state.js';
import type { ManualClock } from './manual-clock.js';

export const MANUAL_CLOCK_ROW = 'manual-clock';
const POLL_MS = 200;
const PUBLISH_ATTEMPTS = 5;

export interface SharedManualClock {
  /** Writes the clock's time to the catalog (unless another node's is later already). */
  publish(): Promise<void>;
  stop(): void;
}

export async function shareManualClock(clock: ManualClock, state: SchedulerStateStore, warn: (line: string) => void): Promise<SharedManualClock> {
  const pull = async (): Promise<void> => {
    const stored = await state.get(MANUAL_CLOCK_ROW);
    if (stored !== undefined && stored > clock.now().getTime()) clock.set(new Date(stored));
  };
  const publish = async (): Promise<void> => {
    for (let attempt = 0; attempt < PUBLISH_ATTEMPTS; attempt += 1) {
      const stored = await state.get(MANUAL_CLOCK_ROW);
      const now = clock.now().getTime();
      if (stored !== undefined && stored >= now) return;
      if (await state.advance(MANUAL_CLOCK_ROW, stored, now, now)) return;
    }
  };
  await pull();
  await publish();
  let failing = false;
  const timer = setInterval(() => {
    pull().then(
      () => void (failing = false),
      (err: unknown) => {
        if (!failing) warn(`coffer: could not read the shared manual clock from the catalog: ${err instanceof Error ? err.message : String(err)}`);
        failing = true;
      },
    );
  }, POLL_MS);
  timer.unref();
  return { publish, stop: () => clearInterval(timer) };
}
