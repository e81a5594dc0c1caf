/**
 * connectors/: what gets backed up. One Connector per AWS Backup resource type (EFS directories,
 * RDS databases, DynamoDB tables, S3 buckets) reads a resource into the vault engine and writes
 * a recovery point back out. Connectors know the vault engine (`vault/`) and the resource
 * configs below; they know nothing of accounts' catalogs, jobs' states, HTTP or AWS wire shapes.
 *
 * The contract, for every implementation:
 * - A resource config (config/resource-config.ts) is what the deployment config names: its ARN,
 *   account, region, tags and how to reach it. Secrets are `ConfigSecret`s: `secret.reveal()`
 *   only where the value goes to the server (an env var of a child process, a signing key),
 *   never into argv, messages, warnings, restore metadata, snapshot tags or logs.
 * - `discover` expands a discovery config (one server or endpoint) to the resources behind it,
 *   each with its AWS-style ARN (see `resourceArn` in each connector), so selections by ARN
 *   wildcard or tag find them. Called at serve start and before each backup decision.
 * - `backup` writes exactly one restic snapshot with `ctx.snapshot` (time, hostname, tags, coffer
 *   metadata: the runner's; do not change them) or none at all: on failure or abort it throws,
 *   and the engine writes no snapshot (packs already written are pruned later like any
 *   unreferenced data). It honours `ctx.signal` (throw its reason), adds bytes read from the
 *   source to `ctx.progress.bytes` (the engine does so for data it is given) and may set
 *   `ctx.progress.totalBytes`. `ctx.parent` is the newest snapshot of the same resource in this
 *   repository (or undefined): reuse its unchanged nodes (`VirtualEntry.reuse`) to skip reading.
 *   Files inside the snapshot are laid out so that a plain `restic restore` gives something a
 *   user can load by hand (a dump file, `table.json` + `items.jsonl`, `objects/<key>`); the
 *   layout of each type is documented in docs/restore-metadata.md.
 * - `restoreMetadataDefaults` gives the string map GetRecoveryPointRestoreMetadata answers:
 *   every key the restore accepts, with its default filled in. `backup` returns it (it may add
 *   what it learned while reading, e.g. a server version) as `restoreMetadata`.
 * - `validateRestoreMetadata` is called by StartRestoreJob with the recorded map overlaid by the
 *   caller's; it throws `RestoreMetadataError` naming the first bad key. Pure: no I/O.
 * - `restore` creates a NEW resource (directory, database, table, bucket or prefix) named by
 *   the metadata; it never writes over an existing one: a target that exists fails with
 *   `ConnectorError('Refused', ...)` before anything is written. On any other failure it
 *   removes what it created (drops the database, deletes the table) before throwing, so nothing
 *   is left half-restored. `ctx.resource` is the configured source resource when it still
 *   exists (its server/endpoint is where the restore goes), else undefined.
 * - Errors are `ConnectorError`s whose message names the resource and the cause in words a
 *   user can act on ("server 127.0.0.1:5432 refused the connection", "pg_dump is not
 *   installed"); the job runner prefixes them with the job's resource ARN.
 */
import type { Readable } from 'node:stream';
import type { DiscoveryOfType, ResourceConfig, ResourceOfType, ResourceType } from '../config/resource-config.js';
import type { Progress } from '../vault/progress.js';
import type { Repository } from '../vault/repository.js';
import type { RestoreTargetRules } from '../vault/restore-target.js';
import type { Snapshot } from '../vault/snapshot.js';

/** What the runner fixes for the snapshot; a connector passes it on unchanged. */
export interface SnapshotOptions {
  readonly time: Date;
  readonly hostname: string;
  readonly tags: readonly string[];
  /** Coffer's metadata in the snapshot JSON (recovery point ARN, resource ARN and type, job id). */
  readonly coffer: Readonly<Record<string, string>>;
}

export interface BackupContext {
  readonly repo: Repository;
  readonly signal: AbortSignal;
  readonly progress: Progress;
  readonly snapshot: SnapshotOptions;
  /** The newest earlier snapshot of the same resource in `repo`, for reuse; undefined if none. */
  readonly parent: Snapshot | undefined;
  readonly recoveryPointArn: string;
}

/**
 * One object of a bucket that a backup could not read or a restore could not write, while the
 * rest went on (an archived object, one denied object, a key too long for the target). The job
 * still completes, names them in its StatusMessage, and each becomes an
 * S3_BACKUP_OBJECT_FAILED / S3_RESTORE_OBJECT_FAILED vault event.
 */
export interface ObjectFailure {
  readonly key: string;
  /** What went wrong and what to do, in a user's words. */
  readonly reason: string;
}

export interface BackupOutcome {
  readonly snapshotId: string;
  /** Bytes of the resource as read (BackupSizeInBytes). */
  readonly sizeBytes: number;
  /** Bytes newly written to the vault (after dedup and compression). */
  readonly storedBytes: number;
  /** Things left out or worth knowing; the job completes with them in its StatusMessage. */
  readonly warnings: readonly string[];
  /** Objects left out one by one (S3); the warnings already say so in words. */
  readonly objectFailures?: readonly ObjectFailure[];
  /** What GetRecoveryPointRestoreMetadata answers (see restoreMetadataDefaults). */
  readonly restoreMetadata: Readonly<Record<string, string>>;
}

