/**
 * scheduler/: the one loop that makes plans run themselves. Each tick, at the clock's "now":
 * 1. dispatches the rule runs that fell due since the last tick: for each run, the resources the
 *    plan's selections pick (registry, tags, region opt-in) get one CREATED backup job each,
 *    with the run's start and completion windows, lifecycle, recovery point tags and CreatedBy;
 *    the cursor moves by compare-and-set in the same transaction, so with many nodes on one
 *    catalog each span of time is dispatched exactly once;
 * 2. enforces windows: waiting jobs whose start window closed become EXPIRED, running jobs past
 *    their completion window are stopped (ABORTED; their partial data is not kept);
 * 3. applies lifecycles: recovery points past their DeleteAt are deleted (forget + prune), those
 *    past MoveToColdStorageAt become COLD (their data moved to the region's cold storage
 *    location when it has one, by the injected mover).
 * The first tick of a new catalog starts the cursor at "now": plans never backfill history.
 * A span missed while Coffer was down is dispatched on the next tick; runs whose start window
 * already closed become EXPIRED jobs, so the gap is visible in ListBackupJobs.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../backup/clock.js';
import { COMPLETION_WINDOW_MESSAGE, START_WINDOW_MESSAGE } from '../backup/jobs/job-windows.js';
import { COLD_MESSAGE } from '../backup/lifecycle-rules.js';
import { asDocument } from '../backup/backup-plan.js';
import type { SelectionDocument } from '../backup/selection-document.js';
import { indexResources, matchSelection } from '../backup/selection-match.js';
import type { OptInPreference, ResourceIndex, SelectableResource } from '../backup/selection-match.js';
import type { Catalog, CatalogStores } from '../catalog/catalog.js';
import type { NewBackupJob } from '../catalog/job-records.js';
import type { PlanRecord } from '../catalog/plans.js';
import type { VaultRecord } from '../catalog/vaults.js';
import type { RecoveryPointRecord } from '../catalog/recovery-points.js';
import type { CatalogScope } from '../catalog/scope.js';
import { arns } from '../iam/arn.js';
import { RepositoryLockedError } from '../vault/errors.js';
import { compileRules, nextDue, runsBetween } from './rule-runs.js';
import type { CompiledRule, RuleRun } from './rule-runs.js';

/** A resource of the registry, with where it lives. */
export interface RegisteredResource extends SelectableResource {
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
}

export interface SchedulerDeps {
  readonly catalog: Catalog;
  readonly clock: Clock;
  /** The resources of an account and region (config and discovery), read at each tick. */
  readonly resources: (scope: CatalogScope) => Promise<readonly RegisteredResource[]>;
  /** Deletes an expired recovery point's data and row; rejects when it could not. */
  readonly erase: (scope: CatalogScope, point: RecoveryPointRecord) => Promise<void>;
  readonly warn: (line: string) => void;
  /** Deletes KMS keys whose deletion date has passed (kms.keys.purgeDue); optional. */
  readonly purgeKeys?: (now: number) => Promise<void>;
  /**
   * Moves a point due for cold storage (jobs/move-to-cold.ts): true when it is COLD afterwards,
   * false when it waits; rejects when the move failed. Without it only the StorageClass changes.
   */
  readonly moveToCold?: (scope: CatalogScope, point: RecoveryPointRecord) => Promise<boolean>;
}

/** How the StatusMessage of a move that failed or waits starts (the mover clears it once the move succeeds). */

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
  /** The runs of every live plan in (from, to], with the resources each would pick now. */
  preview(from: number, to: number, filter?: { readonly accountId?: string; readonly planId?: string }): Promise<PlannedRun[]>;
}

export const CURSOR = 'rule-runs';
const DELETABLE = new Set(['COMPLETED', 'AVAILABLE', 'PARTIAL', 'STOPPED']);

interface LivePlan {
  readonly plan: PlanRecord;
  readonly rules: readonly CompiledRule[];
}

