/**
 * AWS Backup Search (`backup-search`, rest-json) as the HTTP handler serves it: StartSearchJob,
 * GetSearchJob, ListSearchJobs, ListSearchJobBackups, ListSearchJobResults, StopSearchJob and the
 * search jobs' tags, over the domain's search jobs (backup/search-jobs.ts). The result export
 * jobs answer 501 (docs/recovery-point-indexes.md says why).
 */
import { SearchError } from '../../backup/search-jobs.js';
import type { SearchJob, SearchJobService, SearchJobStatus, SearchScope } from '../../backup/search-jobs.js';
import type { ItemFilters } from '../../backup/search-filters.js';
import { AwsError } from '../errors.js';
import type { OperationHandler, ServiceBinding } from '../http-handler.js';
import { BACKUP_SEARCH_MODEL } from '../service-model.js';
import { listRequestOf, optionalString, requiredString, scopeOf } from '../backup/handlers/wire-input.js';

const STATUS: Readonly<Record<SearchError['code'], number>> = { ValidationException: 400, ResourceNotFoundException: 404, ConflictException: 409 };

function mapped(handler: OperationHandler): OperationHandler {
  return async (ctx, input) => {
    try {
      return await handler(ctx, input);
    } catch (err) {
      if (err instanceof SearchError) throw new AwsError(err.code, err.message, { status: STATUS[err.code] });
      throw err;
    }
  };
}

const date = (ms: number | undefined): Date | undefined => (ms === undefined ? undefined : new Date(ms));

function summary(job: SearchJob): Record<string, unknown> {
  return {
    SearchJobIdentifier: job.id,
    SearchJobArn: job.arn,
    Name: job.name,
    Status: job.status,
    CreationTime: date(job.createdAt),
    CompletionTime: date(job.completedAt),
    SearchScopeSummary: { TotalRecoveryPointsToScanCount: job.pointsToScan, TotalItemsToScanCount: job.itemsToScan },
    StatusMessage: job.statusMessage,
  };
}

/** A stored result item with its ISO times as Dates again. */
function resultOut(text: string): unknown {
  return JSON.parse(text, (key, value: unknown) =>
    (key === 'CreationTime' || key === 'LastModifiedTime') && typeof value === 'string' ? new Date(value) : value,
  );
}

export function searchHandlers(search: SearchJobService): Readonly<Record<string, OperationHandler>> {
  const handlers: Record<string, OperationHandler> = {
    async StartSearchJob(ctx, input) {
      const job = await search.start(scopeOf(ctx), {
        name: optionalString(input, 'Name'),
        encryptionKeyArn: optionalString(input, 'EncryptionKeyArn'),
        clientToken: optionalString(input, 'ClientToken'),
        scope: input['SearchScope'] as SearchScope,
        filters: (input['ItemFilters'] as ItemFilters | undefined) ?? {},
        tags: (input['Tags'] as Record<string, string> | undefined) ?? {},
      });
      return { SearchJobArn: job.arn, CreationTime: date(job.createdAt), SearchJobIdentifier: job.id };
    },
    async GetSearchJob(ctx, input) {
      const job = await search.get(scopeOf(ctx), requiredString(input, 'SearchJobIdentifier'));
      return {
        ...summary(job),
        EncryptionKeyArn: job.encryptionKeyArn,
        CurrentSearchProgress: { RecoveryPointsScannedCount: job.pointsScanned, ItemsScannedCount: job.itemsScanned, ItemsMatchedCount: job.itemsMatched },
        SearchScope: job.searchScope,
        ItemFilters: job.itemFilters,
      };
    },
    async ListSearchJobs(ctx, input) {
      const jobs = await search.list(scopeOf(ctx), optionalString(input, 'ByStatus') as SearchJobStatus | undefined, listRequestOf(input));
      return { SearchJobs: jobs.items.map(summary), NextToken: jobs.nextToken };
    },
    async ListSearchJobBackups(ctx, input) {
      const backups = await search.listBackups(scopeOf(ctx), requiredString(input, 'SearchJobIdentifier'), listRequestOf(input));
      return {
        Results: backups.items.map((b) => ({
          Status: b.status,
          StatusMessage: b.statusMessage,
          ResourceType: b.resourceType === 'S3' ? 'S3' : 'EBS',
          BackupResourceArn: b.recoveryPointArn,
          SourceResourceArn: b.sourceResourceArn,
          IndexCreationTime: date(b.indexCreatedAt),
          BackupCreationTime: date(b.backupCreatedAt),
        })),
        NextToken: backups.nextToken,
      };
    },
    async ListSearchJobResults(ctx, input) {
      const results = await search.listResults(scopeOf(ctx), requiredString(input, 'SearchJobIdentifier'), listRequestOf(input));
      return { Results: results.items.map(resultOut), NextToken: results.nextToken };
    },
    async StopSearchJob(ctx, input) {
      await search.stop(scopeOf(ctx), requiredString(input, 'SearchJobIdentifier'));
      return {};
    },
    async ListTagsForResource(ctx, input) {
      return { Tags: await search.tagsOf(scopeOf(ctx), requiredString(input, 'ResourceArn')) };
    },
    async TagResource(ctx, input) {
      await search.tag(scopeOf(ctx), requiredString(input, 'ResourceArn'), (input['Tags'] as Record<string, string> | undefined) ?? {});
      return {};
    },
    async UntagResource(ctx, input) {
      await search.untag(scopeOf(ctx), requiredString(input, 'ResourceArn'), (input['TagKeys'] as string[] | undefined) ?? []);
      return {};
    },
  };
  return Object.fromEntries(Object.entries(handlers).map(([name, h]) => [name, mapped(h)]));
}

export function createSearchBinding(search: SearchJobService): ServiceBinding {
  return { model: BACKUP_SEARCH_MODEL, handlers: searchHandlers(search) };
}
