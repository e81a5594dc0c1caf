/**
 * scheduler/: the one loop that makes plans run themselves. Each tick, at the clock's "now":
 * 1. applies lifecycles (lifecycles.ts): recovery points past DeleteAt are deleted, those past
 *    MoveToColdStorageAt become COLD; first, since pruning takes the vault's exclusive lock,
 *    which new backups would hold up;
 * 2. enforces windows, through the ledger: waiting jobs whose start window closed become
 *    EXPIRED, running jobs past their completion window are asked to stop (their worker turns
 *    them ABORTED and keeps no partial data);
 * 3. dispatches the rule runs that fell due since the last tick (dispatch.ts);
 * 4. runs restore testing plans: settles finished restore tests, starts those due (restore-tests.ts);
 * 5. purges KMS keys past their deletion date.
 * With many nodes, 1, 4 and 5 (the maintenance) run on one node at a time, under a lease in the
 * catalog (maintenance-lease.ts); 2 and 3 are guarded in the catalog and run on every node.
 * A span missed while Coffer was down is dispatched on the next tick; runs whose start window
 * already closed become EXPIRED jobs, so the gap is visible in ListBackupJobs. The scheduler
 * writes no job or recovery-point state itself: the ledger does.
 */
import type { Clock } from '../backup/clock.js';
import { randomIds } from '../backup/id-source.js';
import type { IdSource } from '../backup/id-source.js';
import type { JobLedger } from '../backup/jobs/job-ledger.js';
import type { RecoveryPoint } from '../backup/jobs/recovery-point.js';
import { nextDue, runsBetween } from '../backup/rule-runs.js';
import type { Catalog } from '../catalog/catalog.js';
import type { CatalogScope } from '../catalog/scope.js';
import { CURSOR, dispatchRuns } from './dispatch.js';
import { applyLifecycles } from './lifecycles.js';
import { NO_LEASE } from './maintenance-lease.js';
import type { MaintenanceLease } from './maintenance-lease.js';
import { livePlanCache, selectionResolver } from './live-plans.js';
import type { RestoreTests } from './restore-tests.js';
import type { RegisteredResource } from './live-plans.js';

export type { RegisteredResource } from './live-plans.js';
export { CURSOR } from './dispatch.js';

export interface SchedulerDeps {
  readonly catalog: Catalog;
  readonly ledger: JobLedger;
  readonly clock: Clock;
  /** New job and recovery point ids; random UUIDs by default. */
  readonly ids?: IdSource | undefined;
  /** The resources of an account and region (config and discovery), read at each tick. */
  readonly resources: (scope: CatalogScope) => Promise<readonly RegisteredResource[]>;
  /** Deletes an expired recovery point's data and row; rejects when it could not. */
  readonly erase: (scope: CatalogScope, point: RecoveryPoint) => Promise<void>;
  readonly warn: (line: string) => void;
  /** KMS upkeep (kms.maintain): deletes keys past their deletion date, rotates keys due, expires imported material; optional. */
  readonly purgeKeys?: ((now: number) => Promise<void>) | undefined;
  /**
   * Moves a point due for cold storage (jobs/move-to-cold.ts): true when it is COLD afterwards,
   * false when it waits; rejects when the move failed. Without it only the StorageClass changes.
   */
  readonly moveToCold?: ((scope: CatalogScope, point: RecoveryPoint) => Promise<boolean>) | undefined;
  /** Restore testing plans, run at each tick (restore-tests.ts); optional. */
  readonly restoreTests?: RestoreTests | undefined;
  /** With many nodes: lifecycles, cold storage, restore tests and key purges run on one node at a time (maintenance-lease.ts). */
  readonly maintenance?: MaintenanceLease | undefined;
}

export interface TickReport {
  readonly jobsCreated: number;
  readonly expired: number;
  readonly aborted: number;
  readonly deleted: number;
  readonly movedToCold: number;
}

export interface PlannedRun {
  readonly accountId: string;
  readonly region: string;
  readonly planId: string;
  readonly planName: string;
  readonly ruleName: string;
  readonly ruleId: string | undefined;
  readonly time: Date;
  readonly startBy: Date;
  readonly targetVault: string;
  readonly resources: readonly string[];
  readonly copyActions: readonly { readonly destinationVaultArn: string; readonly deleteAfterDays?: number | undefined }[];
  readonly deleteAfterDays: number | undefined;
}

