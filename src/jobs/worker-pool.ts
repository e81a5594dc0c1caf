/**
 * jobs/: running backup, restore and copy jobs in the server process. The pool claims due jobs
 * through the ledger (a claim is a lease in the catalog, so several processes can share one
 * catalog), renews the claim while a job runs, and hands each job to its runner. A process that
 * dies leaves its claims to run out; the next claimer finds the job RUNNING and fails it with a
 * message saying so (never stranded). Every job state change goes through the ledger
 * (backup/jobs/); runners know the vault engine and the connectors, nothing of HTTP.
 */
import type { Claim } from '../backup/jobs/job-ledger.js';
import type { JobKind } from '../backup/jobs/job-states.js';
import { errorMessage, LeaseLostError, NodeStoppingError } from './job-context.js';
import type { JobRunnerDeps } from './job-context.js';
import { runBackupJob } from './run-backup.js';
import { runCopyJob } from './run-copy.js';
import { runRestoreJob } from './run-restore.js';

export interface WorkerPoolOptions {
  /** Jobs run at once per kind. */
  readonly concurrency?: number;
  readonly leaseMs?: number;
  readonly pollMs?: number;
  readonly warn: (line: string) => void;
}

export interface WorkerPool {
  /**
   * Stops claiming and tells the running jobs to stop (their signal, with a NodeStoppingError):
   * a copy stops cleanly and fails saying so. Waits up to `settleMs` for them, then ends every
   * claim this node still has, so other nodes take those jobs at once rather than after the lease.
   */
  stop(settleMs?: number): Promise<void>;
  /**
   * Claims and runs every job due now, and those they lead to, until none is due and none runs
   * (the manual clock's "advance returns when the jobs it started are finished"). How many ran.
   * `stalled`, asked every half second while jobs run, may end the wait early: a job waiting on
   * the world (a database lock, a hung server) must not stop time from reaching its deadline.
   */
  drain(stalled?: () => Promise<boolean>): Promise<number>;
}

export const DEFAULT_LEASE_MS = 15_000;
const DRAIN_CHECK_MS = 500;
const DEFAULT_SETTLE_MS = 20_000;

type Runner<K extends JobKind> = (deps: JobRunnerDeps, claim: Claim<K>, signal: AbortSignal) => Promise<void>;

export function startWorkerPool(deps: JobRunnerDeps, options: WorkerPoolOptions): WorkerPool {
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const pollMs = options.pollMs ?? 250;
  const concurrency = options.concurrency ?? 2;
  let stopping = false;
  const running = new Set<Promise<void>>();
  const stops = new Set<AbortController>();
  const timers = new Set<NodeJS.Timeout>();

  const run = async <K extends JobKind>(kind: K, claim: Claim<K>, runner: Runner<K>): Promise<void> => {
    const stop = new AbortController();
    stops.add(stop);
    const renew = setInterval(
      () => {
        deps.ledger.renew(claim, leaseMs).then(
          // Another node took the job over (this node paused past its lease): stop working on it.
          (still) => void (still || stop.signal.aborted || stop.abort(new LeaseLostError(kind, claim.job.id))),
          () => undefined, // the catalog is unreachable for a moment: the next renewal tries again
        );
      },
      Math.max(1000, Math.floor(leaseMs / 3)),
    );
    try {
      await runner(deps, claim, stop.signal);
    } catch (err) {
      if (!stopping) options.warn(`coffer: ${kind} job ${claim.job.id} failed inside the runner: ${errorMessage(err)}`);
    } finally {
      clearInterval(renew);
      stops.delete(stop);
    }
  };

  const ticks: (() => Promise<number>)[] = [];
  const loop = <K extends JobKind>(kind: K, runner: Runner<K>): void => {
    let active = 0;
    const tick = async (): Promise<number> => {
      let claimed = 0;
      // A dead node's jobs are settled (failed, saying so) at once, whether or not a worker is free.
      while (!stopping) {
        const orphan = await deps.ledger.claimOrphan(kind, deps.owner, leaseMs);
        if (orphan === undefined) break;
        claimed += 1;
        const done = run(kind, orphan, runner).finally(() => running.delete(done));
        running.add(done);
      }
      while (!stopping && active < concurrency) {
        const claim = await deps.ledger.claim(kind, deps.owner, leaseMs);
        if (claim === undefined) break;
        claimed += 1;
        active += 1;
        const done = run(kind, claim, runner).finally(() => {
          active -= 1;
          running.delete(done);
        });
        running.add(done);
      }
      return claimed;
    };
    ticks.push(tick);
    const schedule = (): void => {
      if (stopping) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        tick()
          .catch((err: unknown) => {
            if (!stopping) options.warn(`coffer: claiming ${kind} jobs failed: ${errorMessage(err)}`);
          })
          .finally(schedule);
      }, pollMs);
      timers.add(timer);
    };
    schedule();
  };

  loop('backup', runBackupJob);
  loop('restore', runRestoreJob);
  loop('copy', runCopyJob);

  return {
    async drain(stalled) {
      let ran = 0;
      for (;;) {
        for (const tick of ticks) ran += await tick();
        if (running.size === 0) return ran;
        let timer: NodeJS.Timeout | undefined;
        const pause = new Promise<'pause'>((resolve) => (timer = setTimeout(() => resolve('pause'), DRAIN_CHECK_MS)));
        const woke = await Promise.race([...running, pause]);
        clearTimeout(timer);
        if (woke === 'pause' && stalled !== undefined && (await stalled())) return ran;
      }
    },
    async stop(settleMs = DEFAULT_SETTLE_MS) {
      stopping = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const stop of stops) stop.abort(new NodeStoppingError());
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, settleMs)));
      await Promise.race([Promise.allSettled([...running]), deadline]);
      clearTimeout(timer);
      // Jobs still running here (a backup finishing its snapshot) go to other nodes at once.
      await deps.ledger.releaseClaimsOf(deps.owner).catch(() => undefined);
    },
  };
}
