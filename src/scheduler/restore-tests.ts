/**
 * Restore testing at each scheduler tick, in two steps:
 * 1. dispatch: each plan whose ScheduleExpression fell due since its cursor (and whose start
 *    window, StartWindowHours, is still open) takes the run: its cursor moves by compare-and-set
 *    (so with many nodes one starts it) and each selection's resources get one restore job each,
 *    of the newest (LATEST_WITHIN_WINDOW) or a random (RANDOM_WITHIN_WINDOW) completed recovery
 *    point made within SelectionWindowDays in an included, not excluded, vault; into a scratch
 *    target (backup/restore-testing/scratch-target.ts);
 * 2. settle: each test whose restore job ended is validated once (the connector compares what
 *    was restored with the recovery point), kept for the selection's ValidationWindowHours (a
 *    caller's final PutRestoreValidationResult ends that early; a VALIDATING one left at the end
 *    becomes TIMED_OUT), then its scratch resource is deleted (DeletionStatus).
 * A run whose start window closed while Coffer was down is skipped. Jobs go through the
 * domain's StartRestoreJob, so every check an ordinary restore gets applies.
 */
import type { CallScope } from '../backup/call-scope.js';
import type { IdSource } from '../backup/id-source.js';
import type { RestoreJob } from '../backup/jobs/job.js';
import type { JobLedger } from '../backup/jobs/job-ledger.js';
import type { RecoveryPoint } from '../backup/jobs/recovery-point.js';
import type { StartRestoreRequest } from '../backup/restore-jobs.js';
import { scratchMetadata } from '../backup/restore-testing/scratch-target.js';
import type { TestingPlanDocument } from '../backup/restore-testing/testing-plan-document.js';
import { conditionsHold } from '../backup/restore-testing/testing-selection-document.js';
import type { TestingSelectionDocument } from '../backup/restore-testing/testing-selection-document.js';
import { vaultEligible } from '../backup/restore-testing/vault-selectors.js';
import type { Catalog } from '../catalog/catalog.js';
import { everyItem } from '../catalog/pagination.js';
import type { RestoreJobTestRecord } from '../catalog/restore-job-tests.js';
import type { RestoreTestingPlanRecord } from '../catalog/restore-testing.js';
import type { CatalogScope } from '../catalog/scope.js';
import { compileCron, nextRun } from '../cron/cron-schedule.js';
import { arns } from '../iam/arn.js';
import type { RegisteredResource } from './live-plans.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** At most this many resources of one selection are restored per run. */
export const MAX_RESOURCES_PER_SELECTION = 30;
const SETTLE_BATCH = 100;
const TESTABLE_STATES: readonly string[] = ['COMPLETED', 'AVAILABLE'];

export interface RestoreTestHooks {
  /** StartRestoreJob with the domain's checks, as the account; the new job's id. */
  startRestore(scope: CallScope, request: StartRestoreRequest): Promise<string>;
  /** Compares a completed restore with its recovery point; undefined when the type has no check. */
  validate(job: RestoreJob): Promise<{ readonly ok: boolean; readonly message: string } | undefined>;
  /** Deletes what a completed restore created; a sentence saying so. */
  remove(job: RestoreJob): Promise<string>;
}

export interface RestoreTestDeps {
  readonly catalog: Catalog;
  readonly ledger: JobLedger;
  readonly ids: IdSource;
  readonly resources: (scope: CatalogScope) => Promise<readonly RegisteredResource[]>;
  readonly hooks: RestoreTestHooks;
  readonly warn: (line: string) => void;
}

const reasonOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Start windows are at most 168 hours: a run older than this can no longer start. */
const LOOK_BACK_MS = 8 * DAY_MS;

/** The latest run of the plan's schedule in (after, now] that might still start, if any. */
function latestRunIn(plan: TestingPlanDocument, after: number, now: number): number | undefined {
  const cron = compileCron(plan.ScheduleExpression);
  let latest: number | undefined;
  let t = nextRun(cron, new Date(Math.max(after, now - LOOK_BACK_MS)), plan.ScheduleExpressionTimezone)?.getTime();
  while (t !== undefined && t <= now) {
    latest = t;
    t = nextRun(cron, new Date(t), plan.ScheduleExpressionTimezone)?.getTime();
  }
  return latest;
}

export function nextPlanRun(plan: RestoreTestingPlanRecord, now: number): number | undefined {
  const doc = plan.document as unknown as TestingPlanDocument;
  return nextRun(compileCron(doc.ScheduleExpression), new Date(Math.max(now, plan.dispatchedUntil)), doc.ScheduleExpressionTimezone)?.getTime();
}

