/**
 * The job ledger: the one writer of job and recovery-point state. Runners, the scheduler and the
 * services call it; it decides every change with the pure transitions, writes it to the catalog
 * under its guard (a worker's claim and lease stay down here, in the catalog layer), and yields
 * one event per applied change. Reads answer domain records.
 *
 * Events: listeners (`events.subscribe`) hear them after the change committed. A durable sink
 * (`outbox`) is called inside the transaction that makes the change, with its stores, so an
 * outbox row commits with the change or not at all; with a sink every write runs in a
 * transaction, without one a single write needs none.
 */
import type { Catalog, CatalogStores } from '../../catalog/catalog.js';
import type { CatalogScope } from '../../catalog/scope.js';
import type { Clock } from '../clock.js';
import { jobOfRow, jobPatch } from './catalog-records.js';
import type { JobOf } from './job.js';
import { createJobEventHub } from './job-events.js';
import type { JobEvent, JobEventSink, JobEvents } from './job-events.js';
import type { BackupJobState, JobKind } from './job-states.js';
import { completionWindowStop, IllegalTransitionError, transitionJob } from './job-transitions.js';
import type { JobTransition } from './job-transitions.js';
import { ledgerReads } from './ledger-reads.js';
import type { LedgerReads } from './ledger-reads.js';
import { catalogGuard, jobEvent, ledgerWrites } from './ledger-writes.js';
import type { Claim, LedgerWrites, Session } from './ledger-writes.js';

export type { Claim, PointChangeStep, PointSubject, RemovalStep } from './ledger-writes.js';
export type { JobQuery, PointQuery } from './ledger-reads.js';

/** The ledger inside one catalog transaction: its reads and writes, and the transaction's stores for anything else. */
export interface LedgerTransaction extends LedgerReads, LedgerWrites {
  readonly stores: CatalogStores;
}

export interface JobLedger extends LedgerReads, LedgerWrites {
  /** Runs `fn` in one catalog transaction: its writes commit together, and their events are heard after. */
  transaction<T>(fn: (tx: LedgerTransaction) => Promise<T>): Promise<T>;
  /** Takes the job of `kind` due longest (no other worker holding it) for `holder`, for `leaseMs`. */
  claim<K extends JobKind>(kind: K, holder: string, leaseMs: number): Promise<Claim<K> | undefined>;
  /** Takes a job whose worker is gone (started, lease run out), to settle it without a free worker. */
  claimOrphan<K extends JobKind>(kind: K, holder: string, leaseMs: number): Promise<Claim<K> | undefined>;
  /** Extends the claim; false when another worker took the job over. */
  renew(claim: Claim<JobKind>, leaseMs: number): Promise<boolean>;
  /** The job as stored now (a stop may have come); `claim.job` follows. Undefined when it is gone. */
  refresh<K extends JobKind>(claim: Claim<K>): Promise<JobOf<K> | undefined>;
  /** Every claim `holder` has ends now (a graceful stop), so other workers may take the jobs at once. */
  releaseClaimsOf(holder: string): Promise<number>;
  /** The scheduler: waiting backup jobs whose start window closed, no worker holding them, expire; how many. */
  expireUnstarted(): Promise<number>;
  /** The scheduler: running backup jobs past their completion window are asked to stop; how many. */
  stopOverdue(): Promise<number>;
  readonly events: JobEvents;
}

export interface JobLedgerDeps {
  readonly catalog: Catalog;
  readonly clock: Clock;
  /** A durable sink for the events, written in the transaction of their change (an outbox). */
  readonly outbox?: JobEventSink | undefined;
  /**
   * The clock leases are measured in; default `clock`. A lease says whether a process is still
   * alive, which is a matter of real time: with a manual clock (which stands still while jobs
   * run) a dead node's lease would never run out, and nodes whose manual clocks differ would
   * disagree about it. Across machines it needs clocks in sync well within a lease (NTP).
   */
  readonly leaseClock?: Clock | undefined;
  /** Where a listener's failure is reported (it never undoes a change). */
  readonly warn?: ((line: string) => void) | undefined;
}

type Head = { readonly accountId: string; readonly region: string; readonly id: string; readonly resourceArn: string };

