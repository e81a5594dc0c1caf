/**
 * The text and attributes of one vault notification, as AWS Backup writes them: the Subject
 * "Notification from AWS Backup", a Message of plain sentences naming the job, resource and
 * recovery point (`Resource ARN : ...`, AWS's own spacing, which people grep for), and the
 * message attributes EventType, State, AccountId, Id and StartTime. Coffer adds the job's status
 * message to a failure, since that is where it says what went wrong and how to fix it.
 */
import type { Job } from '../backup/jobs/job.js';
import type { RecoveryPointIndexChanged } from '../backup/recovery-point-indexes.js';
import type { RecoveryPoint } from '../backup/jobs/recovery-point.js';
import { OBJECT_MESSAGES_PER_JOB } from './vault-event-types.js';
import type { VaultEventFact } from './vault-event-types.js';

export const NOTIFICATION_SUBJECT = 'Notification from AWS Backup';

export interface BackupMessage {
  readonly subject: string;
  readonly message: string;
  readonly attributes: Readonly<Record<string, string>>;
}

const JOB_WORD = { backup: 'backup', restore: 'restore', copy: 'copy' } as const;
const ID_LABEL = { backup: 'BackupJob ID', restore: 'RestoreJob ID', copy: 'CopyJob ID' } as const;

function opening(fact: VaultEventFact, job: Job): string {
  const what = `An AWS Backup ${JOB_WORD[job.kind]} job`;
  switch (fact.outcome) {
    case 'started':
      return `${what} was started.`;
    case 'succeeded':
      return `${what} was completed successfully.`;
    case 'failed':
      return fact.state === 'PARTIAL' ? `${what} was completed with some failures.` : `${what} failed.`;
    case 'expired':
      return `${what} expired before it could start.`;
    default:
      return `${what} was stopped (${fact.state}).`;
  }
}

function resultArn(job: Job): string | undefined {
  if (job.kind === 'backup') return job.recoveryPointArn;
  if (job.kind === 'copy') return job.destinationRecoveryPointArn;
  return job.recoveryPointArn;
}

/** One object of a bucket a backup or restore job left out (S3_BACKUP_OBJECT_FAILED, S3_RESTORE_OBJECT_FAILED). */
function objectMessage(fact: VaultEventFact, job: Job, object: NonNullable<VaultEventFact['object']>): BackupMessage {
  const verb = job.kind === 'restore' ? 'restore' : 'back up';
  const parts = [
    `An AWS Backup ${JOB_WORD[job.kind]} job failed to ${verb} an object of an S3 bucket; the job went on with the others.`,
    `Object key : ${object.key}.`,
    `Reason : ${object.reason}.`,
    `Resource ARN : ${job.resourceArn}.`,
    `${ID_LABEL[job.kind]} : ${job.id}.`,
    `Failed object ${object.nth} of ${object.of}${object.of > object.nth && object.nth === OBJECT_MESSAGES_PER_JOB ? `; the other ${object.of - object.nth} are not sent one by one (the job's status message counts them)` : ''}`,
  ];
  return {
    subject: NOTIFICATION_SUBJECT,
    message: parts.join(' '),
    attributes: { EventType: fact.subject, State: fact.state, AccountId: job.accountId, Id: job.id, StartTime: (job.startedAt ?? job.createdAt).toISOString() },
  };
}

export function jobMessage(fact: VaultEventFact, job: Job): BackupMessage {
  if (fact.object !== undefined) return objectMessage(fact, job, fact.object);
  const parts = [opening(fact, job)];
  const point = resultArn(job);
  if (job.kind === 'copy') {
    parts.push(`Source recovery point ARN: ${job.sourceRecoveryPointArn}.`, `Destination backup vault ARN: ${job.destinationVaultArn}.`);
    if (point !== undefined && fact.outcome === 'succeeded') parts.push(`Destination recovery point ARN: ${point}.`);
  } else if (point !== undefined && (job.kind === 'restore' || fact.outcome !== 'started')) {
    parts.push(`Recovery point ARN: ${point}.`);
  }
  parts.push(`Resource ARN : ${job.resourceArn}.`);
  if (job.kind === 'restore' && job.createdResourceArn !== undefined && fact.outcome === 'succeeded')
    parts.push(`Created resource ARN : ${job.createdResourceArn}.`);
  parts.push(`${ID_LABEL[job.kind]} : ${job.id}`);
  let message = parts.join(' ');
  if (fact.outcome !== 'started' && fact.outcome !== 'succeeded' && job.statusMessage !== undefined) message += `. Status message : ${job.statusMessage}`;
  return {
    subject: NOTIFICATION_SUBJECT,
    message,
    attributes: { EventType: fact.subject, State: fact.state, AccountId: job.accountId, Id: job.id, StartTime: (job.startedAt ?? job.createdAt).toISOString() },
  };
}

/** A recovery point index's end (RECOVERY_POINT_INDEX_COMPLETED, ..._INDEXING_FAILED, ..._INDEX_DELETED). */
export function indexMessage(fact: VaultEventFact, event: RecoveryPointIndexChanged): BackupMessage {
  const what =
    event.to === 'ACTIVE'
      ? `A recovery point index was created; it holds ${event.totalItems ?? 0} item${event.totalItems === 1 ? '' : 's'}.`
      : event.to === 'FAILED'
        ? 'A recovery point index could not be created.'
        : 'A recovery point index was deleted.';
  const parts = [what, `Recovery point ARN: ${event.arn}.`, `Resource ARN : ${event.resourceArn}.`, `Backup vault : ${event.vaultName}`];
  let message = parts.join(' ');
  if (event.to === 'FAILED' && event.statusMessage !== undefined) message += `. Status message : ${event.statusMessage}`;
  return {
    subject: NOTIFICATION_SUBJECT,
    message,
    attributes: { EventType: fact.subject, State: fact.state, AccountId: event.accountId, Id: event.arn, StartTime: event.at.toISOString() },
  };
}

export function pointMessage(
  fact: VaultEventFact,
  point: Pick<RecoveryPoint, 'arn' | 'accountId' | 'resourceArn' | 'createdAt' | 'storageClass'>,
  vaultName: string,
): BackupMessage {
  const message =
    fact.state === 'DELETED'
      ? `A recovery point was deleted. Recovery point ARN: ${point.arn}. Resource ARN : ${point.resourceArn}. Backup vault : ${vaultName}`
      : `A recovery point was modified. Recovery point ARN: ${point.arn}. Resource ARN : ${point.resourceArn}. Backup vault : ${vaultName}. State : ${fact.state}. Storage class : ${point.storageClass}`;
  return {
    subject: NOTIFICATION_SUBJECT,
    message,
    attributes: { EventType: fact.subject, State: fact.state, AccountId: point.accountId, Id: point.arn, StartTime: point.createdAt.toISOString() },
  };
}
