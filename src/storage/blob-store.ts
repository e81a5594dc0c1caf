/**
 * storage/: where vault bytes live. A BlobStore knows names and bytes only: nothing of restic's
 * format, keys, accounts or plans. The vault engine depends on this interface alone.
 *
 * Names are slash-separated relative paths such as `config`, `keys/<id>`, `data/ab/<id>`. Every
 * method rejects (throws InvalidBlobNameError, see local-blob-store.ts) a name that is empty or
 * absolute, or has a backslash, a NUL byte, an empty segment, or a `.` or `..` segment.
 */

/** The bytes of one file: a single buffer, or parts written back to back (no concatenation). */
export type BlobData = Uint8Array | readonly Uint8Array[];

/** The parts of `data` as a list. */
export function blobParts(data: BlobData): readonly Uint8Array[] {
  return data instanceof Uint8Array ? [data] : data;
}

/** What `stat` and `list` report about one stored file. */
export interface BlobInfo {
  readonly name: string;
  readonly size: number;
}

export interface BlobStore {
  /** A human-readable location for messages (a path or URL; never credentials). */
  readonly location: string;

  /**
   * Stores `data` under `name` atomically: readers see either nothing or all of it, also after a
   * crash. Overwriting an existing name replaces it atomically. Idempotent: may be called again
   * with the same name and bytes.
   */
  write(name: string, data: BlobData): Promise<void>;

  /**
   * Reads the whole file, or exactly `length` bytes from `offset` (to the end if `length` is
   * omitted; from 0 if `offset` is). Returns a fresh Buffer the caller may modify. Throws
   * NotFoundError if missing, and RangeError if the range is invalid or extends past the end of
   * the file (a truncated file never yields short data).
   */
  read(name: string, offset?: number, length?: number): Promise<Buffer>;

  /**
   * Starts a file whose bytes arrive piece by piece and whose name is known only at the end
   * (a pack is named by the hash of its bytes). Nothing is visible until `commit`.
   */
  openWriter(): Promise<BlobWriter>;

  /** Size of a file, or undefined if it does not exist. */
  stat(name: string): Promise<BlobInfo | undefined>;

  /**
   * Every file whose name starts with `prefix` (e.g. `data/`, so nested `data/ab/<id>` too; `''`
   * lists everything), in no particular order. A prefix matching nothing yields an empty list.
   */
  list(prefix: string): Promise<BlobInfo[]>;

  /** Removes a file. Removing a missing file is not an error (idempotent). */
  remove(name: string): Promise<void>;

  /**
   * Optional: the file holding `name` on a local disk, for readers on other threads (a restore's
   * workers read pack spans themselves). Such a reader must fall back to `read` on any error,
   * which then says what is wrong. Stores without local files leave it out.
   */
  localPath?(name: string): string;

  /**
   * Optional: removes what writers that are gone left behind (temp files of writes that never
   * committed); never touches a live writer's. Called by the next lock holder (backup, prune,
   * check with repair, server start). Stores without such leftovers leave it out.
   */
  removeDeadTemp?(): Promise<TempSweep>;
}

/** What `removeDeadTemp` removed. */
export interface TempSweep {
  readonly files: number;
  readonly bytes: number;
}

/** Raised by `read` when the named file does not exist. */
export class NotFoundError extends Error {
  readonly code = 'NotFound';
  constructor(
    readonly blobName: string,
    location: string,
  ) {
    super(`${blobName} does not exist in ${location}`);
    this.name = 'NotFoundError';
  }
}

/** An atomic file written in pieces; see `BlobStore.openWriter`. */
export interface BlobWriter {
  /** Appends bytes; calls must not overlap (await each one). */
  write(data: Uint8Array): Promise<void>;
  /** Bytes written so far. */
  readonly size: number;
  /**
   * Hex SHA-256 of everything written so far (packs are named by it). Stores hash as bytes are
   * written, so asking costs nothing and the data is never read back.
   */
  sha256(): Promise<string>;
  /** Makes everything written appear atomically under `name` (as `write` would). */
  commit(name: string): Promise<void>;
  /** Discards what was written. Idempotent; a no-op after `commit`. */
  abort(): Promise<void>;
}
