/**
 * The ledger's reads: jobs and recovery points from the catalog, as domain records, with
 * queries in domain terms (Dates). Reads may run anywhere; only their mapping lives here.
 */
import type { CatalogStores } from '../../catalog/catalog.js';
import type { JobFilter } from '../../catalog/job-records.js';
import type { Page, PageRequest } from '../../catalog/pagination.js';
import type { RecoveryPointFilter } from '../../catalog/recovery-points.js';
import type { CatalogScope } from '../../catalog/scope.js';
import { jobOfRow, pointOfRow, protectedResourceOfRow } from './catalog-records.js';
import type { JobOf } from './job.js';
import type { JobKind, RecoveryPointState, StateOf } from './job-states.js';
import type { ProtectedResource, RecoveryPoint } from './recovery-point.js';

export interface JobQuery<K extends JobKind> {
  readonly state?: StateOf<K> | undefined;
  /** Any of these states (with `state`, both must hold). */
  readonly states?: readonly StateOf<K>[] | undefined;
  readonly resourceArn?: string | undefined;
  readonly resourceType?: string | undefined;
  readonly createdAfter?: Date | undefined;
  readonly createdBefore?: Date | undefined;
  readonly completedAfter?: Date | undefined;
  readonly completedBefore?: Date | undefined;
  /** The stored category (message-category.ts categoryFilter resolves what a caller wrote). */
  readonly messageCategory?: string | undefined;
  /** restore jobs: the creation date of the point they restore. */
  readonly recoveryPointCreatedAfter?: Date | undefined;
  readonly recoveryPointCreatedBefore?: Date | undefined;
  /** backup jobs */
  readonly vaultName?: string | undefined;
  /** backup and copy jobs */
  readonly parentJobId?: string | undefined;
  /** copy jobs */
  readonly destinationVaultArn?: string | undefined;
  readonly sourceRecoveryPointArn?: string | undefined;
  /** restore jobs: those a restore testing plan started */
  readonly restoreTestingPlanArn?: string | undefined;
}

export interface PointQuery {
  readonly resourceArn?: string | undefined;
  readonly resourceType?: string | undefined;
  readonly planId?: string | undefined;
  readonly state?: RecoveryPointState | undefined;
  readonly createdAfter?: Date | undefined;
  readonly createdBefore?: Date | undefined;
}

export interface LedgerReads {
  job<K extends JobKind>(kind: K, scope: CatalogScope, id: string): Promise<JobOf<K> | undefined>;
  /** Newest first; query members a kind does not have are ignored. */
  jobs<K extends JobKind>(kind: K, scope: CatalogScope, query?: JobQuery<K>, page?: PageRequest): Promise<Page<JobOf<K>>>;
  point(scope: CatalogScope, arn: string): Promise<RecoveryPoint | undefined>;
  /** Newest first. */
  pointsByVault(scope: CatalogScope, vaultName: string, query?: PointQuery, page?: PageRequest): Promise<Page<RecoveryPoint>>;
  /** Newest first, across the scope's vaults. */
  pointsByResource(scope: CatalogScope, resourceArn: string, page?: PageRequest): Promise<Page<RecoveryPoint>>;
  /** Each resource with its newest recovery point (in `vaultName` only, when given). */
  protectedResources(scope: CatalogScope, page?: PageRequest, vaultName?: string): Promise<Page<ProtectedResource>>;
  /** Every scope: points whose deletion date has come by `now`, earliest first. */
  pointsDueForDeletion(now: Date, page?: PageRequest): Promise<Page<RecoveryPoint>>;
  /** Every scope: WARM points whose cold storage date has come, and COLD ones with a warm copy left to forget. */
  pointsDueForColdStorage(now: Date, page?: PageRequest): Promise<Page<RecoveryPoint>>;
}

/** Undefined members left out. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const ms = (d: Date | undefined): number | undefined => d?.getTime();

function jobFilter<K extends JobKind>(q: JobQuery<K>): JobFilter<K> {
  return defined({
    state: q.state,
    states: q.states,
    resourceArn: q.resourceArn,
    resourceType: q.resourceType,
    createdAfter: ms(q.createdAfter),
    createdBefore: ms(q.createdBefore),
    completedAfter: ms(q.completedAfter),
    completedBefore: ms(q.completedBefore),
    messageCategory: q.messageCategory,
    recoveryPointCreatedAfter: ms(q.recoveryPointCreatedAfter),
    recoveryPointCreatedBefore: ms(q.recoveryPointCreatedBefore),
    vaultName: q.vaultName,
    parentJobId: q.parentJobId,
    destinationVaultArn: q.destinationVaultArn,
    sourceRecoveryPointArn: q.sourceRecoveryPointArn,
    restoreTestingPlanArn: q.restoreTestingPlanArn,
  }) as JobFilter<K>;
}

function pointFilter(q: PointQuery): RecoveryPointFilter {
  return defined({
    resourceArn: q.resourceArn,
    resourceType: q.resourceType,
    planId: q.planId,
    state: q.state,
    createdAfter: ms(q.createdAfter),
    createdBefore: ms(q.createdBefore),
  }) as RecoveryPointFilter;
}

function mapPage<A, B>(page: Page<A>, map: (a: A) => B): Page<B> {
  return { items: page.items.map(map), nextCursor: page.nextCursor };
}

export function ledgerReads(stores: Pick<CatalogStores, 'jobs' | 'recoveryPoints'>): LedgerReads {
  return {
    async job(kind, scope, id) {
      const row = await stores.jobs.get(kind, scope, id);
      return row === undefined ? undefined : jobOfRow(row);
    },
    async jobs(kind, scope, query = {}, page) {
      return mapPage(await stores.jobs.list(kind, scope, jobFilter(query), page), (row) => jobOfRow(row));
    },
    async point(scope, arn) {
      const row = await stores.recoveryPoints.get(scope, arn);
      return row === undefined ? undefined : pointOfRow(row);
    },
    pointsByVault: async (scope, vaultName, query = {}, page) =>
      mapPage(await stores.recoveryPoints.listByVault(scope, vaultName, pointFilter(query), page), pointOfRow),
    pointsByResource: async (scope, resourceArn, page) => mapPage(await stores.recoveryPoints.listByResource(scope, resourceArn, page), pointOfRow),
    protectedResources: async (scope, page, vaultName) =>
      mapPage(await stores.recoveryPoints.listProtectedResources(scope, page, vaultName), protectedResourceOfRow),
    pointsDueForDeletion: async (now, page) => mapPage(await stores.recoveryPoints.listDueForDeletion(now.getTime(), page), pointOfRow),
    pointsDueForColdStorage: async (now, page) => mapPage(await stores.recoveryPoints.listDueForColdStorage(now.getTime(), page), pointOfRow),
  };
}
