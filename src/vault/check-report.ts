/** What `check` reports: problems (errors and warnings) with the snapshots they affect, and figures. */
import type { BlobType } from './blob.js';
import type { BlobCodecPool } from './blob-codec-pool.js';
import type { Id } from './id.js';

export type CheckProblemKind =
  | 'index-damaged'
  | 'index-duplicate-pack'
  | 'pack-mixed'
  | 'pack-missing'
  | 'pack-damaged'
  | 'pack-orphaned'
  | 'blob-damaged'
  | 'blob-missing'
  | 'tree-damaged'
  | 'node-invalid'
  | 'snapshot-damaged';

/** A snapshot that a problem hurts: its ID, its backed-up paths and some of the files hit. */
export interface AffectedSnapshot {
  readonly id: Id;
  readonly paths: readonly string[];
  /** Paths inside the snapshot whose content (or whose directory) is damaged; at most 20. */
  readonly files: readonly string[];
}

export interface CheckProblem {
  readonly kind: CheckProblemKind;
  /** What is wrong and what to do, in one or two sentences. */
  readonly message: string;
  readonly pack?: Id;
  readonly blob?: Id;
  readonly blobType?: BlobType;
  readonly tree?: Id;
  readonly index?: Id;
  readonly snapshot?: Id;
  /** Snapshots that use the damaged or missing data (computed only when something is damaged). */
  readonly snapshots?: readonly AffectedSnapshot[];
}

export interface CheckStats {
  /** Snapshots that loaded. */
  snapshots: number;
  /** Distinct trees reachable from the snapshots that loaded. */
  trees: number;
  /** Distinct data blobs referenced by those trees. */
  dataBlobs: number;
  /** Packs named by the index. */
  packs: number;
  /** Pack bytes read by `readData`. */
  bytesRead: number;
}

export interface CheckReport {
  readonly errors: readonly CheckProblem[];
  readonly warnings: readonly CheckProblem[];
  readonly stats: Readonly<CheckStats>;
  /** With `repair`: the temp files of writers that are gone, removed before checking. */
  readonly repaired?: { readonly tempFiles: number; readonly tempBytes: number };
}

export type CheckPhase = 'index' | 'packs' | 'snapshots' | 'trees' | 'read-data' | 'damage';

export interface CheckProgress {
  readonly phase: CheckPhase;
  readonly done: number;
  /** Known for 'read-data' (packs) only. */
  readonly total?: number;
}

export interface CheckOptions {
  /** Read and verify every byte of every pack (slow: reads the whole repository). */
  readonly readData?: boolean;
  readonly onProgress?: (progress: CheckProgress) => void;
  /** A codec pool for this repository's key, to verify blobs on all cores during `readData`. */
  readonly pool?: BlobCodecPool;
  /** Remove what dead writers left (their temp files) before checking; check only reads otherwise. */
  readonly repair?: boolean;
}
