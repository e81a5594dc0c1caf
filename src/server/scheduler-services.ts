/**
 * The scheduling side of the composition root: the scheduler over the catalog and the resource
 * registry, driven either by the real clock (a loop that ticks at each due event, at least every
 * 30 s, so a node that joins late or a plan saved a moment ago is picked up) or by the manual
 * clock (ticks only when the clock is moved, through the clock driver). Also what the `/_coffer/`
 * schedule and clock endpoints answer.
 */
import type { Clock } from '../backup/clock.js';
import type { IdSource } from '../backup/id-source.js';
import type { JobLedger } from '../backup/jobs/job-ledger.js';
import type { RecoveryPoint } from '../backup/jobs/recovery-point.js';
import type { ResourceLister } from '../backup/protected-resource.js';
import type { Catalog } from '../catalog/catalog.js';
import type { CatalogScope } from '../catalog/scope.js';
import type { WorkerPool } from '../jobs/worker-pool.js';
import { createClockDriver } from '../scheduler/clock-driver.js';
import { addDuration } from '../scheduler/iso-duration.js';
import { maintenanceLease } from '../scheduler/maintenance-lease.js';
import { ManualClock } from '../scheduler/manual-clock.js';
import type { SharedManualClock } from '../scheduler/shared-manual-clock.js';
import { createScheduler } from '../scheduler/scheduler.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { RestoreTests } from '../scheduler/restore-tests.js';
import type { AdminClock, ScheduleQuery } from './admin-endpoints.js';

const DAY_MS = 86_400_000;
const MAX_IDLE_MS = 30_000;
const MIN_WAIT_MS = 200;

export interface SchedulerServiceDeps {
  readonly catalog: Catalog;
  readonly ledger: JobLedger;
  readonly clock: Clock;
  readonly ids: IdSource;
  /** Real time, whatever the domain's clock says (the manual clock's stall detection). */
  readonly wallClock: Clock;
  readonly listResources: ResourceLister;
  readonly eraseNow: (scope: CatalogScope, point: RecoveryPoint) => Promise<void>;
  readonly workers: WorkerPool;
  readonly warn: (line: string) => void;
  /** Deletes KMS keys past their deletion date, at each tick. */
  readonly purgeKeys?: (now: number) => Promise<void>;
  /** With many nodes on one catalog: the manual clock they share. */
  readonly sharedClock?: SharedManualClock | undefined;
  /** Moves a recovery point due for cold storage to its region's cold location (jobs/move-to-cold.ts). */
  readonly moveToCold?: (scope: CatalogScope, point: RecoveryPoint) => Promise<boolean>;
  /** Restore testing plans, run at each tick. */
  readonly restoreTests?: RestoreTests;
  /** This node's name, as the holder of the maintenance lease (lifecycles, cold storage, restore tests, key purges run on one node at a time). */
  readonly node: string;
}

export interface SchedulerServices {
  readonly scheduler: Scheduler;
  /** Present with the manual clock. */
  readonly adminClock: AdminClock | undefined;
  schedule(query: ScheduleQuery): Promise<unknown>;
  stop(): Promise<void>;
}

export function startSchedulerServices(deps: SchedulerServiceDeps): SchedulerServices {
  const scheduler = createScheduler({
    catalog: deps.catalog,
    ledger: deps.ledger,
    clock: deps.clock,
    ids: deps.ids,
    warn: deps.warn,
    erase: deps.eraseNow,
    resources: async (scope) => deps.listResources(scope),
    ...(deps.purgeKeys === undefined ? {} : { purgeKeys: deps.purgeKeys }),
    ...(deps.moveToCold === undefined ? {} : { moveToCold: deps.moveToCold }),
    ...(deps.restoreTests === undefined ? {} : { restoreTests: deps.restoreTests }),
    maintenance: maintenanceLease({
      store: deps.catalog.maintenanceLeases,
      holder: deps.node,
      wallClock: deps.wallClock,
      wait: deps.clock instanceof ManualClock,
      warn: deps.warn,
    }),
  });
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<unknown> = Promise.resolve();

  const loop = async (): Promise<void> => {
    if (stopping) return;
    let wait = MAX_IDLE_MS;
    try {
      await scheduler.tick();
      const now = deps.clock.now().getTime();
      const next = await scheduler.nextEventAfter(now);
      if (next !== undefined) wait = Math.max(MIN_WAIT_MS, Math.min(MAX_IDLE_MS, next - now));
    } catch (err) {
      if (!stopping) deps.warn(`coffer: scheduler tick failed (retrying in ${MAX_IDLE_MS / 1000} s): ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!stopping) timer = setTimeout(() => void (current = loop()), wait);
  };

  let adminClock: AdminClock | undefined;
  if (deps.clock instanceof ManualClock) {
    const driver = createClockDriver(
      deps.clock,
      scheduler,
      deps.workers,
      () => deps.catalog.jobWindows.runningProgress(),
      deps.wallClock,
      deps.sharedClock === undefined ? undefined : { moved: deps.sharedClock.publish },
    );
    const report = (r: Awaited<ReturnType<typeof driver.advanceTo>>) => ({
      now: r.to.toISOString(),
      from: r.from.toISOString(),
      steps: r.steps,
      jobsCreated: r.jobsCreated,
      jobsRun: r.jobsRun,
      recoveryPointsDeleted: r.recoveryPointsDeleted,
    });
    adminClock = {
      now: () => deps.clock.now(),
      async move(request) {
        const target = request.advance !== undefined ? addDuration(deps.clock.now(), request.advance) : parseTime(request.set ?? '');
        return report(await driver.advanceTo(target));
      },
    };
    // The first tick starts the dispatch cursor at the clock's start.
    current = scheduler.tick().catch((err: unknown) => deps.warn(`coffer: scheduler tick failed: ${err instanceof Error ? err.message : String(err)}`));
  } else {
    current = loop();
  }

  return {
    scheduler,
    adminClock,
    async schedule({ accountId, days, planId }) {
      const now = deps.clock.now().getTime();
      const runs = await scheduler.preview(now, now + days * DAY_MS, {
        ...(accountId === undefined ? {} : { accountId }),
        ...(planId === undefined ? {} : { planId }),
      });
      if (runs === undefined) return undefined;
      return { now: new Date(now).toISOString(), days, runs: runs.map((r) => ({ ...r, time: r.time.toISOString(), startBy: r.startBy.toISOString() })) };
    },
    async stop() {
      stopping = true;
      deps.sharedClock?.stop();
      if (timer !== undefined) clearTimeout(timer);
      await current.catch(() => undefined);
    },
  };
}

function parseTime(text: string): Date {
  const time = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) ? new Date(text) : new Date(Number.NaN);
  if (Number.isNaN(time.getTime())) throw new RangeError(`${JSON.stringify(text)} is not an ISO-8601 time with a zone, such as 2027-01-01T00:00:00Z`);
  return time;
}