export function createJobLedger(deps: JobLedgerDeps): JobLedger {
  const { catalog, clock, outbox } = deps;
  const hub = createJobEventHub((err) => deps.warn?.(`coffer: a job event listener failed: ${err instanceof Error ? err.message : String(err)}`));
  const now = (): Date => clock.now();
  const leaseNow = (): Date => (deps.leaseClock ?? clock).now();
  const reads = ledgerReads(catalog);

  /** Runs writes in a session: a transaction when a sink must see them in it (or `atomic`), then tells the listeners. */
  const run = async <T>(atomic: boolean, fn: (session: Session) => Promise<T>): Promise<T> => {
    const events: JobEvent[] = [];
    const recording = outbox !== undefined || !hub.quiet;
    const result =
      atomic || outbox !== undefined
        ? await catalog.transaction(async (stores) => {
            const value = await fn({ stores, events, recording, now, leaseNow });
            if (outbox !== undefined && events.length > 0) await outbox(events, stores);
            return value;
          })
        : await fn({ stores: catalog, events, recording, now, leaseNow });
    if (events.length > 0) hub.publish(events);
    return result;
  };
  const write = <T>(fn: (w: LedgerWrites) => Promise<T>): Promise<T> => run(false, (session) => fn(ledgerWrites(session)));

  /** Applies one transition to many jobs: grouped by identical change, a few guarded statements each. */
  const applyMany = async <K extends JobKind>(kind: K, decided: readonly { readonly head: Head; readonly t: JobTransition<K> }[]): Promise<number> => {
    if (decided.length === 0) return 0;
    return run(true, async ({ stores, events, recording }) => {
      const at = now();
      const groups = new Map<string, { t: JobTransition<K>; heads: Head[] }>();
      for (const d of decided) {
        // One step at one instant: only the message tells two changes apart.
        const key = d.t.change.statusMessage ?? '';
        const group = groups.get(key) ?? { t: d.t, heads: [] };
        group.heads.push(d.head);
        groups.set(key, group);
      }
      let applied = 0;
      for (const { t, heads } of groups.values()) {
        const byId = new Map(heads.map((h) => [h.id, h]));
        const ids = await stores.jobs.updateMany(kind, [...byId.keys()], jobPatch(t.change, at, t.letGo), catalogGuard(t.guard, undefined, leaseNow()));
        if (recording) for (const id of ids) events.push(jobEvent({ kind, ...byId.get(id)! }, t, t.to, at, t.change.statusMessage ?? undefined));
        applied += ids.length;
      }
      return applied;
    });
  };

  /** Each candidate's transition, leaving out one that is no longer legal (a worker got to it first). */
  const decideEach = <H extends Head, K extends JobKind>(heads: readonly H[], decide: (head: H) => JobTransition<K>) =>
    heads.flatMap((head) => {
      try {
        return [{ head, t: decide(head) }];
      } catch (err) {
        if (err instanceof IllegalTransitionError) return [];
        throw err;
      }
    });
  const view = (h: { state: BackupJobState; statusMessage: string | undefined; attempts: number; startBy: number | undefined }) => ({
    kind: 'backup' as const,
    state: h.state,
    statusMessage: h.statusMessage,
    attempts: h.attempts,
    startBy: h.startBy === undefined ? undefined : new Date(h.startBy),
  });

  return {
    ...reads,
    createBackupJob: (scope, draft) => write((w) => w.createBackupJob(scope, draft)),
    createBackupJobs: (scope, drafts) => write((w) => w.createBackupJobs(scope, drafts)),
    createRestoreJob: (scope, draft) => write((w) => w.createRestoreJob(scope, draft)),
    createCopyJob: (scope, draft) => write((w) => w.createCopyJob(scope, draft)),
    step: (claim, step) => write((w) => w.step(claim, step)),
    change: (kind, scope, id, decide) => write((w) => w.change(kind, scope, id, decide)),
    createPoint: (scope, draft) => write((w) => w.createPoint(scope, draft)),
    stepPoint: (scope, point, step) => write((w) => w.stepPoint(scope, point, step)),
    recoverPoint: (scope, point, rest) => run(true, (session) => ledgerWrites(session).recoverPoint(scope, point, rest)),
    // Removing a point takes its tags with it: two statements, one transaction.
    removePoint: (scope, point, step) => run(true, (session) => ledgerWrites(session).removePoint(scope, point, step)),

    transaction: (fn) => run(true, (session) => fn({ ...ledgerReads(session.stores), ...ledgerWrites(session), stores: session.stores })),

    async claim(kind, holder, leaseMs) {
      const row = await catalog.jobs.claimNextJob(kind, holder, leaseMs, now().getTime(), leaseNow().getTime());
      return row === undefined ? undefined : { job: jobOfRow(row), holder };
    },
    async claimOrphan(kind, holder, leaseMs) {
      const row = await catalog.jobs.claimNextOrphan(kind, holder, leaseMs, now().getTime(), leaseNow().getTime());
      return row === undefined ? undefined : { job: jobOfRow(row), holder };
    },
    renew: (claim, leaseMs) => catalog.jobs.renewLease(claim.job.kind, claim.job.id, claim.holder, leaseMs, leaseNow().getTime()),
    async refresh<K extends JobKind>(claim: Claim<K>) {
      const job = await reads.job<K>(claim.job.kind as K, claim.job, claim.job.id);
      if (job !== undefined) (claim as { job: typeof job }).job = job;
      return job;
    },
    releaseClaimsOf: (holder) => catalog.jobs.releaseLeasesOf(holder),

    async expireUnstarted() {
      const at = now();
      const heads = await catalog.jobWindows.unstartedPastStart(at.getTime());
      return applyMany(
        'backup',
        decideEach(heads, (h) => transitionJob(view(h), { type: 'expire' }, 'scheduler', at)),
      );
    },
    async stopOverdue() {
      const at = now();
      const heads = await catalog.jobWindows.runningPastCompletion(at.getTime());
      return applyMany(
        'backup',
        decideEach(heads, (h) => completionWindowStop(view(h), at)),
      );
    },
    events: hub,
  };
}

/** Where a job lives, as the catalog scopes it. */
export function scopeOf(job: { readonly accountId: string; readonly region: string }): CatalogScope {
  return { accountId: job.accountId, region: job.region };
}
