/**
 * The delivery worker: takes due outbox rows under a lease, sends each to its subscriber, and
 * records the outcome: DELIVERED, PENDING again after a doubling backoff, or FAILED once its
 * attempts are spent. State lives in the catalog only, so a restart resumes where the last run
 * stopped (a row whose holder died is taken again when its lease ends), and many nodes on one
 * catalog share the work without sending a row twice while its lease holds (a lease outlives
 * every send's timeout). As with SNS, delivery is at least once: a node killed between a send
 * and its record sends that row again after the lease.
 */
import type { Clock } from '../backup/clock.js';
import type { ClaimedDelivery, NotificationOutboxStore, OutboxRecord } from '../catalog/notification-outbox.js';
import type { RetryConfig } from '../config/schema.js';

export const DELIVERY_LEASE_MS = 60_000;
const BATCH = 16;
const POLL_MS = 1_000;

export type DeliveryOutcome = 'delivered' | 'retrying' | 'failed';

export interface DeliveryWorkerDeps {
  readonly outbox: NotificationOutboxStore;
  /** The wall clock: backoffs and leases are real time even when the domain's clock is manual. */
  readonly clock: Clock;
  /** This node's name on its leases. */
  readonly holder: string;
  readonly retry: RetryConfig;
  /** Sends one row to its subscriber; throws an Error saying what went wrong. */
  readonly send: (record: OutboxRecord) => Promise<void>;
  readonly onAttempt?: ((record: OutboxRecord, outcome: DeliveryOutcome, error: string | undefined, seconds: number) => void) | undefined;
  readonly warn?: ((line: string) => void) | undefined;
  readonly pollMs?: number | undefined;
}

export interface DeliveryWorker {
  /** A change committed: look for new rows now rather than at the next poll. */
  nudge(): void;
  /** One round now (tests): resolves when the due rows it took are recorded. */
  runOnce(): Promise<number>;
  /** Finishes the round in progress, then lets go of this node's leases. */
  stop(): Promise<void>;
}

/** Seconds to wait after the `attempts`th failed attempt. */
export function retryDelaySeconds(retry: RetryConfig, attempts: number): number {
  return Math.min(retry.firstRetrySeconds * 2 ** Math.max(0, attempts - 1), retry.maxRetrySeconds);
}

export function startDeliveryWorker(deps: DeliveryWorkerDeps): DeliveryWorker {
  const pollMs = deps.pollMs ?? POLL_MS;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<number> | undefined;
  let again = false;
  let stopped = false;

  const attempt = async (claim: ClaimedDelivery): Promise<void> => {
    const started = deps.clock.now().getTime();
    let error: string | undefined;
    try {
      await deps.send(claim);
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    const now = deps.clock.now().getTime();
    const seconds = (now - started) / 1000;
    if (error === undefined) {
      await deps.outbox.delivered(claim, now);
      deps.onAttempt?.(claim, 'delivered', undefined, seconds);
      return;
    }
    const last = claim.attempts >= deps.retry.maxAttempts;
    const retryAt = last ? undefined : now + retryDelaySeconds(deps.retry, claim.attempts) * 1000;
    const recorded = last ? `${error} (gave up after ${claim.attempts} attempts)` : error;
    await deps.outbox.failed(claim, recorded, retryAt, now);
    deps.onAttempt?.(claim, last ? 'failed' : 'retrying', recorded, seconds);
  };

  const runRound = async (): Promise<number> => {
    let sent = 0;
    for (;;) {
      const claims = await deps.outbox.claimDue(deps.holder, BATCH, DELIVERY_LEASE_MS, deps.clock.now().getTime());
      if (claims.length === 0) return sent;
      await Promise.all(claims.map(attempt));
      sent += claims.length;
      if (stopped) return sent;
    }
  };

  const runOnce = (): Promise<number> => {
    if (round !== undefined) {
      again = true;
      return round;
    }
    round = runRound()
      .catch((err: unknown) => {
        deps.warn?.(`coffer: notification delivery round failed: ${err instanceof Error ? err.message : String(err)}`);
        return 0;
      })
      .finally(() => {
        round = undefined;
        if (again && !stopped) {
          again = false;
          void runOnce();
        }
      });
    return round;
  };

  const tick = (): void => {
    if (stopped) return;
    void runOnce().finally(() => {
      if (!stopped) (timer = setTimeout(tick, pollMs)).unref();
    });
  };
  timer = setTimeout(tick, 0);
  timer.unref();

  return {
    nudge() {
      if (!stopped) void runOnce();
    },
    runOnce,
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await round;
      await deps.outbox.releaseLeasesOf(deps.holder);
    },
  };
}
