/**
 * Storage faults: what went wrong with the place a vault's bytes live (disk full, permission
 * denied, read-only, gone, failing), as one error that names the vault, the storage location and
 * what to do. The one mapping from a store's low-level error (a Node errno code, an S3 error
 * name) to that error, for every BlobStore: the local store uses it for every file operation, the
 * S3 store maps its service errors through `storageFaultKind` too.
 */

/** The kinds of fault, each with its own advice; also the error's stable `code`. */
export type StorageFaultKind = 'StorageFull' | 'StoragePermissionDenied' | 'StorageReadOnly' | 'StorageGone' | 'StorageIOError';

/** Low-level codes (Node errno codes, S3 error names) and the fault each one is. ENOENT is not here: only a missing root is a fault, which the store decides. */
const KIND_OF_CODE: Readonly<Record<string, StorageFaultKind>> = {
  ENOSPC: 'StorageFull',
  EDQUOT: 'StorageFull',
  EACCES: 'StoragePermissionDenied',
  EPERM: 'StoragePermissionDenied',
  EROFS: 'StorageReadOnly',
  EIO: 'StorageIOError',
  ENOTDIR: 'StorageGone',
  ESTALE: 'StorageGone',
  ENODEV: 'StorageGone',
  ENXIO: 'StorageGone',
  AccessDenied: 'StoragePermissionDenied',
  InvalidAccessKeyId: 'StoragePermissionDenied',
  SignatureDoesNotMatch: 'StoragePermissionDenied',
  NoSuchBucket: 'StorageGone',
};

/** The fault a low-level error code is, or undefined for an error that is not about the storage. */
export function storageFaultKind(code: string | undefined): StorageFaultKind | undefined {
  return code === undefined || !Object.hasOwn(KIND_OF_CODE, code) ? undefined : KIND_OF_CODE[code];
}

export interface StorageFaultContext {
  /** The store's location (a path or URL without credentials). */
  readonly location: string;
  /** Whose storage it is, for the message: `backup vault daily`; undefined for a bare repository. */
  readonly owner?: string | undefined;
  /** What was being done: `writing data/ab/…`, `reading config`. */
  readonly action?: string | undefined;
}

const WHAT: Readonly<Record<StorageFaultKind, string>> = {
  StorageFull: 'is full (no space left on device)',
  StoragePermissionDenied: 'refuses access (permission denied)',
  StorageReadOnly: 'is read-only (read-only file system)',
  StorageGone: 'is gone (its directory does not exist: an unmounted or removed disk?)',
  StorageIOError: 'fails to read or write (I/O error)',
};

const FIX: Readonly<Record<StorageFaultKind, string>> = {
  StorageFull: 'free space there (delete or expire old recovery points and prune, or grow the disk), then run it again; nothing half-written was kept',
  StoragePermissionDenied: `give the user Coffer runs as (uid ${process.getuid?.() ?? '?'}) read and write access to that directory and everything in it (chown -R, chmod -R u+rwX) or, for object storage, the credentials access to the bucket, then run it again`,
  StorageReadOnly: 'remount it read-write (or move the vault to writable storage), then run it again',
  StorageGone:
    'mount or restore it at that path, then run it again; Coffer does not recreate it, so that the recovery points stored there are not hidden behind a new empty repository',
  StorageIOError:
    "check the disk (the kernel log, the disk's health, fsck) and run `coffer vault check --read-data` on the repository before trusting it again",
};

/** A storage fault; its message says whose storage, where, what happened and what to do. */
export class StorageFaultError extends Error {
  readonly location: string;
  readonly owner: string | undefined;

  constructor(
    readonly code: StorageFaultKind,
    context: StorageFaultContext,
    options?: { cause?: unknown },
  ) {
    const whose = context.owner === undefined ? 'the storage' : `the storage of ${context.owner}`;
    const during = context.action === undefined ? '' : ` while ${context.action}`;
    super(`${whose} at ${context.location} ${WHAT[code]}${during}: ${FIX[code]}`, options);
    this.name = 'StorageFaultError';
    this.location = context.location;
    this.owner = context.owner;
  }
}

/** `err` as a storage fault when its code is one, else undefined. */
export function asStorageFault(err: unknown, context: StorageFaultContext): StorageFaultError | undefined {
  if (err instanceof StorageFaultError) return err;
  const code = (err as { code?: unknown; name?: unknown } | null)?.code ?? (err as { name?: unknown } | null)?.name;
  const kind = storageFaultKind(typeof code === 'string' ? code : undefined);
  return kind === undefined ? undefined : new StorageFaultError(kind, context, { cause: err });
}