export interface Scheduler {
  tick(): Promise<TickReport>;
  /** The next instant after `now` at which a tick would have something to do. */
  nextEventAfter(now: number): Promise<number | undefined>;
  /**
   * The runs of every live plan in (from, to], with the resources each would pick now; undefined
   * when the filter names a plan that is not live (no such plan in the account, or deleted).
   */
  preview(from: number, to: number, filter?: { readonly accountId?: string; readonly planId?: string }): Promise<PlannedRun[] | undefined>;
}

export function createScheduler(deps: SchedulerDeps): Scheduler {
  const { catalog, ledger, clock } = deps;
  const livePlans = livePlanCache(catalog.plans, deps.warn);
  const dispatch = { catalog, ledger, ids: deps.ids ?? randomIds, resources: deps.resources };
  const maintenance = deps.maintenance ?? NO_LEASE;

  return {
    async tick() {
      const now = clock.now();
      const { deleted, movedToCold } = (await maintenance.run((held) => applyLifecycles(deps, now, held))) ?? { deleted: 0, movedToCold: 0 };
      // Guarded transitions and a compare-and-set cursor: safe on every node at once.
      const expired = await ledger.expireUnstarted();
      const aborted = await ledger.stopOverdue();
      const backups = await dispatchRuns(dispatch, livePlans, now.getTime());
      const { restoreTests: tests, purgeKeys } = deps;
      const restoreTests =
        tests === undefined
          ? 0
          : ((await maintenance
              .run(() => tests.tick(now.getTime()))
              .catch((err: unknown) => {
                deps.warn(`coffer: running restore testing plans failed (retried at the next tick): ${err instanceof Error ? err.message : String(err)}`);
                return 0;
              })) ?? 0);
      const jobsCreated = backups + restoreTests;
      if (purgeKeys !== undefined) {
        await maintenance
          .run(() => purgeKeys(now.getTime()))
          .catch((err: unknown) =>
            deps.warn(
              `coffer: KMS upkeep (deleting keys past their deletion date, rotating keys due) failed: ${err instanceof Error ? err.message : String(err)}`,
            ),
          );
      }
      return { jobsCreated, expired, aborted, deleted, movedToCold };
    },

    async nextEventAfter(now) {
      const cursor = (await catalog.schedulerState.get(CURSOR)) ?? now;
      const times: number[] = [];
      for (const { plan, rules } of await livePlans()) {
        const t = nextDue(rules, Math.max(now, cursor, plan.updatedAt));
        if (t !== undefined) times.push(t);
      }
      for (const t of [
        await catalog.jobWindows.nextDeadline(now),
        await catalog.recoveryPoints.nextLifecycleEvent(now),
        await deps.restoreTests?.nextEventAfter(now),
      ]) {
        if (t !== undefined) times.push(t);
      }
      return times.length === 0 ? undefined : Math.min(...times);
    },

    async preview(from, to, filter = {}) {
      const resolve = selectionResolver(catalog, deps.resources);
      const out: PlannedRun[] = [];
      let planFound = false;
      for (const { plan, rules } of await livePlans()) {
        if (filter.accountId !== undefined && plan.accountId !== filter.accountId) continue;
        if (filter.planId !== undefined && plan.id !== filter.planId) continue;
        planFound = true;
        const runs = runsBetween(rules, Math.max(from, plan.updatedAt), to);
        if (runs.length === 0) continue;
        const resources = (await resolve(plan)).map((r) => r.resource.arn);
        for (const run of runs) {
          out.push({
            accountId: plan.accountId,
            region: plan.region,
            planId: plan.id,
            planName: plan.name,
            ruleName: run.rule.RuleName,
            ruleId: run.rule.RuleId,
            time: new Date(run.due),
            startBy: new Date(run.startBy),
            targetVault: run.rule.TargetBackupVaultName,
            resources,
            deleteAfterDays: run.rule.Lifecycle?.DeleteAfterDays,
            copyActions: (run.rule.CopyActions ?? []).map((c) => ({
              destinationVaultArn: c.DestinationBackupVaultArn,
              deleteAfterDays: c.Lifecycle?.DeleteAfterDays,
            })),
          });
        }
      }
      if (filter.planId !== undefined && !planFound) return undefined;
      return out.sort((a, b) => a.time.getTime() - b.time.getTime());
    },
  };
}
