/**
 * The ledger's translation to and from the catalog: catalog rows (epoch milliseconds, lease
 * fields) to domain records (Dates, no lease), drafts to new rows, changes to patches. The one
 * place that knows both shapes; nothing above the ledger sees a catalog row.
 */
import type {
  BackupJobRecord,
  CopyJobRecord,
  JobKind as CatalogJobKind,
  JobOfKind,
  JobPatch,
  NewBackupJob,
  NewCopyJob,
  NewRestoreJob,
  RestoreJobRecord,
  StateOf as CatalogStateOf,
} from '../../catalog/job-records.js';
import type {
  CalculatedLifecycle as CatalogCalculatedLifecycle,
  NewRecoveryPoint,
  ProtectedResource as CatalogProtectedResource,
  RecoveryPointPatch,
  RecoveryPointRecord,
  RecoveryPointState as CatalogPointState,
} from '../../catalog/recovery-points.js';
import type { BackupJob, BackupJobDraft, CopyJob, CopyJobDraft, JobOf, RestoreJob, RestoreJobDraft } from './job.js';
import type { JobKind, RecoveryPointState, StateOf } from './job-states.js';
import type { JobChange } from './job-transitions.js';
import type { CalculatedLifecycle } from './lifecycle.js';
import { expectedCompletion } from './expected-completion.js';
import { messageCategoryOf } from './message-category.js';
import type { MessageCategory } from './message-category.js';
import type { ProtectedResource, RecoveryPoint, RecoveryPointDraft } from './recovery-point.js';
import type { PointChange } from './recovery-point-transitions.js';

// The catalog stores the domain's states as they are: the two vocabularies must stay the same.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameStates: Same<StateOf<'backup'>, CatalogStateOf<'backup'>> &
  Same<StateOf<'restore'>, CatalogStateOf<'restore'>> &
  Same<StateOf<'copy'>, CatalogStateOf<'copy'>> &
  Same<RecoveryPointState, CatalogPointState> &
  Same<JobKind, CatalogJobKind> = true;
void sameStates;

const date = (ms: number | undefined): Date | undefined => (ms === undefined ? undefined : new Date(ms));
const ms = (d: Date | undefined): number | undefined => d?.getTime();

function common<K extends JobKind>(kind: K, row: JobOfKind<K>) {
  return {
    kind,
    accountId: row.accountId,
    region: row.region,
    id: row.id,
    state: row.state as StateOf<K>,
    statusMessage: row.statusMessage,
    percentDone: row.percentDone,
    bytesTransferred: row.bytesTransferred,
    backupSizeBytes: row.backupSizeBytes,
    createdAt: new Date(row.createdAt),
    startedAt: date(row.startedAt),
    completedAt: date(row.completedAt),
    notBefore: new Date(row.notBefore),
    attempts: row.attempts,
    idempotencyToken: row.idempotencyToken,
    createdBy: row.createdBy,
    resourceArn: row.resourceArn,
    resourceType: row.resourceType,
    iamRoleArn: row.iamRoleArn,
    // What the domain decided when the job ended (none for jobs that ended before migration 0090).
    messageCategory: row.messageCategory as MessageCategory | undefined,
    encryptionKeyArn: row.encryptionKeyArn,
  };
}

function backupJob(row: BackupJobRecord): BackupJob {
  return Object.assign(common('backup', row), {
    vaultName: row.vaultName,
    vaultArn: row.vaultArn,
    resourceName: row.resourceName,
    recoveryPointArn: row.recoveryPointArn,
    startBy: date(row.startBy),
    completeBy: date(row.completeBy),
    expectedCompletionAt:
      row.state === 'CREATED' || row.state === 'PENDING'
        ? date(row.completeBy)
        : expectedCompletion({
            startedAt: date(row.startedAt),
            completedAt: date(row.completedAt),
            completeBy: date(row.completeBy),
            percentDone: row.percentDone,
            updatedAt: new Date(row.updatedAt),
          }),
    scheduledAt: date(row.scheduledAt),
    lifecycle: row.lifecycle,
    recoveryPointTags: row.recoveryPointTags,
    backupOptions: row.backupOptions,
    parentJobId: row.parentJobId,
  });
}

