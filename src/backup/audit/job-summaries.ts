/**
 * Job summaries (ListBackupJobSummaries, ListCopyJobSummaries, ListRestoreJobSummaries,
 * ListScanJobSummaries): counts of the jobs created in the caller's region, grouped by account,
 * state, resource type and message category, per day for the last 14 days (ONE_DAY, the default)
 * or over the last 7 or 14 days. Each dimension is, as AWS has it: a value (only those jobs),
 * ANY or absent (one row per value), or AGGREGATE_ALL (one row for all, the dimension reading
 * AGGREGATE_ALL). Accounts: the caller's own; an organization's management account may name a
 * member or ask for ANY / AGGREGATE_ALL of them; anyone else gets their own jobs whatever they
 * ask (AWS's rule). Coffer runs no scan jobs, so scan summaries are always empty.
 */
import type { Catalog } from '../../catalog/catalog.js';
import type { JobKind } from '../../catalog/job-records.js';
import type { CallScope } from '../call-scope.js';
import type { Clock } from '../clock.js';
import type { BackupOrganization } from '../global-settings.js';
import { categoryFilter, normalizedCategory } from '../jobs/message-category.js';
import type { ListPage, ListRequest } from '../list-page.js';
import { pageOfItems } from './in-memory-page.js';

export type SummaryKind = JobKind | 'scan';
export type AggregationPeriod = 'ONE_DAY' | 'SEVEN_DAYS' | 'FOURTEEN_DAYS';
export const AGGREGATE_ALL = 'AGGREGATE_ALL';
export const ANY = 'ANY';

export interface SummaryRequest extends ListRequest {
  readonly accountId?: string | undefined;
  readonly state?: string | undefined;
  readonly resourceType?: string | undefined;
  /** Backup and copy jobs only. */
  readonly messageCategory?: string | undefined;
  readonly aggregationPeriod?: AggregationPeriod | undefined;
}

export interface JobSummary {
  readonly region: string;
  readonly accountId: string;
  readonly state: string;
  readonly resourceType: string;
  /** Backup and copy summaries. */
  readonly messageCategory: string | undefined;
  readonly count: number;
  readonly startTime: Date;
  readonly endTime: Date;
}

export interface SummaryPage extends ListPage<JobSummary> {
  readonly aggregationPeriod: AggregationPeriod;
}

export interface JobSummaryService {
  list(scope: CallScope, kind: SummaryKind, request: SummaryRequest): Promise<SummaryPage>;
}

export interface JobSummaryDeps {
  readonly catalog: Pick<Catalog, 'auditEvidence'>;
  readonly clock: Clock;
  readonly organization?: BackupOrganization | undefined;
}

const DAY_MS = 86_400_000;
const DAILY_BUCKETS = 14;

/** The accounts whose jobs the caller may count, and whether they are summed into one. */
export function summaryAccounts(scope: CallScope, requested: string | undefined, organization: BackupOrganization | undefined): readonly string[] {
  const isManagement = organization !== undefined && organization.managementAccountId === scope.accountId;
  if (!isManagement || requested === undefined) return [scope.accountId];
  if (requested === ANY || requested === AGGREGATE_ALL) return organization.memberAccountIds;
  return organization.memberAccountIds.includes(requested) ? [requested] : [scope.accountId];
}

interface Window {
  readonly start: number;
  readonly end: number;
}

/** The time windows of a period at `now`, newest first. */
export function summaryWindows(period: AggregationPeriod, now: number): readonly Window[] {
  if (period === 'SEVEN_DAYS') return [{ start: now - 7 * DAY_MS, end: now }];
  if (period === 'FOURTEEN_DAYS') return [{ start: now - 14 * DAY_MS, end: now }];
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  return Array.from({ length: DAILY_BUCKETS }, (_, i) => ({ start: today - i * DAY_MS, end: today - i * DAY_MS + DAY_MS - 1 }));
}

/** A dimension's value in a row: the job's own, or AGGREGATE_ALL; undefined when the job is filtered out. */
function dimension(asked: string | undefined, value: string): string | undefined {
  if (asked === undefined || asked === ANY) return value;
  if (asked === AGGREGATE_ALL) return AGGREGATE_ALL;
  return asked === value ? value : undefined;
}

/** MessageCategory as a dimension: AWS's spellings of a category select it (message-category.ts); an active job has none. */
function categoryDimension(asked: string | undefined, value: string | undefined): string | undefined {
  if (asked !== undefined && normalizedCategory(asked) === 'AGGREGATEALL') return AGGREGATE_ALL;
  const wanted = categoryFilter(asked);
  if (wanted === undefined) return value ?? '';
  return value !== undefined && normalizedCategory(value) === normalizedCategory(wanted) ? value : undefined;
}

export function createJobSummaryService({ catalog, clock, organization }: JobSummaryDeps): JobSummaryService {
  return {
    async list(scope, kind, request) {
      const period = request.aggregationPeriod ?? 'ONE_DAY';
      const now = clock.now().getTime();
      const windows = summaryWindows(period, now);
      const accounts = summaryAccounts(scope, request.accountId, organization);
      const oldest = Math.min(...windows.map((w) => w.start));
      const jobs = kind === 'scan' ? [] : await catalog.auditEvidence.jobsSince(kind, accounts, oldest, [scope.region]);
      const withCategory = kind === 'backup' || kind === 'copy';
      const rows = new Map<string, { summary: Omit<JobSummary, 'count'>; count: number }>();
      for (const job of jobs) {
        const window = windows.find((w) => job.createdAt >= w.start && job.createdAt <= w.end);
        if (window === undefined) continue;
        const accountId = request.accountId === AGGREGATE_ALL ? AGGREGATE_ALL : job.accountId;
        const state = dimension(request.state, job.state);
        const resourceType = dimension(request.resourceType, job.resourceType);
        const category = withCategory ? categoryDimension(request.messageCategory, job.messageCategory) : '';
        if (state === undefined || resourceType === undefined || category === undefined) continue;
        const key = [window.start, accountId, state, resourceType, category].join('\u0000');
        const row = rows.get(key);
        if (row !== undefined) row.count += 1;
        else
          rows.set(key, {
            summary: {
              region: scope.region,
              accountId,
              state,
              resourceType,
              messageCategory: withCategory && category !== '' ? category : undefined,
              startTime: new Date(window.start),
              endTime: new Date(window.end),
            },
            count: 1,
          });
      }
      const summaries = [...rows.values()]
        .map(({ summary, count }) => ({ ...summary, count }))
        .sort(
          (a, b) =>
            b.startTime.getTime() - a.startTime.getTime()
            || a.accountId.localeCompare(b.accountId)
            || a.state.localeCompare(b.state)
            || a.resourceType.localeCompare(b.resourceType)
            || (a.messageCategory ?? '').localeCompare(b.messageCategory ?? ''),
        );
      const page = await pageOfItems(`${kind}-job-summaries`, summaries, request);
      return { ...page, aggregationPeriod: period };
    },
  };
}
