/**
 * The restore's per-span work, run on a codec worker (or inline for a tiny restore): read one
 * span of a pack (from the pack file itself when the store is local, into memory the thread
 * reuses), open and verify each blob once, and write it into every file that uses it.
 *
 * Files whose blobs all lie in the span ("whole" files: nearly every small file) are created
 * here, written, given their mode, owner and times and closed: the main thread makes no system
 * call for them. Files spread over several spans ("split" files) exist already (the main thread
 * created them at their size) and are written at offsets; their metadata waits for the last span.
 *
 * Steady state allocates nothing per blob: the span is read into a per-thread buffer, decrypted
 * in place, and decompressed into a second per-thread buffer; both grow to the largest span or
 * blob and stay (restic's blobs are at most 8 MiB, spans are capped by the restorer).
 */
import { closeSync, fchmodSync, fchownSync, futimesSync, openSync, readSync, writeSync } from 'node:fs';
import zstd from 'zstd-napi/binding.js';
import { createHash } from 'node:crypto';
import { openInPlace } from './crypto.js';
import type { MasterKey } from './crypto.js';

/** A blob of the span: where it lies in the span and what it must hash to. */
export interface RestoreBlob {
  readonly offset: number;
  readonly length: number;
  /** Plaintext length when the blob is compressed. */
  readonly uncompressedLength?: number | undefined;
  readonly id: string;
}

/** A file the span writes to. */
export interface RestoreFile {
  readonly path: string;
  /** Created here (with O_EXCL) and finished here: all its blobs are in this span. */
  readonly whole: boolean;
  /** Writes this span makes into the file; a whole file is finished after the last. */
  readonly writes: number;
  readonly mode?: number | undefined;
  /** Seconds (utimes' form); both or neither. */
  readonly atime?: number | undefined;
  readonly mtime?: number | undefined;
  /** Set when running as root. */
  readonly uid?: number | undefined;
  readonly gid?: number | undefined;
}

export interface RestoreSpanJob {
  /** The pack file on a local disk, when the store has one: the thread reads the span itself. */
  readonly packPath?: string | undefined;
  /** Offset and length of the span within the pack. */
  readonly start: number;
  readonly length: number;
  readonly blobs: readonly RestoreBlob[];
  /** Per blob: [file index, offset in the file] pairs, flattened. */
  readonly uses: readonly (readonly number[])[];
  readonly files: readonly RestoreFile[];
}

export interface RestoreSpanResult {
  readonly written: number;
  /** Whole files finished. */
  readonly finished: number;
  readonly warnings: readonly string[];
}

/** A read of the pack file failed: the main thread reads the span through the store instead (which names the fault). */
export class SpanReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpanReadError';
  }
}

/** A whole file's name is taken already in the staging tree: the snapshot names it twice. */
export const NAMED_TWICE = 'named twice';

let spanBuf: Buffer = Buffer.alloc(0);
let plainBuf: Buffer = Buffer.alloc(0);
let dctx: zstd.DCtx | undefined;

/** `buf`, or a bigger one (rounded up to 1 MiB) when it holds fewer than `n` bytes. */
function grow(buf: Buffer, n: number): Buffer {
  return buf.length >= n ? buf : Buffer.allocUnsafeSlow(Math.ceil(n / 1048576) * 1048576);
}

/** Reads the span from the pack file into this thread's span buffer. */
export function readSpan(path: string, start: number, length: number): Buffer {
  spanBuf = grow(spanBuf, length);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new SpanReadError((err as Error).message);
  }
  try {
    for (let done = 0; done < length; ) {
      const n = readSync(fd, spanBuf, done, length - done, start + done);
      if (n === 0) throw new SpanReadError(`${path}: short read at ${start + done}`);
      done += n;
    }
  } catch (err) {
    throw err instanceof SpanReadError ? err : new SpanReadError((err as Error).message);
  } finally {
    closeSync(fd);
  }
  return spanBuf.subarray(0, length);
}

