/**
 * ListBackupJobSummaries, ListCopyJobSummaries, ListRestoreJobSummaries, ListScanJobSummaries:
 * the query members to the domain's summary request and its rows to AWS's summary shapes.
 */
import type { AggregationPeriod, JobSummary, SummaryKind } from '../../../backup/audit/job-summaries.js';
import type { BackupDomain } from '../../../backup/backup-domain.js';
import type { OperationHandler } from '../../http-handler.js';
import { listRequestOf, optionalString, scopeOf } from './wire-input.js';
import type { WireInput } from './wire-input.js';

function summaryRequest(input: WireInput) {
  return {
    ...listRequestOf(input),
    accountId: optionalString(input, 'AccountId'),
    state: optionalString(input, 'State'),
    resourceType: optionalString(input, 'ResourceType'),
    messageCategory: optionalString(input, 'MessageCategory'),
    aggregationPeriod: optionalString(input, 'AggregationPeriod') as AggregationPeriod | undefined,
  };
}

function summaryOut(summary: JobSummary): Record<string, unknown> {
  return {
    Region: summary.region,
    AccountId: summary.accountId,
    State: summary.state,
    ResourceType: summary.resourceType,
    MessageCategory: summary.messageCategory,
    Count: summary.count,
    StartTime: summary.startTime,
    EndTime: summary.endTime,
  };
}

export function jobSummaryHandlers(domain: BackupDomain): Readonly<Record<string, OperationHandler>> {
  const handler =
    (kind: SummaryKind, member: string): OperationHandler =>
    async (ctx, input) => {
      const page = await domain.audit.jobSummaries.list(scopeOf(ctx), kind, summaryRequest(input));
      return { [member]: page.items.map(summaryOut), AggregationPeriod: page.aggregationPeriod, NextToken: page.nextToken };
    };
  return {
    ListBackupJobSummaries: handler('backup', 'BackupJobSummaries'),
    ListCopyJobSummaries: handler('copy', 'CopyJobSummaries'),
    ListRestoreJobSummaries: handler('restore', 'RestoreJobSummaries'),
    ListScanJobSummaries: handler('scan', 'ScanJobSummaries'),
  };
}