function restoreJob(row: RestoreJobRecord): RestoreJob {
  return Object.assign(common('restore', row), {
    recoveryPointArn: row.recoveryPointArn,
    vaultName: row.vaultName,
    metadata: row.metadata,
    createdResourceArn: row.createdResourceArn,
    recoveryPointCreatedAt: date(row.recoveryPointCreatedAt),
  });
}

function copyJob(row: CopyJobRecord): CopyJob {
  return Object.assign(common('copy', row), {
    sourceRecoveryPointArn: row.sourceRecoveryPointArn,
    sourceVaultArn: row.sourceVaultArn,
    destinationVaultArn: row.destinationVaultArn,
    destinationRecoveryPointArn: row.destinationRecoveryPointArn,
    lifecycle: row.lifecycle,
    parentJobId: row.parentJobId,
  });
}

/** A catalog job row as the domain's record. */
export function jobOfRow<K extends JobKind>(row: JobOfKind<K>): JobOf<K> {
  const record =
    row.kind === 'backup' ? backupJob(row as BackupJobRecord) : row.kind === 'restore' ? restoreJob(row as RestoreJobRecord) : copyJob(row as CopyJobRecord);
  return record as JobOf<K>;
}

function draftCommon(draft: BackupJobDraft | RestoreJobDraft | CopyJobDraft) {
  return {
    id: draft.id,
    createdAt: draft.createdAt.getTime(),
    notBefore: ms(draft.notBefore),
    statusMessage: draft.statusMessage,
    idempotencyToken: draft.idempotencyToken,
    createdBy: draft.createdBy,
    resourceArn: draft.resourceArn,
    resourceType: draft.resourceType,
    iamRoleArn: draft.iamRoleArn,
    messageCategory: messageCategoryOf(draft.state, draft.statusMessage),
    encryptionKeyArn: draft.encryptionKeyArn,
  };
}

export function backupJobRow(draft: BackupJobDraft): NewBackupJob {
  return Object.assign(draftCommon(draft), {
    state: draft.state,
    vaultName: draft.vaultName,
    vaultArn: draft.vaultArn,
    resourceName: draft.resourceName,
    recoveryPointArn: draft.recoveryPointArn,
    startBy: ms(draft.startBy),
    completeBy: ms(draft.completeBy),
    scheduledAt: ms(draft.scheduledAt),
    lifecycle: draft.lifecycle,
    recoveryPointTags: draft.recoveryPointTags,
    backupOptions: draft.backupOptions,
    parentJobId: draft.parentJobId,
  });
}

export function restoreJobRow(draft: RestoreJobDraft): NewRestoreJob {
  return Object.assign(draftCommon(draft), {
    state: draft.state,
    recoveryPointArn: draft.recoveryPointArn,
    vaultName: draft.vaultName,
    metadata: draft.metadata,
    recoveryPointCreatedAt: ms(draft.recoveryPointCreatedAt),
  });
}

export function copyJobRow(draft: CopyJobDraft): NewCopyJob {
  return Object.assign(draftCommon(draft), {
    state: draft.state,
    sourceRecoveryPointArn: draft.sourceRecoveryPointArn,
    sourceVaultArn: draft.sourceVaultArn,
    destinationVaultArn: draft.destinationVaultArn,
    lifecycle: draft.lifecycle,
    parentJobId: draft.parentJobId,
  });
}

/** A transition's change as the catalog's patch, written at `at`. */
export function jobPatch<K extends JobKind>(change: JobChange<K>, at: Date, letGo: boolean): JobPatch<K> {
  return {
    updatedAt: at.getTime(),
    state: change.state,
    statusMessage: change.statusMessage,
    percentDone: change.percentDone,
    bytesTransferred: change.bytesTransferred,
    backupSizeBytes: change.backupSizeBytes,
    startedAt: ms(change.startedAt),
    completedAt: ms(change.completedAt),
    notBefore: ms(change.notBefore),
    resultArn: change.resultArn,
    messageCategory: change.messageCategory,
    encryptionKeyArn: change.encryptionKeyArn,
    releaseLease: letGo,
  } as JobPatch<K>;
}

