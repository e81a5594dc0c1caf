/**
 * The scheduler's maintenance (recovery point lifecycles, cold storage moves, KMS key purges)
 * runs on one node at a time: each pass holds a lease in the catalog (maintenance_leases), renews
 * it while it works and ends it when done, so with many nodes a pass is never done twice at
 * once and a node that dies mid-pass leaves the lease to run out (60 s) and the next pass to
 * another node. Every step of a pass is guarded in the ledger as well, so a node that lost its
 * lease without knowing it (a long pause) still changes nothing twice; it stops at the next
 * point once it notices. Lease times are real time, whatever the domain's clock says.
 *
 * `wait`: a node whose pass finds the lease held waits for it (the manual clock, whose moves
 * must apply what fell due at each step); otherwise it skips that pass (real time: the holder is
 * doing the same work now, and the next tick comes within 30 s).
 */
import type { Clock } from '../backup/clock.js';
import type { MaintenanceLeaseStore } from '../catalog/maintenance-leases.js';

export const MAINTENANCE_LEASE = 'scheduler-maintenance';
export const MAINTENANCE_LEASE_MS = 60_000;
const WAIT_POLL_MS = 200;

export interface MaintenanceLeaseOptions {
  readonly store: MaintenanceLeaseStore;
  /** This node's name as the holder. */
  readonly holder: string;
  /** Real time (the lease clock). */
  readonly wallClock: Clock;
  readonly wait: boolean;
  readonly ttlMs?: number;
  readonly warn: (line: string) => void;
}

export interface MaintenanceLease {
  /**
   * Runs `work` holding the lease; undefined when another node holds it (and `wait` is off).
   * `held()` turns false once a renewal found the lease taken by another node.
   */
  run<T>(work: (held: () => boolean) => Promise<T>): Promise<T | undefined>;
}

/** A single node (or a test) needs no lease: the work always runs. */
export const NO_LEASE: MaintenanceLease = { run: (work) => work(() => true) };

export function maintenanceLease(options: MaintenanceLeaseOptions): MaintenanceLease {
  const ttlMs = options.ttlMs ?? MAINTENANCE_LEASE_MS;
  const now = (): number => options.wallClock.now().getTime();
  const acquire = (): Promise<boolean> => options.store.acquire(MAINTENANCE_LEASE, options.holder, ttlMs, now());
  return {
    async run(work) {
      while (!(await acquire())) {
        if (!options.wait) return undefined;
        await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
      }
      let held = true;
      const renew = setInterval(
        () => {
          acquire().then(
            (still) => {
              if (!still && held) options.warn('coffer: another node took over the scheduler maintenance lease; this node stops its pass');
              held &&= still;
            },
            () => undefined,
          );
        },
        Math.max(1000, Math.floor(ttlMs / 3)),
      );
      try {
        return await work(() => held);
      } finally {
        clearInterval(renew);
        if (held) await options.store.release(MAINTENANCE_LEASE, options.holder, now()).catch(() => undefined);
      }
    },
  };
}
