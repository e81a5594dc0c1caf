/**
 * The ledger's writes, bound to one session: the catalog stores of a transaction (or of no
 * transaction) and the events its changes yield. Every write is a transition decided by the pure
 * functions (job-transitions.ts, recovery-point-transitions.ts) and written under its guard, so
 * a job that changed meanwhile is never overwritten.
 */
import type { CatalogStores } from '../../catalog/catalog.js';
import type { JobGuard as CatalogGuard } from '../../catalog/job-records.js';
import type { CatalogScope } from '../../catalog/scope.js';
import type { NewRecoveryPoint, RecoveryPointPatch } from '../../catalog/recovery-points.js';
import { backupJobRow, copyJobRow, jobOfRow, jobPatch, pointOfRow, pointPatch, pointRow, restoreJobRow } from './catalog-records.js';
import type { BackupJob, BackupJobDraft, CopyJob, CopyJobDraft, JobOf, RestoreJob, RestoreJobDraft } from './job.js';
import type { JobEvent } from './job-events.js';
import type { JobKind } from './job-states.js';
import { IllegalTransitionError, transitionJob } from './job-transitions.js';
import type { JobGuard, JobStep, JobTransition, JobView, ObjectFailure } from './job-transitions.js';
import type { RecoveryPoint, RecoveryPointDraft } from './recovery-point.js';
import { transitionPoint } from './recovery-point-transitions.js';
import type { PointStep, PointTransition, PointView } from './recovery-point-transitions.js';

/** The steps that remove a recovery point's row. */
export type RemovalStep = 'discard' | 'erase';
export type PointChangeStep = Exclude<PointStep, { readonly type: RemovalStep }>;

/** A job a worker holds: `job` follows every change the ledger writes or reads for it. */
export interface Claim<K extends JobKind> {
  readonly job: JobOf<K>;
  /** The worker holding it. */
  readonly holder: string;
}

/** A recovery point as a write needs it: where it is and what its transitions read. */
export type PointSubject = PointView & Pick<RecoveryPoint, 'arn' | 'vaultName'>;

export interface LedgerWrites {
  /** Each create throws CatalogConflictError when the id (or ARN) is taken. */
  createBackupJob(scope: CatalogScope, draft: BackupJobDraft): Promise<BackupJob>;
  /** Many at once (the scheduler's runs), in few statements; how many. */
  createBackupJobs(scope: CatalogScope, drafts: readonly BackupJobDraft[]): Promise<number>;
  createRestoreJob(scope: CatalogScope, draft: RestoreJobDraft): Promise<RestoreJob>;
  createCopyJob(scope: CatalogScope, draft: CopyJobDraft): Promise<CopyJob>;
  /**
   * A worker's step on the job it holds, decided on `claim.job`: the job as written (and
   * `claim.job` with it), or undefined when the step is not legal now or the job changed
   * meanwhile (stopped, or taken over by another worker).
   */
  step<K extends JobKind>(claim: Claim<K>, step: JobStep): Promise<JobOf<K> | undefined>;
  /**
   * A caller's or the scheduler's change: decided on the job as it is now and written under its
   * guard, decided again when the job changed in between. Undefined when there is no such job;
   * an IllegalTransitionError from `decide` is the caller's to report.
   */
  change<K extends JobKind>(kind: K, scope: CatalogScope, id: string, decide: (job: JobOf<K>, now: Date) => JobTransition<K>): Promise<JobOf<K> | undefined>;
  /** A new CREATING recovery point; throws CatalogConflictError when the ARN is taken. */
  createPoint(scope: CatalogScope, draft: RecoveryPointDraft): Promise<RecoveryPoint>;
  /**
   * A recovery point brought back from its vault's storage (coffer recover) exactly as it was
   * recorded: no transition, since nothing about it changes. Throws CatalogConflictError when the ARN is taken.
   */
  recoverPoint(scope: CatalogScope, point: NewRecoveryPoint, rest: RecoveryPointPatch): Promise<void>;
  /** A recovery point's step: the point as written, or undefined when not legal now or changed meanwhile. */
  stepPoint(scope: CatalogScope, point: PointSubject, step: PointChangeStep): Promise<RecoveryPoint | undefined>;
  /** Removes the point (and its tags): `discard` a CREATING one whose job did not finish, `erase` a DELETING one whose data is gone; false when not applied. */
  removePoint(scope: CatalogScope, point: PointSubject, step: RemovalStep): Promise<boolean>;
}

function legalPointStep(point: PointView, step: PointStep, now: Date): PointTransition | undefined {
  try {
    return transitionPoint(point, step, now);
  } catch (err) {
    if (err instanceof IllegalTransitionError) return undefined;
    throw err;
  }
}

export interface Session {
  readonly stores: CatalogStores;
  readonly events: JobEvent[];
  /** Whether anyone hears the events (a listener or a sink); when nobody does, none are made. */
  readonly recording: boolean;
  readonly now: () => Date;
  /** The time leases are measured in: real time, even when `now` is a manual clock (job-ledger.ts). */
  readonly leaseNow: () => Date;
}

const CHANGE_ATTEMPTS = 5;

/** `leaseNow`: the lease clock's time (an 'unclaimed' guard asks that no lease is live then). */
export function catalogGuard<K extends JobKind>(guard: JobGuard<K>, holder: string | undefined, leaseNow: Date): CatalogGuard<K> {
  if (guard.holder === 'claim' && holder === undefined) throw new TypeError("a worker's step needs the worker's claim");
  return {
    states: guard.states,
    ...(guard.holder === 'claim' ? { leaseOwner: holder! } : guard.holder === 'unclaimed' ? { unleasedAt: leaseNow.getTime() } : {}),
  };
}

