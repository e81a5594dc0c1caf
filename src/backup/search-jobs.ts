/**
 * AWS Backup Search (the `backup-search` service): a search job looks for objects and files in
 * the indexed recovery points of the caller's account and region. StartSearchJob fixes which
 * points it searches (ACTIVE indexes matching its SearchScope) and hands the job to a runner
 * (jobs/run-search.ts), which reads each point's trees and records what matches its ItemFilters.
 * AWS searches S3 and EBS backups; Coffer's file-system backups are its directory (EFS-type)
 * recovery points, so `EBS` in a scope, and EBSItemFilters, mean those.
 */
import type { Catalog } from '../catalog/catalog.js';
import { everyItem } from '../catalog/pagination.js';
import type { SearchJobBackupRecord, SearchJobRecord, SearchJobStatus } from '../catalog/search-jobs.js';
import type { CallScope } from './call-scope.js';
import type { Clock } from './clock.js';
import type { IdSource } from './id-source.js';
import { listPage } from './list-page.js';
import type { ListPage, ListRequest } from './list-page.js';
import type { ItemFilters } from './search-filters.js';

export type { SearchJobBackupRecord, SearchJobRecord, SearchJobStatus } from '../catalog/search-jobs.js';

/** A search job runs this long on one node before another may call it dead. */
export const SEARCH_LEASE_MS = 10 * 60_000;

export type SearchErrorCode = 'ValidationException' | 'ResourceNotFoundException' | 'ConflictException';

export class SearchError extends Error {
  constructor(
    readonly code: SearchErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SearchError';
  }
}

export interface SearchScope {
  readonly BackupResourceTypes: readonly ('S3' | 'EBS')[];
  readonly BackupResourceCreationTime?: { readonly CreatedAfter?: Date; readonly CreatedBefore?: Date };
  readonly SourceResourceArns?: readonly string[];
  readonly BackupResourceArns?: readonly string[];
  readonly BackupResourceTags?: Readonly<Record<string, string>>;
}

export interface NewSearchJobRequest {
  readonly name: string | undefined;
  readonly encryptionKeyArn: string | undefined;
  readonly clientToken: string | undefined;
  readonly scope: SearchScope;
  readonly filters: ItemFilters;
  readonly tags: Readonly<Record<string, string>>;
}

export interface SearchJob extends SearchJobRecord {
  readonly searchScope: SearchScope;
  readonly itemFilters: ItemFilters;
}

export interface SearchJobService {
  start(scope: CallScope, request: NewSearchJobRequest): Promise<SearchJob>;
  get(scope: CallScope, id: string): Promise<SearchJob>;
  list(scope: CallScope, status: SearchJobStatus | undefined, request: ListRequest): Promise<ListPage<SearchJob>>;
  listBackups(scope: CallScope, id: string, request: ListRequest): Promise<ListPage<SearchJobBackupRecord>>;
  /** The found items as stored (JSON text of their wire shape). */
  listResults(scope: CallScope, id: string, request: ListRequest): Promise<ListPage<string>>;
  stop(scope: CallScope, id: string): Promise<void>;
  tagsOf(scope: CallScope, arn: string): Promise<Readonly<Record<string, string>>>;
  tag(scope: CallScope, arn: string, tags: Readonly<Record<string, string>>): Promise<void>;
  untag(scope: CallScope, arn: string, keys: readonly string[]): Promise<void>;
}

export interface SearchJobDeps {
  readonly catalog: Catalog;
  readonly clock: Clock;
  /** Leases run on the wall clock. */
  readonly wallClock: Clock;
  readonly ids: IdSource;
  /** This node's name on the jobs it runs. */
  readonly holder: string;
  /** Runs the job on this node (fire and forget; it records its own end). */
  readonly run: (scope: CallScope, id: string) => void;
}

const RESOURCE_TYPE: Readonly<Record<'S3' | 'EBS', string>> = { S3: 'S3', EBS: 'EFS' };