export interface RecoveryPointInfo {
  readonly arn: string;
  /** The id at the end of the ARN (a UUID). */
  readonly id: string;
  readonly createdAt: Date;
}

export interface RestoreContext<R extends ResourceConfig = ResourceConfig> {
  readonly repo: Repository;
  readonly snapshot: Snapshot;
  /** The recorded restore metadata overlaid by the caller's, already validated. */
  readonly metadata: Readonly<Record<string, string>>;
  /** The source resource when it is still configured (its server is where a restore goes). */
  readonly resource: R | undefined;
  readonly resourceArn: string;
  readonly recoveryPointArn: string;
  /** The restore job's id (e.g. for a marker on what it creates, so a restart can find it). */
  readonly jobId: string;
  readonly signal: AbortSignal;
  readonly progress: Progress;
  /** Where directory restores may go: the config's restoreRoots, and Coffer's own directories they never enter. */
  readonly restoreTargets?: RestoreTargetRules | undefined;
}

/** A restore job found RUNNING after Coffer restarted: what its dead process may have left. */
export interface InterruptedRestore<R extends ResourceConfig = ResourceConfig> {
  readonly metadata: Readonly<Record<string, string>>;
  readonly resource: R | undefined;
  readonly jobId: string;
}

export interface RestoreOutcome {
  /** Bytes written to the new resource. */
  readonly bytes: number;
  /** What was created: `file:/path`, an RDS/DynamoDB/S3 ARN. */
  readonly resultArn?: string;
  readonly warnings: readonly string[];
  /** Objects not written one by one (S3); the warnings already say so in words. */
  readonly objectFailures?: readonly ObjectFailure[];
}

/**
 * What a completed restore created, for restore testing: the snapshot it came from, the metadata
 * it ran with (the destination's), the server or endpoint it went to, and its CreatedResourceArn.
 */
export interface RestoredResource<R extends ResourceConfig = ResourceConfig> {
  readonly repo: Repository;
  readonly snapshot: Snapshot;
  readonly metadata: Readonly<Record<string, string>>;
  readonly resource: R | undefined;
  readonly createdResourceArn: string | undefined;
  readonly signal: AbortSignal;
}

/** A restore test's verdict on what a restore created, in a sentence that gives the figures. */
export interface RestoreCheck {
  readonly ok: boolean;
  readonly message: string;
}

export interface Connector<T extends ResourceType = ResourceType> {
  readonly type: T;
  /** The resources behind one discovery entry. Throws ConnectorError when the server cannot be listed. */
  discover(source: DiscoveryOfType<T>, signal?: AbortSignal): Promise<readonly ResourceOfType<T>[]>;
  /** Reads the resource into one snapshot of `ctx.repo` (see the contract above). */
  backup(resource: ResourceOfType<T>, ctx: BackupContext): Promise<BackupOutcome>;
  /** Every key `restore` accepts, with defaults; what the backup records. */
  restoreMetadataDefaults(resource: ResourceOfType<T>, point: RecoveryPointInfo): Record<string, string>;
  /** Throws RestoreMetadataError naming the first bad key. No I/O. */
  validateRestoreMetadata(metadata: Readonly<Record<string, string>>): void;
  /** Creates a new resource from `ctx.snapshot` (see the contract above). */
  restore(ctx: RestoreContext<ResourceOfType<T>>): Promise<RestoreOutcome>;
  /**
   * Optional: cleans up after a restore whose process died (drops what only that job created).
   * Returns a sentence for the failed job's StatusMessage (what was left, what to do), or undefined.
   */
  cleanUpInterruptedRestore?(interrupted: InterruptedRestore<ResourceOfType<T>>): Promise<string | undefined>;
  /**
   * Optional, for restore testing: compares what a completed restore created with the snapshot
   * (file tree, row, item or object counts). Reads only; throws ConnectorError when it cannot look.
   */
  checkRestored?(restored: RestoredResource<ResourceOfType<T>>): Promise<RestoreCheck>;
  /**
   * Optional, for restore testing: deletes what a completed restore created (the scratch
   * directory, database, table or bucket) and nothing else; a sentence saying what went.
   */
  deleteRestored?(restored: Omit<RestoredResource<ResourceOfType<T>>, 'repo' | 'snapshot'>): Promise<string>;
}

export type ConnectorErrorKind =
  /** The restore target exists or the request cannot be honoured; nothing was changed. */
  | 'Refused'
  /** The server or endpoint cannot be reached, or refused the credentials. */
  | 'Unavailable'
  /** The resource (database, table, bucket, directory) does not exist. */
  | 'NotFound'
  /** A tool the connector runs (pg_dump, mariadb-dump) is not installed. */
  | 'ToolMissing'
  /** Anything else: a tool failed, the data is damaged. */
  | 'Failed';

export class ConnectorError extends Error {
  constructor(
    readonly kind: ConnectorErrorKind,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ConnectorError';
  }
}

/** A restore metadata key with a bad value; StartRestoreJob answers InvalidParameterValue naming it. */
export class RestoreMetadataError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = 'RestoreMetadataError';
  }
}

/** Bytes, as a connector hands them to the engine. */
export type ByteSource = Readable | AsyncIterable<Uint8Array>;