const scopeKey = (s: CatalogScope): string => `${s.accountId}/${s.region}`;

export function createScheduler(deps: SchedulerDeps): Scheduler {
  const { catalog, clock } = deps;
  const compiled = new Map<string, LivePlan>();

  const livePlans = async (): Promise<LivePlan[]> => {
    const out: LivePlan[] = [];
    let cursor: string | undefined;
    do {
      const page = await catalog.plans.listAllLive({ limit: 1000, ...(cursor === undefined ? {} : { cursor }) });
      for (const plan of page.items) {
        const key = `${plan.id}@${plan.versionId}`;
        let live = compiled.get(key);
        if (live === undefined) {
          try {
            live = { plan, rules: compileRules(asDocument(plan.document)) };
          } catch (err) {
            deps.warn(`coffer: plan ${plan.arn} has a rule Coffer cannot schedule: ${err instanceof Error ? err.message : String(err)}`);
            continue;
          }
          compiled.set(key, live);
        }
        out.push(live);
      }
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return out;
  };

  const selectionsOf = async (stores: CatalogStores, plan: PlanRecord): Promise<SelectionDocument[]> => {
    const out: SelectionDocument[] = [];
    let cursor: string | undefined;
    do {
      const page = await stores.selections.list(plan, plan.id, { limit: 1000, ...(cursor === undefined ? {} : { cursor }) });
      for (const s of page.items) out.push(s.document as unknown as SelectionDocument);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return out;
  };

  /** The resources a plan's selections pick; each scope's registry and opt-in read once per tick. */
  const resolver = (stores: CatalogStores) => {
    const byScope = new Map<string, ResourceIndex<RegisteredResource>>();
    const optIns = new Map<string, OptInPreference>();
    return async (plan: PlanRecord): Promise<RegisteredResource[]> => {
      const key = scopeKey(plan);
      let candidates = byScope.get(key);
      if (candidates === undefined) {
        candidates = indexResources(await deps.resources({ accountId: plan.accountId, region: plan.region }));
        byScope.set(key, candidates);
      }
      if (candidates.all.length === 0) return [];
      let optIn = optIns.get(key);
      if (optIn === undefined) {
        optIn = (await stores.settings.getRegionSettings(plan))?.resourceTypeOptIn ?? {};
        optIns.set(key, optIn);
      }
      const picked = new Map<string, RegisteredResource>();
      for (const selection of await selectionsOf(stores, plan)) {
        for (const r of matchSelection(selection, candidates, optIn)) picked.set(r.arn, r);
      }
      return [...picked.values()];
    };
  };

  /** The jobs of one run: one per picked resource (FAILED at once when the rule's vault is missing). */
  const jobsOf = (plan: PlanRecord, run: RuleRun, resources: readonly RegisteredResource[], vault: VaultRecord | undefined): NewBackupJob[] => {
    const createdBy = { planId: plan.id, planArn: plan.arn, planVersion: plan.versionId, ruleId: run.rule.RuleId ?? '', ruleName: run.rule.RuleName };
    const lifecycle = run.rule.Lifecycle === undefined ? undefined : { deleteAfterDays: run.rule.Lifecycle.DeleteAfterDays, moveToColdStorageAfterDays: run.rule.Lifecycle.MoveToColdStorageAfterDays };
    const vaultName = run.rule.TargetBackupVaultName;
    const missingVault = `Backup vault ${vaultName} of rule ${run.rule.RuleName} does not exist in ${plan.accountId}/${plan.region}; create it or change the rule's TargetBackupVaultName.`;
    return resources.map((resource) => ({
      id: randomUUID().toUpperCase(), createdAt: run.due, notBefore: run.due, scheduledAt: run.due, startBy: run.startBy, completeBy: run.completeBy,
      resourceArn: resource.arn, resourceType: resource.type, resourceName: resource.name, createdBy,
      vaultName, vaultArn: vault?.arn ?? arns.backupVault(plan, vaultName),
      ...(lifecycle === undefined ? {} : { lifecycle }),
      ...(run.rule.RecoveryPointTags === undefined ? {} : { recoveryPointTags: run.rule.RecoveryPointTags }),
      ...(vault === undefined
        ? { state: 'FAILED' as const, statusMessage: missingVault }
        : { state: 'CREATED' as const, recoveryPointArn: arns.recoveryPoint(plan, randomUUID()) }),
    }));
  };

  const dispatch = async (now: number): Promise<number> => {
    const from = await catalog.schedulerState.get(CURSOR);
    if (from === undefined) {
      await catalog.schedulerState.advance(CURSOR, undefined, now, now);
      return 0;
    }
    if (now <= from) return 0;
    const plans = await livePlans();
    return catalog.transaction(async (stores) => {
      if (!(await stores.schedulerState.advance(CURSOR, from, now, now))) return 0;
      const resolve = resolver(stores);
      let created = 0;
      for (const { plan, rules } of plans) {
        // A plan runs only for times after it (or its current version) was saved.
        const runs = runsBetween(rules, Math.max(from, plan.updatedAt), now);
        if (runs.length === 0) continue;
        const resources = await resolve(plan);
        const vaults = new Map<string, VaultRecord | undefined>();
        const jobs: NewBackupJob[] = [];
        for (const run of runs) {
          const name = run.rule.TargetBackupVaultName;
          if (!vaults.has(name)) vaults.set(name, await stores.vaults.get(plan, name));
          jobs.push(...jobsOf(plan, run, resources, vaults.get(name)));
        }
        await stores.jobs.createBackupJobs(plan, jobs);
        created += jobs.length;
        await stores.plans.setLastExecution(plan, plan.id, runs[runs.length - 1]!.due);
      }
      return created;
    });
  };

  /** A recovery point under an active legal hold is not expired: it stays, saying why, until the hold is cancelled. */
  const keepForLegalHold = async (point: RecoveryPointRecord, now: number): Promise<boolean> => {
    const holds = await catalog.legalHolds.activeHoldsOn(point, point.arn);
    if (holds.length === 0) return false;
    const message = `Lifecycle expiry is suspended: the recovery point is under legal hold ${holds.map((h) => h.id).join(', ')}; it is deleted once the hold is cancelled.`;
    if (point.statusMessage !== message) await catalog.recoveryPoints.update(point, point.arn, { updatedAt: now, statusMessage: message });
    return true;
  };

  /** Without a mover only the class changes; a failed move leaves the point WARM, saying why. */
  const moveToCold = async (point: RecoveryPointRecord, now: number): Promise<boolean> => {
    if (deps.moveToCold === undefined) {
      await catalog.recoveryPoints.update(point, point.arn, { updatedAt: now, storageClass: 'COLD' });
      return true;
    }
    try {
      return await deps.moveToCold(point, point);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const busy = err instanceof RepositoryLockedError;
      if (!busy) deps.warn(`coffer: moving recovery point ${point.arn} to cold storage failed (retried at the next tick): ${reason}`);
      const message = busy ? `${COLD_MESSAGE} waits for the vault to be free: ${reason}` : `${COLD_MESSAGE} failed; its data stays in warm storage and the move is tried again: ${reason}`;
      await catalog.recoveryPoints.update(point, point.arn, { updatedAt: now, statusMessage: message });
      return false;
    }
  };

  const applyLifecycles = async (now: number): Promise<{ deleted: number; movedToCold: number }> => {
    let deleted = 0;
    let movedToCold = 0;
    // By cursor: a held point, or one whose vault is busy, stays due for a later tick and does not hide the points after it.
    let page: { cursor?: string } = {};
    do {
      const due = await catalog.recoveryPoints.listDueForDeletion(now, { limit: 100, ...page });
      for (const point of due.items) {
        if (!DELETABLE.has(point.state) || (await keepForLegalHold(point, now))) continue;
        const marked = await catalog.recoveryPoints.update(point, point.arn, { updatedAt: now, state: 'DELETING' }, [point.state]);
        if (marked === undefined) continue;
        try {
          await deps.erase(point, marked);
          deleted += 1;
        } catch (err) {
          const reason = err instanceof Error ? err.message : String(err);
          // A backup or check of the same vault is running: try again at a later tick.
          const busy = err instanceof RepositoryLockedError;
          await catalog.recoveryPoints.update(point, point.arn, busy
            ? { updatedAt: now, state: point.state, statusMessage: `Expiry waits for the vault to be free: ${reason}` }
            : { updatedAt: now, state: 'EXPIRED', statusMessage: `Lifecycle expiry could not delete this recovery point: ${reason}` });
        }
      }
      page = due.nextCursor === undefined ? {} : { cursor: due.nextCursor };
    } while (page.cursor !== undefined);
    // By cursor: a point whose move waits or failed stays due, and is tried again at the next tick.
    let cursor: string | undefined;
    do {
      const page = await catalog.recoveryPoints.listDueForColdStorage(now, { limit: 100, ...(cursor === undefined ? {} : { cursor }) });
      for (const point of page.items) {
        if (await moveToCold(point, now)) movedToCold += point.storageClass === 'WARM' ? 1 : 0;
      }
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return { deleted, movedToCold };
  };

  return {
    async tick() {
      const now = clock.now().getTime();
      // Expiry first: pruning takes the vault's exclusive lock, which new backups would hold up.
      const { deleted, movedToCold } = await applyLifecycles(now);
      const expired = await catalog.jobWindows.expireUnstarted(now, START_WINDOW_MESSAGE);
      const aborted = await catalog.jobWindows.abortOverdue(now, COMPLETION_WINDOW_MESSAGE);
      const jobsCreated = await dispatch(now);
      await deps.purgeKeys?.(now).catch((err: unknown) => deps.warn(`coffer: purging KMS keys past their deletion date failed: ${err instanceof Error ? err.message : String(err)}`));
      return { jobsCreated, expired, aborted, deleted, movedToCold };
    },

    async nextEventAfter(now) {
      const cursor = (await catalog.schedulerState.get(CURSOR)) ?? now;
      const times: number[] = [];
      for (const { plan, rules } of await livePlans()) {
        const t = nextDue(rules, Math.max(now, cursor, plan.updatedAt));
        if (t !== undefined) times.push(t);
      }
      const deadline = await catalog.jobWindows.nextDeadline(now);
      if (deadline !== undefined) times.push(deadline);
      const lifecycle = await catalog.recoveryPoints.nextLifecycleEvent(now);
      if (lifecycle !== undefined) times.push(lifecycle);
      return times.length === 0 ? undefined : Math.min(...times);
    },

    async preview(from, to, filter = {}) {
      const resolve = resolver(catalog);
      const out: PlannedRun[] = [];
      for (const { plan, rules } of await livePlans()) {
        if (filter.accountId !== undefined && plan.accountId !== filter.accountId) continue;
        if (filter.planId !== undefined && plan.id !== filter.planId) continue;
        const runs = runsBetween(rules, Math.max(from, plan.updatedAt), to);
        if (runs.length === 0) continue;
        const resources = (await resolve(plan)).map((r) => r.arn);
        for (const run of runs) {
          out.push({
            accountId: plan.accountId, region: plan.region, planId: plan.id, planName: plan.name, ruleName: run.rule.RuleName, ruleId: run.rule.RuleId,
            time: new Date(run.due), startBy: new Date(run.startBy), targetVault: run.rule.TargetBackupVaultName, resources,
            deleteAfterDays: run.rule.Lifecycle?.DeleteAfterDays,
            copyActions: (run.rule.CopyActions ?? []).map((c) => ({ destinationVaultArn: c.DestinationBackupVaultArn, deleteAfterDays: c.Lifecycle?.DeleteAfterDays })),
          });
        }
      }
      return out.sort((a, b) => a.time.getTime() - b.time.getTime());
    },
  };
}