export function jobEvent<K extends JobKind>(
  job: Pick<JobOf<K>, 'kind' | 'accountId' | 'region' | 'id' | 'resourceArn'>,
  t: Pick<JobTransition<K>, 'step' | 'by' | 'from' | 'to'> | undefined,
  to: JobOf<K>['state'],
  at: Date,
  statusMessage: string | undefined,
  objectFailures?: readonly ObjectFailure[],
): JobEvent {
  return {
    ...(objectFailures === undefined || objectFailures.length === 0 ? {} : { objectFailures }),
    type: 'job',
    kind: job.kind,
    step: t?.step ?? 'create',
    by: t?.by ?? 'ledger',
    accountId: job.accountId,
    region: job.region,
    jobId: job.id,
    resourceArn: job.resourceArn,
    from: t?.from,
    to,
    at,
    statusMessage,
  } as JobEvent;
}

export function ledgerWrites(session: Session): LedgerWrites {
  const { stores, events } = session;
  const created = <J extends JobOf<JobKind>>(job: J): J => {
    events.push(jobEvent(job, undefined, job.state, job.createdAt, job.statusMessage));
    return job;
  };
  const apply = async <K extends JobKind>(
    kind: K,
    job: JobOf<K>,
    t: JobTransition<K>,
    holder: string | undefined,
    objectFailures?: readonly ObjectFailure[],
  ): Promise<JobOf<K> | undefined> => {
    const now = session.now();
    const row = await stores.jobs.update(kind, job.id, jobPatch(t.change, now, t.letGo), catalogGuard(t.guard, holder, session.leaseNow()));
    if (row === undefined) return undefined;
    const written = jobOfRow<K>(row);
    events.push(jobEvent(written, t, written.state, now, written.statusMessage, objectFailures));
    return written;
  };

  return {
    createBackupJob: async (scope, draft) => created(jobOfRow<'backup'>(await stores.jobs.createBackupJob(scope, backupJobRow(draft)))),
    async createBackupJobs(scope, drafts) {
      await stores.jobs.createBackupJobs(scope, drafts.map(backupJobRow));
      if (session.recording)
        for (const d of drafts)
          events.push(jobEvent({ kind: 'backup', ...scope, id: d.id, resourceArn: d.resourceArn }, undefined, d.state, d.createdAt, d.statusMessage));
      return drafts.length;
    },
    createRestoreJob: async (scope, draft) => created(jobOfRow<'restore'>(await stores.jobs.createRestoreJob(scope, restoreJobRow(draft)))),
    createCopyJob: async (scope, draft) => created(jobOfRow<'copy'>(await stores.jobs.createCopyJob(scope, copyJobRow(draft)))),

    async step<K extends JobKind>(claim: Claim<K>, step: JobStep) {
      let t: JobTransition<K>;
      try {
        t = transitionJob<K>(claim.job as unknown as JobView<K>, step, 'worker', session.now());
      } catch (err) {
        if (err instanceof IllegalTransitionError) return undefined;
        throw err;
      }
      const written = await apply<K>(claim.job.kind as K, claim.job, t, claim.holder, step.type === 'complete' ? step.objectFailures : undefined);
      if (written !== undefined) (claim as { job: typeof written }).job = written;
      return written;
    },

    async change(kind, scope, id, decide) {
      for (let attempt = 0; attempt < CHANGE_ATTEMPTS; attempt += 1) {
        const row = await stores.jobs.get(kind, scope, id);
        if (row === undefined) return undefined;
        const job = jobOfRow<typeof kind>(row);
        const written = await apply(kind, job, decide(job, session.now()), undefined);
        if (written !== undefined) return written;
      }
      throw new Error(`${kind} job ${id} kept changing while it was being changed; try again`);
    },

    async createPoint(scope, draft) {
      const point = pointOfRow(await stores.recoveryPoints.create(scope, pointRow(draft)));
      events.push({
        type: 'recovery-point',
        step: 'create',
        ...scope,
        arn: point.arn,
        vaultName: point.vaultName,
        from: undefined,
        to: point.state,
        storageClass: point.storageClass,
        at: point.createdAt,
      });
      return point;
    },

    async recoverPoint(scope, point, rest) {
      await stores.recoveryPoints.create(scope, point);
      const row = await stores.recoveryPoints.update(scope, point.arn, rest);
      if (row === undefined) throw new Error(`recovery point ${point.arn} vanished while it was recovered`);
      events.push({
        type: 'recovery-point',
        step: 'create',
        ...scope,
        arn: row.arn,
        vaultName: row.vaultName,
        from: undefined,
        to: row.state,
        storageClass: row.storageClass,
        at: new Date(row.updatedAt),
      });
    },

    async stepPoint(scope, point, step) {
      const now = session.now();
      const t = legalPointStep(point, step, now);
      if (t === undefined) return undefined;
      const row = await stores.recoveryPoints.update(scope, point.arn, pointPatch(t.change, now), t.guard.states);
      if (row === undefined) return undefined;
      const written = pointOfRow(row);
      events.push({
        type: 'recovery-point',
        step: t.step,
        ...scope,
        arn: point.arn,
        vaultName: point.vaultName,
        from: t.from,
        to: t.to,
        storageClass: written.storageClass,
        at: now,
      });
      return written;
    },

    async removePoint(scope, point, step) {
      const now = session.now();
      const t = legalPointStep(point, { type: step }, now);
      if (t === undefined || !(await stores.recoveryPoints.delete(scope, point.arn, t.guard.states))) return false;
      await stores.tags.deleteAll(scope, point.arn);
      events.push({
        type: 'recovery-point',
        step: t.step,
        ...scope,
        arn: point.arn,
        vaultName: point.vaultName,
        from: t.from,
        to: 'GONE',
        storageClass: undefined,
        at: now,
      });
      return true;
    },
  };
}
