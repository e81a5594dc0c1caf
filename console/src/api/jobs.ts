/**
 * Backup, copy and restore jobs read as one list for the console: AWS keeps them in three APIs
 * with different field names; this gives them one shape.
 */
import { ListBackupJobsCommand, ListCopyJobsCommand, ListRestoreJobsCommand } from '@aws-sdk/client-backup';
import type { BackupClient } from '@aws-sdk/client-backup';
import { allPages } from './all-pages';

export type JobKind = 'backup' | 'copy' | 'restore';

export interface JobView {
  readonly kind: JobKind;
  readonly id: string;
  readonly state: string;
  readonly resourceArn: string | undefined;
  readonly resourceType: string | undefined;
  readonly statusMessage: string | undefined;
  readonly percentDone: string | undefined;
  readonly bytes: number | undefined;
  readonly createdAt: Date | undefined;
  readonly completedAt: Date | undefined;
  /** backup: the target vault; copy: source and destination; restore: the recovery point. */
  readonly from: string | undefined;
  readonly to: string | undefined;
  readonly recoveryPointArn: string | undefined;
  readonly createdResourceArn?: string | undefined;
}

export interface JobFilter {
  readonly createdAfter?: Date;
  readonly state?: string;
}

export async function listJobs(client: BackupClient, kind: JobKind, filter: JobFilter = {}, maxPages = 5): Promise<JobView[]> {
  const common = { ...(filter.createdAfter === undefined ? {} : { ByCreatedAfter: filter.createdAfter }), MaxResults: 200 };
  if (kind === 'backup') {
    const jobs = await allPages(async (NextToken) => {
      const out = await client.send(
        new ListBackupJobsCommand({ ...common, ...(filter.state === undefined ? {} : { ByState: filter.state as never }), NextToken }),
      );
      return { items: out.BackupJobs, next: out.NextToken };
    }, maxPages);
    return jobs.map((j) => ({
      kind,
      id: j.BackupJobId ?? '',
      state: j.State ?? 'UNKNOWN',
      resourceArn: j.ResourceArn,
      resourceType: j.ResourceType,
      statusMessage: j.StatusMessage,
      percentDone: j.PercentDone,
      bytes: j.State === 'RUNNING' ? j.BytesTransferred : (j.BackupSizeInBytes ?? j.BytesTransferred),
      createdAt: j.CreationDate,
      completedAt: j.CompletionDate,
      from: j.ResourceArn,
      to: j.BackupVaultArn,
      recoveryPointArn: j.RecoveryPointArn,
    }));
  }
  if (kind === 'copy') {
    const jobs = await allPages(async (NextToken) => {
      const out = await client.send(
        new ListCopyJobsCommand({ ...common, ...(filter.state === undefined ? {} : { ByState: filter.state as never }), NextToken }),
      );
      return { items: out.CopyJobs, next: out.NextToken };
    }, maxPages);
    return jobs.map((j) => ({
      kind,
      id: j.CopyJobId ?? '',
      state: j.State ?? 'UNKNOWN',
      resourceArn: j.ResourceArn,
      resourceType: j.ResourceType,
      statusMessage: j.StatusMessage,
      percentDone: undefined,
      bytes: j.BackupSizeInBytes,
      createdAt: j.CreationDate,
      completedAt: j.CompletionDate,
      from: j.SourceBackupVaultArn,
      to: j.DestinationBackupVaultArn,
      recoveryPointArn: j.DestinationRecoveryPointArn ?? j.SourceRecoveryPointArn,
    }));
  }
  const jobs = await allPages(async (NextToken) => {
    const out = await client.send(
      new ListRestoreJobsCommand({ ...common, ...(filter.state === undefined ? {} : { ByStatus: filter.state as never }), NextToken }),
    );
    return { items: out.RestoreJobs, next: out.NextToken };
  }, maxPages);
  return jobs.map((j) => ({
    kind,
    id: j.RestoreJobId ?? '',
    state: j.Status ?? 'UNKNOWN',
    resourceArn: j.CreatedResourceArn,
    resourceType: j.ResourceType,
    statusMessage: j.StatusMessage,
    percentDone: j.PercentDone,
    bytes: j.BackupSizeInBytes,
    createdAt: j.CreationDate,
    completedAt: j.CompletionDate,
    from: j.RecoveryPointArn,
    to: j.CreatedResourceArn,
    recoveryPointArn: j.RecoveryPointArn,
    createdResourceArn: j.CreatedResourceArn,
  }));
}

export const ACTIVE_STATES = new Set(['CREATED', 'PENDING', 'RUNNING', 'STOPPING', 'ABORTING']);