function calculated(c: CatalogCalculatedLifecycle): CalculatedLifecycle {
  return { deleteAt: date(c.deleteAt), moveToColdStorageAt: date(c.moveToColdStorageAt) };
}

function calculatedRow(c: CalculatedLifecycle): CatalogCalculatedLifecycle {
  return { deleteAt: ms(c.deleteAt), moveToColdStorageAt: ms(c.moveToColdStorageAt) };
}

export function pointOfRow(row: RecoveryPointRecord): RecoveryPoint {
  return {
    accountId: row.accountId,
    region: row.region,
    arn: row.arn,
    id: row.id,
    vaultName: row.vaultName,
    vaultArn: row.vaultArn,
    resourceArn: row.resourceArn,
    resourceType: row.resourceType,
    resourceName: row.resourceName,
    state: row.state,
    statusMessage: row.statusMessage,
    storageClass: row.storageClass,
    createdAt: new Date(row.createdAt),
    completedAt: date(row.completedAt),
    lifecycle: row.lifecycle,
    calculatedLifecycle: calculated(row.calculatedLifecycle),
    encryptionKeyArn: row.encryptionKeyArn,
    backupSizeBytes: row.backupSizeBytes,
    snapshotId: row.snapshotId,
    repositoryKeyId: row.repositoryKeyId,
    sourceRecoveryPointArn: row.sourceRecoveryPointArn,
    sourceVaultArn: row.sourceVaultArn,
    jobId: row.jobId,
    createdBy: row.createdBy,
    iamRoleArn: row.iamRoleArn,
    restoreMetadata: row.restoreMetadata,
    lastRestoreAt: date(row.lastRestoreAt),
    storageLocation: row.storageLocation,
    warmSnapshotId: row.warmSnapshotId,
  };
}

export function pointRow(draft: RecoveryPointDraft): NewRecoveryPoint {
  return {
    arn: draft.arn,
    id: draft.id,
    vaultName: draft.vaultName,
    vaultArn: draft.vaultArn,
    resourceArn: draft.resourceArn,
    resourceType: draft.resourceType,
    state: 'CREATING',
    createdAt: draft.createdAt.getTime(),
    resourceName: draft.resourceName,
    lifecycle: draft.lifecycle,
    encryptionKeyArn: draft.encryptionKeyArn,
    calculatedLifecycle: draft.calculatedLifecycle === undefined ? undefined : calculatedRow(draft.calculatedLifecycle),
    sourceRecoveryPointArn: draft.sourceRecoveryPointArn,
    sourceVaultArn: draft.sourceVaultArn,
    jobId: draft.jobId,
    createdBy: draft.createdBy,
    iamRoleArn: draft.iamRoleArn,
  };
}

export function pointPatch(change: PointChange, at: Date): RecoveryPointPatch {
  return {
    updatedAt: at.getTime(),
    state: change.state,
    statusMessage: change.statusMessage,
    storageClass: change.storageClass,
    completedAt: ms(change.completedAt),
    backupSizeBytes: change.backupSizeBytes,
    snapshotId: change.snapshotId,
    repositoryKeyId: change.repositoryKeyId,
    restoreMetadata: change.restoreMetadata,
    lastRestoreAt: ms(change.lastRestoreAt),
    storageLocation: change.storageLocation,
    warmSnapshotId: change.warmSnapshotId,
    lifecycle: change.lifecycle,
    calculatedLifecycle: change.calculatedLifecycle === undefined ? undefined : calculatedRow(change.calculatedLifecycle),
  };
}

export function protectedResourceOfRow(row: CatalogProtectedResource): ProtectedResource {
  return { ...row, lastBackupAt: new Date(row.lastBackupAt) };
}