/**
 * Opens (in place: `sealed` is overwritten), decompresses (into this thread's buffer) and
 * verifies one blob; the view is valid until the next call.
 */
function decodeReused(key: MasterKey, sealed: Buffer, blob: RestoreBlob): Buffer {
  const opened = openInPlace(key, sealed);
  let plain = opened;
  if (blob.uncompressedLength !== undefined) {
    plainBuf = grow(plainBuf, blob.uncompressedLength);
    dctx ??= new zstd.DCtx();
    const n = dctx.decompress(plainBuf.subarray(0, blob.uncompressedLength), opened);
    if (n !== blob.uncompressedLength) throw new Error(`blob ${blob.id} is damaged: it decompresses to ${n} bytes, the index says ${blob.uncompressedLength}`);
    plain = plainBuf.subarray(0, n);
  }
  if (createHash('sha256').update(plain).digest('hex') !== blob.id) throw new Error(`blob ${blob.id} is damaged: its content does not match its ID`);
  return plain;
}

function writeAll(fd: number, data: Buffer, offset: number): void {
  for (let pos = 0; pos < data.length; ) pos += writeSync(fd, data, pos, data.length - pos, offset + pos);
}

/** Open files of this span; whole files stay open from their first write to their last. */
class OpenFiles {
  private readonly fds = new Map<number, number>();
  private readonly left: number[];
  private readonly created: boolean[];
  finished = 0;
  readonly warnings: string[] = [];

  constructor(private readonly files: readonly RestoreFile[]) {
    this.left = files.map((f) => f.writes);
    this.created = files.map(() => false);
  }

  write(index: number, data: Buffer, offset: number): void {
    const file = this.files[index]!;
    let fd = this.fds.get(index);
    if (fd === undefined) {
      fd = this.open(file, index);
      this.fds.set(index, fd);
    }
    writeAll(fd, data, offset);
    if (--this.left[index]! === 0) {
      this.fds.delete(index);
      try {
        if (file.whole) this.finish(file, fd);
      } finally {
        closeSync(fd);
      }
    }
  }

  private open(file: RestoreFile, index: number): number {
    if (!file.whole || this.created[index]) return openSync(file.path, 'r+');
    this.created[index] = true;
    try {
      return openSync(file.path, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST')
        throw new Error(`${file.path} is ${NAMED_TWICE} in the snapshot's tree: run \`coffer vault check\``);
      throw err;
    }
  }

  private finish(file: RestoreFile, fd: number): void {
    this.finished++;
    if (file.uid !== undefined && file.gid !== undefined) {
      try {
        fchownSync(fd, file.uid, file.gid);
      } catch (err) {
        this.warnings.push(`${file.path}: ${(err as Error).message}`);
      }
    }
    if (file.mode !== undefined) fchmodSync(fd, file.mode);
    if (file.atime !== undefined && file.mtime !== undefined) futimesSync(fd, file.atime, file.mtime);
  }

  closeAll(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}

/** Writes the span's blobs into their files (see the file comment). `data`: the span, when the caller read it. */
export function restoreSpan(key: MasterKey, job: RestoreSpanJob, data?: Buffer): RestoreSpanResult {
  const span = data ?? readSpan(job.packPath!, job.start, job.length);
  if (span.length !== job.length) throw new Error(`span of ${span.length} bytes, expected ${job.length}`);
  const files = new OpenFiles(job.files);
  let written = 0;
  try {
    job.blobs.forEach((blob, i) => {
      const plain = decodeReused(key, span.subarray(blob.offset, blob.offset + blob.length), blob);
      const uses = job.uses[i]!;
      for (let u = 0; u < uses.length; u += 2) {
        files.write(uses[u]!, plain, uses[u + 1]!);
        written += plain.length;
      }
    });
  } finally {
    files.closeAll();
  }
  return { written, finished: files.finished, warnings: files.warnings };
}
