/**
 * notifications/: vault notifications delivered. The ledger's events become AWS Backup vault
 * events; a durable sink writes them to the catalog's outbox in the transaction of their change;
 * a delivery worker sends them to the topics' subscribers (SNS HTTP JSON, e-mail) with retries.
 * It knows the ledger's events, the catalog's outbox and the config's topics; no AWS wire.
 *
 * This file: which AWS Backup event types a ledger event is, as a pure mapping. As with AWS, a
 * `*_COMPLETED` subscription hears every end of a job (its `State` attribute says which), and one
 * change sends one message however many of the vault's event types it matches.
 */
import type { JobEvent } from '../backup/jobs/job-events.js';
import type { RecoveryPointIndexChanged } from '../backup/recovery-point-indexes.js';

/** What the outbox hears: the ledger's job and recovery point events, and recovery point indexes' ends. */
export type VaultEventSource = JobEvent | RecoveryPointIndexChanged;

/** Every BackupVaultEvent of the AWS Backup model; PutBackupVaultNotifications accepts them all. */
export const BACKUP_VAULT_EVENTS = [
  'BACKUP_JOB_STARTED',
  'BACKUP_JOB_COMPLETED',
  'BACKUP_JOB_SUCCESSFUL',
  'BACKUP_JOB_FAILED',
  'BACKUP_JOB_EXPIRED',
  'RESTORE_JOB_STARTED',
  'RESTORE_JOB_COMPLETED',
  'RESTORE_JOB_SUCCESSFUL',
  'RESTORE_JOB_FAILED',
  'COPY_JOB_STARTED',
  'COPY_JOB_SUCCESSFUL',
  'COPY_JOB_FAILED',
  'RECOVERY_POINT_MODIFIED',
  'BACKUP_PLAN_CREATED',
  'BACKUP_PLAN_MODIFIED',
  'S3_BACKUP_OBJECT_FAILED',
  'S3_RESTORE_OBJECT_FAILED',
  'CONTINUOUS_BACKUP_INTERRUPTED',
  'RECOVERY_POINT_INDEX_COMPLETED',
  'RECOVERY_POINT_INDEX_DELETED',
  'RECOVERY_POINT_INDEXING_FAILED',
  'EKS_RESTORE_OBJECT_FAILED',
  'EKS_RESTORE_OBJECT_SKIPPED',
  'EKS_BACKUP_OBJECT_FAILED',
] as const;
export type BackupVaultEvent = (typeof BACKUP_VAULT_EVENTS)[number];

/**
 * The event types Coffer never sends, and why (docs/notifications.md lists them): they are
 * accepted and stored, so configurations written for AWS keep working.
 */
export const NEVER_SENT: Readonly<Partial<Record<BackupVaultEvent, string>>> = {
  BACKUP_PLAN_CREATED: 'plans belong to no vault',
  BACKUP_PLAN_MODIFIED: 'plans belong to no vault',
  CONTINUOUS_BACKUP_INTERRUPTED: 'Coffer has no continuous backups',
  EKS_RESTORE_OBJECT_FAILED: 'Coffer does not back up EKS',
  EKS_RESTORE_OBJECT_SKIPPED: 'Coffer does not back up EKS',
  EKS_BACKUP_OBJECT_FAILED: 'Coffer does not back up EKS',
};

/** The `EventType` message attribute: which kind of thing changed (the S3_* ones: one object of a bucket job). */
export type EventSubject = 'BACKUP_JOB' | 'RESTORE_JOB' | 'COPY_JOB' | 'RECOVERY_POINT' | 'RECOVERY_POINT_INDEX' | 'S3_BACKUP_OBJECT' | 'S3_RESTORE_OBJECT';

/** At most this many S3_*_OBJECT_FAILED messages per job; the job's StatusMessage counts them all. */
export const OBJECT_MESSAGES_PER_JOB = 100;

export interface VaultEventFact {
  readonly subject: EventSubject;
  /** The `State` attribute: the job's (or recovery point's) state after the change. */
  readonly state: string;
  /** Every event type this change is; a vault subscribed to any of them gets one message. */
  readonly types: readonly BackupVaultEvent[];
  /** The type the outbox records it under (the most specific one the vault subscribed to). */
  readonly outcome: 'started' | 'succeeded' | 'failed' | 'expired' | 'ended' | 'modified' | 'object-failed';
  /** object-failed: the object, why, and its place among the job's failed objects. */
  readonly object?: { readonly key: string; readonly reason: string; readonly nth: number; readonly of: number };
}