function withDocuments(record: SearchJobRecord): SearchJob {
  return {
    ...record,
    searchScope: JSON.parse(record.scopeJson, reviveDates) as SearchScope,
    itemFilters: JSON.parse(record.filtersJson, reviveDates) as ItemFilters,
  };
}

const TIME_KEYS = new Set(['Value', 'CreatedAfter', 'CreatedBefore']);

/** The scope's and the filters' times are Dates once parsed (stored as ISO text). */
export function reviveDates(key: string, value: unknown): unknown {
  return TIME_KEYS.has(key) && typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value) ? new Date(value) : value;
}

function checkFilters(scope: SearchScope, filters: ItemFilters): void {
  const types = scope.BackupResourceTypes;
  if (types.length !== 1 || (types[0] !== 'S3' && types[0] !== 'EBS'))
    throw new SearchError('ValidationException', 'SearchScope.BackupResourceTypes must name exactly one resource type: S3 or EBS.');
  if (types[0] === 'S3' && (filters.EBSItemFilters?.length ?? 0) > 0)
    throw new SearchError('ValidationException', 'EBSItemFilters apply to EBS (file system) backups; this search is of S3 backups: use S3ItemFilters.');
  if (types[0] === 'EBS' && (filters.S3ItemFilters?.length ?? 0) > 0)
    throw new SearchError('ValidationException', 'S3ItemFilters apply to S3 backups; this search is of EBS (file system) backups: use EBSItemFilters.');
  const window = scope.BackupResourceCreationTime;
  if (window?.CreatedAfter !== undefined && window.CreatedBefore !== undefined && window.CreatedAfter >= window.CreatedBefore)
    throw new SearchError('ValidationException', 'SearchScope.BackupResourceCreationTime.CreatedAfter must be before CreatedBefore.');
}