/** A number in [0, n) from a fresh id: RANDOM_WITHIN_WINDOW's pick, through the injected id source. */
function randomIndex(ids: IdSource, n: number): number {
  return Number.parseInt(ids.uuid().replace(/-/g, '').slice(0, 8), 16) % n;
}

export function createRestoreTests(deps: RestoreTestDeps) {
  const { catalog, ledger, ids, hooks } = deps;

  const vaultArnOf = (scope: CatalogScope, name: string) => arns.backupVault(scope, name);

  /** The recovery point a selection's resource is tested with, or undefined when none is eligible. */
  const pointFor = async (scope: CatalogScope, plan: TestingPlanDocument, resourceArn: string, now: number): Promise<RecoveryPoint | undefined> => {
    const selection = plan.RecoveryPointSelection;
    if (!selection.RecoveryPointTypes.includes('SNAPSHOT')) return undefined; // Coffer makes no continuous backups.
    const since = now - selection.SelectionWindowDays * DAY_MS;
    const eligible: RecoveryPoint[] = [];
    for await (const point of everyItem((page) => ledger.pointsByResource(scope, resourceArn, page))) {
      if (point.createdAt.getTime() < since) break; // newest first
      if (!TESTABLE_STATES.includes(point.state) || point.createdAt.getTime() > now) continue;
      if (!vaultEligible(vaultArnOf(scope, point.vaultName), selection.IncludeVaults, selection.ExcludeVaults)) continue;
      eligible.push(point);
    }
    if (eligible.length === 0) return undefined;
    return selection.Algorithm === 'LATEST_WITHIN_WINDOW' ? eligible[0] : eligible[randomIndex(ids, eligible.length)];
  };

  /** The resources a selection tests: named ones, or every protected resource of its type whose tags pass its conditions. */
  const resourcesOf = async (scope: CatalogScope, selection: TestingSelectionDocument): Promise<string[]> => {
    if (!selection.ProtectedResourceArns.includes('*')) return [...selection.ProtectedResourceArns].slice(0, MAX_RESOURCES_PER_SELECTION);
    const tags = new Map((await deps.resources(scope)).map((r) => [r.arn, r.tags]));
    const out: string[] = [];
    for await (const p of everyItem((page) => ledger.protectedResources(scope, page))) {
      if (p.resourceType !== selection.ProtectedResourceType) continue;
      if (!conditionsHold(selection.ProtectedResourceConditions, tags.get(p.resourceArn) ?? {})) continue;
      out.push(p.resourceArn);
    }
    return out.sort().slice(0, MAX_RESOURCES_PER_SELECTION);
  };

  const runPlan = async (plan: RestoreTestingPlanRecord, now: number): Promise<number> => {
    const doc = plan.document as unknown as TestingPlanDocument;
    const scope: CallScope = {
      accountId: plan.accountId,
      region: plan.region,
      principal: arns.accountRoot(plan.accountId),
      requestId: `restore-test-${ids.uuid()}`,
    };
    let started = 0;
    for await (const selection of everyItem((page) => catalog.restoreTesting.listSelections(plan, plan.name, page))) {
      const sel = selection.document as unknown as TestingSelectionDocument;
      for (const resourceArn of await resourcesOf(plan, sel)) {
        const point = await pointFor(plan, doc, resourceArn, now);
        if (point === undefined) {
          deps.warn(
            `coffer: restore testing plan ${plan.name} (account ${plan.accountId}, ${plan.region}), selection ${selection.name}: no recovery point of ${resourceArn} within ${doc.RecoveryPointSelection.SelectionWindowDays} days in the plan's vaults; nothing restored`,
          );
          continue;
        }
        try {
          const metadata = scratchMetadata(point.resourceType, point.restoreMetadata ?? {}, sel.RestoreMetadataOverrides, ids.uuid().slice(0, 8));
          const jobId = await hooks.startRestore(scope, {
            recoveryPointArn: point.arn,
            metadata,
            iamRoleArn: sel.IamRoleArn,
            resourceType: point.resourceType,
          });
          await catalog.restoreJobTests.record(plan, {
            restoreJobId: jobId,
            planArn: plan.arn,
            planName: plan.name,
            selectionName: selection.name,
            validationWindowHours: sel.ValidationWindowHours,
            createdAt: now,
          });
          started += 1;
        } catch (err) {
          deps.warn(`coffer: restore testing plan ${plan.name}, selection ${selection.name}: the restore of ${point.arn} was refused: ${reasonOf(err)}`);
        }
      }
    }
    return started;
  };

  const dispatch = async (now: number): Promise<number> => {
    let started = 0;
    for await (const plan of everyItem((page) => catalog.restoreTesting.allPlans(page))) {
      const doc = plan.document as unknown as TestingPlanDocument;
      const due = latestRunIn(doc, plan.dispatchedUntil, now);
      if (due === undefined) continue;
      const open = now < due + doc.StartWindowHours * HOUR_MS;
      if (!(await catalog.restoreTesting.advancePlan(plan, plan.name, plan.dispatchedUntil, now, open ? due : undefined))) continue;
      if (!open) {
        deps.warn(
          `coffer: restore testing plan ${plan.name}: the run due at ${new Date(due).toISOString()} was missed (its ${doc.StartWindowHours}-hour start window has closed)`,
        );
        continue;
      }
      started += await runPlan(plan, now);
    }
    return started;
  };

  const settleOne = async (test: RestoreJobTestRecord, now: number): Promise<void> => {
    const update = (patch: Omit<Parameters<Catalog['restoreJobTests']['update']>[2], 'updatedAt'>) =>
      catalog.restoreJobTests.update(test, test.restoreJobId, { ...patch, updatedAt: now });
    const job = await ledger.job('restore', test, test.restoreJobId);
    if (job === undefined) {
      await update({ deletionStatus: 'FAILED', deletionStatusMessage: `Restore job ${test.restoreJobId} no longer exists.` });
      return;
    }
    if (job.state === 'PENDING' || job.state === 'RUNNING') return;
    if (job.state !== 'COMPLETED') {
      await update({
        deletionStatus: 'SUCCESSFUL',
        deletionStatusMessage: `Nothing to delete: the restore job ended ${job.state}, and a failed restore removes what it created.`,
      });
      return;
    }
    let current = test;
    if (current.validationStatus === undefined) {
      await update({ validationStatus: 'VALIDATING' });
      const verdict = await hooks
        .validate(job)
        .catch((err: unknown) => ({ ok: false, message: `The restored resource could not be checked: ${reasonOf(err)}` }));
      current = await update({
        ...(verdict === undefined
          ? { validationStatus: 'SUCCESSFUL', validationStatusMessage: `The restore completed; Coffer has no content check for ${job.resourceType} resources.` }
          : { validationStatus: verdict.ok ? 'SUCCESSFUL' : 'FAILED', validationStatusMessage: verdict.message }),
        deleteAt: (job.completedAt ?? new Date(now)).getTime() + (test.validationWindowHours ?? 0) * HOUR_MS,
      });
    }
    if (current.deleteAt !== undefined && current.deleteAt > now) return;
    if (current.validationStatus === 'VALIDATING') {
      await update({
        validationStatus: 'TIMED_OUT',
        validationStatusMessage: `No final validation result came within the ${test.validationWindowHours ?? 0}-hour validation window.`,
      });
    }
    if (current.deletionStatus === undefined && !(await catalog.restoreJobTests.claimDeletion(test, test.restoreJobId, now))) return;
    try {
      await update({ deletionStatus: 'SUCCESSFUL', deletionStatusMessage: await hooks.remove(job) });
    } catch (err) {
      await update({ deletionStatus: 'FAILED', deletionStatusMessage: reasonOf(err) });
    }
  };

  const settle = async (now: number): Promise<void> => {
    for (const test of await catalog.restoreJobTests.unsettled(SETTLE_BATCH)) {
      await settleOne(test, now).catch((err: unknown) =>
        deps.warn(`coffer: restore test of restore job ${test.restoreJobId} could not be settled (retried at the next tick): ${reasonOf(err)}`),
      );
    }
  };

  return {
    /** One tick: settle what ended, then start what is due; the number of restore jobs started. */
    async tick(now: number): Promise<number> {
      await settle(now);
      return dispatch(now);
    },
    /** The next plan run or end of a validation window after `now`. */
    async nextEventAfter(now: number): Promise<number | undefined> {
      const times: number[] = [];
      for await (const plan of everyItem((page) => catalog.restoreTesting.allPlans(page))) {
        const t = nextPlanRun(plan, now);
        if (t !== undefined) times.push(t);
      }
      for (const test of await catalog.restoreJobTests.unsettled(SETTLE_BATCH))
        if (test.deleteAt !== undefined && test.deleteAt > now) times.push(test.deleteAt);
      return times.length === 0 ? undefined : Math.min(...times);
    },
  };
}

export type RestoreTests = ReturnType<typeof createRestoreTests>;