const JOB_SUBJECT = { backup: 'BACKUP_JOB', restore: 'RESTORE_JOB', copy: 'COPY_JOB' } as const;

/**
 * The vault messages a ledger event makes: its own (vaultEventOf), then, for a backup or restore
 * that completed without some objects of a bucket, one S3_BACKUP_OBJECT_FAILED or
 * S3_RESTORE_OBJECT_FAILED per object (at most OBJECT_MESSAGES_PER_JOB).
 */
export function vaultEventsOf(event: VaultEventSource): VaultEventFact[] {
  if (event.type === 'recovery-point-index') return [indexEventOf(event)];
  const own = vaultEventOf(event);
  const facts = own === undefined ? [] : [own];
  if (event.type !== 'job' || event.objectFailures === undefined || (event.kind !== 'backup' && event.kind !== 'restore')) return facts;
  const subject = event.kind === 'backup' ? 'S3_BACKUP_OBJECT' : 'S3_RESTORE_OBJECT';
  const type = event.kind === 'backup' ? 'S3_BACKUP_OBJECT_FAILED' : 'S3_RESTORE_OBJECT_FAILED';
  const of = event.objectFailures.length;
  for (const [i, failure] of event.objectFailures.slice(0, OBJECT_MESSAGES_PER_JOB).entries())
    facts.push({ subject, state: 'FAILED', types: [type], outcome: 'object-failed', object: { ...failure, nth: i + 1, of } });
  return facts;
}

const INDEX_TYPE = {
  ACTIVE: 'RECOVERY_POINT_INDEX_COMPLETED',
  FAILED: 'RECOVERY_POINT_INDEXING_FAILED',
  DELETED: 'RECOVERY_POINT_INDEX_DELETED',
} as const satisfies Record<RecoveryPointIndexChanged['to'], BackupVaultEvent>;

function indexEventOf(event: RecoveryPointIndexChanged): VaultEventFact {
  return { subject: 'RECOVERY_POINT_INDEX', state: event.to, types: [INDEX_TYPE[event.to]], outcome: event.to === 'FAILED' ? 'failed' : 'modified' };
}

/** The vault event a ledger event is itself; undefined when AWS Backup sends nothing for it (creation, progress, a stop request). */
export function vaultEventOf(event: JobEvent): VaultEventFact | undefined {
  if (event.type === 'recovery-point') {
    // Its creation and completion are its job's events; every later change (lifecycle, cold
    // storage, deletion, expiry) is a modification, as AWS reports them.
    if (event.step === 'create' || event.step === 'complete' || event.step === 'partial' || event.step === 'discard') return undefined;
    if (event.from === event.to && event.step !== 'setLifecycle' && event.step !== 'moveToCold') return undefined;
    return { subject: 'RECOVERY_POINT', state: event.to === 'GONE' ? 'DELETED' : event.to, types: ['RECOVERY_POINT_MODIFIED'], outcome: 'modified' };
  }
  if (event.from === event.to) return undefined;
  const subject = JOB_SUBJECT[event.kind];
  const state = event.to as string;
  if (state === 'RUNNING') return { subject, state, types: [`${subject}_STARTED`], outcome: 'started' };
  if (event.kind === 'copy') {
    if (state === 'COMPLETED') return { subject, state, types: ['COPY_JOB_SUCCESSFUL'], outcome: 'succeeded' };
    if (state === 'FAILED' || state === 'PARTIAL') return { subject, state, types: ['COPY_JOB_FAILED'], outcome: 'failed' };
    return undefined;
  }
  const kind = subject as 'BACKUP_JOB' | 'RESTORE_JOB';
  if (state === 'COMPLETED') return { subject, state, types: [`${kind}_COMPLETED`, `${kind}_SUCCESSFUL`], outcome: 'succeeded' };
  if (state === 'FAILED' || state === 'PARTIAL') return { subject, state, types: [`${kind}_COMPLETED`, `${kind}_FAILED`], outcome: 'failed' };
  if (state === 'EXPIRED' && kind === 'BACKUP_JOB') return { subject, state, types: ['BACKUP_JOB_COMPLETED', 'BACKUP_JOB_EXPIRED'], outcome: 'expired' };
  if (state === 'ABORTED') return { subject, state, types: [`${kind}_COMPLETED`], outcome: 'ended' };
  return undefined;
}

/** The event type a message is recorded under: the most specific of the fact's types the vault asked for. */
export function subscribedType(fact: VaultEventFact, subscribed: ReadonlySet<string>): BackupVaultEvent | undefined {
  const matching = fact.types.filter((t) => subscribed.has(t));
  return matching[matching.length - 1];
}