export function createSearchJobService(deps: SearchJobDeps): SearchJobService {
  const { catalog, clock } = deps;
  const arnOf = (scope: CallScope, id: string): string => `arn:aws:backup-search:${scope.region}:${scope.accountId}:search-job/${id}`;

  /** A RUNNING or STOPPING job whose node died (its lease ran out) ends FAILED when read. */
  const settle = async (scope: CallScope, record: SearchJobRecord): Promise<SearchJobRecord> => {
    if ((record.status !== 'RUNNING' && record.status !== 'STOPPING') || record.leaseUntil === undefined || record.leaseUntil > deps.wallClock.now().getTime())
      return record;
    const failed = await catalog.searchJobs.transition(scope, record.id, ['RUNNING', 'STOPPING'], 'FAILED', {
      statusMessage: 'The Coffer node running this search stopped before it finished (its lease ran out); start the search again.',
      completedAt: clock.now().getTime(),
    });
    return failed ?? record;
  };
  const require = async (scope: CallScope, id: string): Promise<SearchJobRecord> => {
    const record = await catalog.searchJobs.get(scope, id);
    if (record === undefined)
      throw new SearchError(
        'ResourceNotFoundException',
        `Search job ${id} does not exist in account ${scope.accountId}, ${scope.region}; list them with ListSearchJobs.`,
      );
    return settle(scope, record);
  };
  const byArn = async (scope: CallScope, arn: string): Promise<SearchJobRecord> => {
    const record = await catalog.searchJobs.getByArn(scope, arn);
    if (record === undefined)
      throw new SearchError('ResourceNotFoundException', `Search job ${arn} does not exist in account ${scope.accountId}, ${scope.region}.`);
    return record;
  };

  /** The indexed recovery points the scope names. */
  const pointsIn = async (scope: CallScope, searchScope: SearchScope) => {
    const type = RESOURCE_TYPE[searchScope.BackupResourceTypes[0]!];
    const window = searchScope.BackupResourceCreationTime;
    const sources =
      searchScope.SourceResourceArns === undefined || searchScope.SourceResourceArns.length === 0 ? undefined : new Set(searchScope.SourceResourceArns);
    const points =
      searchScope.BackupResourceArns === undefined || searchScope.BackupResourceArns.length === 0 ? undefined : new Set(searchScope.BackupResourceArns);
    const tags = Object.entries(searchScope.BackupResourceTags ?? {});
    const out: Omit<SearchJobBackupRecord, 'status' | 'statusMessage'>[] = [];
    let items = 0;
    const filter = {
      resourceType: type,
      status: 'ACTIVE' as const,
      createdAfter: window?.CreatedAfter?.getTime(),
      createdBefore: window?.CreatedBefore?.getTime(),
    };
    for await (const index of everyItem((page) => catalog.recoveryPointIndexes.list(scope, filter, page))) {
      if (sources !== undefined && !sources.has(index.sourceResourceArn)) continue;
      if (points !== undefined && !points.has(index.recoveryPointArn)) continue;
      if (tags.length > 0) {
        const have = await catalog.tags.get(scope, index.recoveryPointArn);
        if (!tags.every(([k, v]) => have[k] === v)) continue;
      }
      out.push({
        recoveryPointArn: index.recoveryPointArn,
        vaultName: index.vaultName,
        resourceType: index.resourceType,
        sourceResourceArn: index.sourceResourceArn,
        indexCreatedAt: index.createdAt,
        backupCreatedAt: index.backupCreatedAt,
      });
      items += index.totalItems ?? 0;
    }
    return { backups: out, items };
  };

  return {
    async start(scope, request) {
      checkFilters(request.scope, request.filters);
      if (request.clientToken !== undefined) {
        const earlier = await catalog.searchJobs.findByClientToken(scope, request.clientToken);
        if (earlier !== undefined) {
          if (earlier.scopeJson !== JSON.stringify(request.scope) || earlier.filtersJson !== JSON.stringify(request.filters))
            throw new SearchError(
              'ConflictException',
              `ClientToken ${request.clientToken} was used for another search job (${earlier.id}) with another scope or filters.`,
            );
          return withDocuments(earlier);
        }
      }
      const { backups, items } = await pointsIn(scope, request.scope);
      const id = deps.ids.uuid();
      const record = await catalog.searchJobs.create(
        scope,
        {
          id,
          arn: arnOf(scope, id),
          name: request.name,
          encryptionKeyArn: request.encryptionKeyArn,
          scopeJson: JSON.stringify(request.scope),
          filtersJson: JSON.stringify(request.filters),
          clientToken: request.clientToken,
          tags: request.tags,
          createdAt: clock.now().getTime(),
          pointsToScan: backups.length,
          itemsToScan: items,
          holder: deps.holder,
          leaseUntil: deps.wallClock.now().getTime() + SEARCH_LEASE_MS,
        },
        backups,
      );
      deps.run(scope, id);
      return withDocuments(record);
    },
    get: async (scope, id) => withDocuments(await require(scope, id)),
    list: (scope, status, request) => listPage(request, (page) => catalog.searchJobs.list(scope, status, page), withDocuments),
    async listBackups(scope, id, request) {
      await require(scope, id);
      return listPage(request, (page) => catalog.searchJobs.listBackups(scope, id, page));
    },
    async listResults(scope, id, request) {
      await require(scope, id);
      return listPage(request, (page) => catalog.searchJobs.listResults(scope, id, page));
    },
    async stop(scope, id) {
      const job = await require(scope, id);
      if (job.status !== 'RUNNING') throw new SearchError('ConflictException', `Search job ${id} is ${job.status}; only a RUNNING search job can be stopped.`);
      await catalog.searchJobs.transition(scope, id, ['RUNNING'], 'STOPPING');
    },
    tagsOf: async (scope, arn) => (await byArn(scope, arn)).tags,
    async tag(scope, arn, tags) {
      const job = await byArn(scope, arn);
      await catalog.searchJobs.setTags(scope, job.id, { ...job.tags, ...tags });
    },
    async untag(scope, arn, keys) {
      const job = await byArn(scope, arn);
      await catalog.searchJobs.setTags(scope, job.id, Object.fromEntries(Object.entries(job.tags).filter(([k]) => !keys.includes(k))));
    },
  };
}
