/**
 * The skeleton the three job services share (StartBackupJob, StartCopyJob, StartRestoreJob
 * and their Describe and List): a start checked, then made once per IdempotencyToken (a repeat
 * answers the first response; the same token for another request is refused); a describe that
 * names the missing job; a list filtered and paged through the ledger. Each service says only
 * what is its own: how a request is checked and how its job is made.
 */
import { createHash } from 'node:crypto';
import type { Catalog } from '../../catalog/catalog.js';
import type { JsonValue } from '../../catalog/json-text.js';
import { BackupError } from '../backup-error.js';
import { checkPassRole } from '../pass-role.js';
import type { CallScope } from '../call-scope.js';
import type { Clock } from '../clock.js';
import { listPage } from '../list-page.js';
import type { ListPage, ListRequest } from '../list-page.js';
import type { JobOf } from './job.js';
import type { JobLedger, JobQuery } from './job-ledger.js';
import type { JobKind, StateOf } from './job-states.js';
import { categoryFilter } from './message-category.js';

/** How long a start's IdempotencyToken is remembered. */
const TOKEN_TTL_MS = 24 * 60 * 60_000;

/** The filters of ListBackupJobs, ListCopyJobs and ListRestoreJobs (each takes the ones it has). */
export interface JobListRequest<K extends JobKind> extends ListRequest {
  readonly state?: StateOf<K> | undefined;
  readonly resourceArn?: string | undefined;
  readonly resourceType?: string | undefined;
  readonly createdBefore?: Date | undefined;
  readonly createdAfter?: Date | undefined;
  readonly completeBefore?: Date | undefined;
  readonly completeAfter?: Date | undefined;
  /** The account whose jobs are asked for; another than the caller's lists nothing. */
  readonly accountId?: string | undefined;
  readonly parentJobId?: string | undefined;
  readonly vaultName?: string | undefined;
  readonly destinationVaultArn?: string | undefined;
  readonly sourceRecoveryPointArn?: string | undefined;
  /** ByMessageCategory as the caller wrote it (any case; ANY, * and AGGREGATE_ALL: every category). */
  readonly messageCategory?: string | undefined;
  readonly restoreTestingPlanArn?: string | undefined;
  /** restore jobs (ListRestoreJobsByProtectedResource): the restored point's creation date. */
  readonly recoveryPointCreatedAfter?: Date | undefined;
  readonly recoveryPointCreatedBefore?: Date | undefined;
}

export interface JobService<K extends JobKind, Start, Started> {
  start(scope: CallScope, request: Start): Promise<Started>;
  describe(scope: CallScope, jobId: string): Promise<JobOf<K>>;
  list(scope: CallScope, request: JobListRequest<K>): Promise<ListPage<JobOf<K>>>;
}

export interface JobServiceDeps {
  readonly ledger: JobLedger;
  readonly catalog: Catalog;
  readonly clock: Clock;
}

export interface JobServiceSpec<K extends JobKind, Start extends { readonly idempotencyToken?: string | undefined }, Started> {
  readonly kind: K;
  /** The AWS operation, as idempotency tokens are kept per operation. */
  readonly operation: string;
  /** Refuses a bad request before anything is read. */
  check(request: Start): void;
  /** Makes the job (through the ledger). */
  create(scope: CallScope, request: Start): Promise<Started>;
  /** The answer as kept for a repeat, and back. */
  toStored(started: Started): JsonValue;
  fromStored(stored: JsonValue): Started;
}

export function jobNotFound(scope: CallScope, kind: JobKind, jobId: string): BackupError {
  return new BackupError('JobNotFound', `No ${kind} job ${jobId} in account ${scope.accountId}, region ${scope.region}.`, { context: jobId });
}

export function requestHash(request: unknown): string {
  return createHash('sha256').update(JSON.stringify(request)).digest('hex');
}

export function createJobService<K extends JobKind, Start extends { readonly idempotencyToken?: string | undefined }, Started>(
  deps: JobServiceDeps,
  spec: JobServiceSpec<K, Start, Started>,
): JobService<K, Start, Started> {
  const { ledger, catalog, clock } = deps;
  return {
    async start(scope, request) {
      spec.check(request);
      const role = (request as { readonly iamRoleArn?: unknown }).iamRoleArn;
      if (typeof role === 'string') await checkPassRole(catalog, clock, scope, role);
      const token = request.idempotencyToken;
      if (token === undefined) return spec.create(scope, request);
      const hash = requestHash({ ...request, idempotencyToken: undefined });
      const replay = (response: JsonValue, requestHashOf: string): Started => {
        if (requestHashOf !== hash)
          throw new BackupError(
            'IdempotencyTokenReused',
            `IdempotencyToken ${JSON.stringify(token)} was already used for a different ${spec.operation} request.`,
            { context: token },
          );
        return spec.fromStored(response);
      };
      const now = clock.now().getTime();
      const earlier = await catalog.idempotency.find(scope, spec.operation, token, now);
      if (earlier !== undefined) return replay(earlier.response, earlier.requestHash);
      const started = await spec.create(scope, request);
      const kept = await catalog.idempotency.remember(scope, {
        operation: spec.operation,
        token,
        requestHash: hash,
        createdAt: now,
        expiresAt: now + TOKEN_TTL_MS,
        response: spec.toStored(started),
      });
      return replay(kept.response, kept.requestHash);
    },

    async describe(scope, jobId) {
      const job = await ledger.job(spec.kind, scope, jobId);
      if (job === undefined) throw jobNotFound(scope, spec.kind, jobId);
      return job;
    },

    async list(scope, request) {
      if (request.accountId !== undefined && request.accountId !== scope.accountId) return { items: [], nextToken: undefined };
      // Coffer's restore jobs are never children of another (no composite restores).
      if (spec.kind === 'restore' && request.parentJobId !== undefined) return { items: [], nextToken: undefined };
      const query: JobQuery<K> = {
        state: request.state,
        resourceArn: request.resourceArn,
        resourceType: request.resourceType,
        createdBefore: request.createdBefore,
        createdAfter: request.createdAfter,
        completedBefore: request.completeBefore,
        completedAfter: request.completeAfter,
        parentJobId: request.parentJobId,
        vaultName: request.vaultName,
        destinationVaultArn: request.destinationVaultArn,
        sourceRecoveryPointArn: request.sourceRecoveryPointArn,
        messageCategory: categoryFilter(request.messageCategory),
        restoreTestingPlanArn: request.restoreTestingPlanArn,
        recoveryPointCreatedAfter: request.recoveryPointCreatedAfter,
        recoveryPointCreatedBefore: request.recoveryPointCreatedBefore,
      };
      return listPage(request, (p) => ledger.jobs(spec.kind, scope, query, p));
    },
  };
}
