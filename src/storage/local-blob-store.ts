/**
 * LocalBlobStore: a BlobStore on a local directory, laid out exactly like restic's local backend
 * (`config`, `keys/<id>`, `data/ab/<id>`, ...), so the directory is a restic repository.
 *
 * Writes are crash-safe: bytes go to a unique temp file in `<root>/.coffer-tmp/` (which restic
 * ignores), are fsynced, renamed into place, and the destination directory is fsynced. A crash
 * therefore leaves either nothing or the whole file under the final name; only `.coffer-tmp/` can
 * hold leftovers. Each temp file is named for its writer, `<host>.<pid>.<start>.<uuid>.tmp`
 * (storage/process-holder.ts), so `removeDeadTemp` (called by the next lock holder) deletes
 * exactly those of writers that are gone. Directories are created lazily (on ENOENT from the
 * rename), never before every write.
 *
 * Storage faults (disk full, permission denied, read-only, I/O errors, the root gone) are thrown
 * as StorageFaultError (storage/storage-fault.ts), naming the owner (`backup vault daily`), the
 * root and what to do. Once the store has seen its root, it never recreates it: a root that
 * vanished (an unmounted disk) is a fault, not a new empty repository.
 *
 * Also exports the blob-name rules shared by every BlobStore implementation.
 */

import { createHash, randomUUID } from 'node:crypto';
import type { Hash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { blobParts, NotFoundError } from './blob-store.js';
import type { BlobData, BlobInfo, BlobStore, BlobWriter, TempSweep } from './blob-store.js';
import { holderGone, holderTag, onThisHost, parseHolderTag } from './process-holder.js';
import { asStorageFault, StorageFaultError } from './storage-fault.js';

/** Directory (directly under the root) holding in-flight and leftover temp files. */
export const TEMP_DIR = '.coffer-tmp';

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;
/** Temp files whose writer cannot be told alive or gone (another host, an older name) count as left over after this, as restic's locks do. */
const UNKNOWN_WRITER_STALE_MS = 30 * 60 * 1000;

/** The writer a temp file name says, or undefined for a name without one. */
function tempHolder(name: string): ReturnType<typeof parseHolderTag> {
  const m = /^(.+)\.[0-9a-f-]{36}\.tmp$/.exec(name);
  return m === null ? undefined : parseHolderTag(m[1]!);
}

/** Thrown when a blob name or list prefix breaks the naming rules. */
export class InvalidBlobNameError extends Error {
  constructor(
    readonly blobName: string,
    reason: string,
  ) {
    super(`invalid blob name ${JSON.stringify(blobName)}: ${reason}`);
    this.name = 'InvalidBlobNameError';
  }
}

/**
 * Checks a blob name: a non-empty relative path of '/'-separated, non-empty segments, none of
 * them `.` or `..`, without backslashes or NUL bytes, not inside the reserved temp directory.
 */
export function assertValidBlobName(name: string): void {
  if (typeof name !== 'string' || name === '') throw new InvalidBlobNameError(String(name), 'empty');
  if (name.startsWith('/')) throw new InvalidBlobNameError(name, 'absolute path');
  if (name.includes('\\')) throw new InvalidBlobNameError(name, 'contains a backslash');
  if (name.includes('\0')) throw new InvalidBlobNameError(name, 'contains a NUL byte');
  const segments = name.split('/');
  for (const segment of segments) {
    if (segment === '') throw new InvalidBlobNameError(name, 'empty path segment');
    if (segment === '.' || segment === '..') throw new InvalidBlobNameError(name, `contains "${segment}"`);
  }
  if (segments[0] === TEMP_DIR) throw new InvalidBlobNameError(name, `${TEMP_DIR} is reserved`);
}

/** Checks a list prefix: empty (everything), or a valid name optionally followed by one '/'. */
export function assertValidBlobPrefix(prefix: string): void {
  if (prefix === '') return;
  assertValidBlobName(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
}

/** Checks the optional offset/length of a ranged read. */
export function assertValidRange(offset: number | undefined, length: number | undefined): void {
  for (const [what, value] of [
    ['offset', offset],
    ['length', length],
  ] as const) {
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
      throw new RangeError(`read ${what} must be a non-negative integer, got ${value}`);
    }
  }
}

/** The error for a read past the end of a file (e.g. a truncated file). */
export function outOfRangeError(name: string, offset: number, length: number, size: number): RangeError {
  return new RangeError(`${name}: cannot read ${length} bytes at offset ${offset}, the file has ${size} bytes`);
}

export interface LocalBlobStoreOptions {
  /** Whose storage this is, for fault messages (`backup vault daily`). */
  readonly owner?: string | undefined;
}

export class LocalBlobStore implements BlobStore {
  readonly location: string;
  private readonly root: string;
  private readonly tempDir: string;
  private readonly owner: string | undefined;
  /** Whether the root was seen to exist: from then on it is never recreated. */
  private rootSeen = false;

  constructor(root: string, options: LocalBlobStoreOptions = {}) {
    this.root = resolve(root);
    this.location = this.root;
    this.tempDir = join(this.root, TEMP_DIR);
    this.owner = options.owner;
  }

  async write(name: string, data: BlobData): Promise<void> {
    const target = this.pathOf(name);
    await this.guard(`writing ${name}`, async () => {
      const temp = await this.writeTemp(data);
      try {
        await this.moveIntoPlace(temp, target);
      } catch (err) {
        await unlinkIfExists(temp).catch(() => undefined);
        throw err;
      }
    });
    this.rootSeen = true;
  }

  async openWriter(): Promise<BlobWriter> {
    const temp = this.newTempPath();
    const handle = await this.guard('starting a file', () => this.openTemp(temp, 'wx+'));
    return new LocalBlobWriter(
      handle,
      temp,
      async (name) => {
        const target = this.pathOf(name);
        await this.guard(`writing ${name}`, () => this.moveIntoPlace(temp, target));
        this.rootSeen = true;
      },
      (err, action) => this.fault(err, action),
    );
  }

  async read(name: string, offset?: number, length?: number): Promise<Buffer> {
    const path = this.pathOf(name);
    assertValidRange(offset, length);
    try {
      const out = offset === undefined && length === undefined ? await readFile(path) : await readRange(path, name, offset ?? 0, length);
      this.rootSeen = true;
      return out;
    } catch (err) {
      if (isMissing(err) && !(await this.rootGone())) throw new NotFoundError(name, this.location);
      throw await this.fault(err, `reading ${name}`);
    }
  }

  localPath(name: string): string {
    return this.pathOf(name);
  }

  async stat(name: string): Promise<BlobInfo | undefined> {
    const path = this.pathOf(name);
    const info = await this.guard(`looking up ${name}`, () => this.statPath(name, path));
    if (info !== undefined) this.rootSeen = true;
    else if (this.rootSeen && (await this.rootGone())) throw this.gone(`looking up ${name}`);
    return info;
  }

  async list(prefix: string): Promise<BlobInfo[]> {
    assertValidBlobPrefix(prefix);
    const slash = prefix.lastIndexOf('/');
    const out: BlobInfo[] = [];
    await this.guard(`listing ${prefix === '' ? 'the repository' : prefix}`, () => this.walk(slash < 0 ? '' : prefix.slice(0, slash), prefix, out));
    if (out.length > 0) this.rootSeen = true;
    else if (this.rootSeen && (await this.rootGone())) throw this.gone(`listing ${prefix}`);
    return out;
  }

  async remove(name: string): Promise<void> {
    const path = this.pathOf(name);
    await this.guard(`removing ${name}`, () => unlinkIfExists(path));
  }

  /** `err` (from an operation on this store's files done elsewhere) as a StorageFaultError naming this store when it is one, else `err`. */
  faultOf(err: unknown, action: string): unknown {
    return asStorageFault(err, { location: this.location, owner: this.owner, action }) ?? err;
  }

  /** Runs a file operation; an error from it that is a storage fault is thrown as one. */
  private async guard<T>(action: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw await this.fault(err, action);
    }
  }

  /** `err` as a StorageFaultError when it is one (a missing path counts only when the root itself is missing), else `err`. */
  private async fault(err: unknown, action: string): Promise<unknown> {
    if (err instanceof StorageFaultError || errorCode(err) === undefined) return err;
    if (isMissing(err)) return (await this.rootGone()) ? this.gone(action) : err;
    return this.faultOf(err, action);
  }

  private gone(action: string): StorageFaultError {
    return new StorageFaultError('StorageGone', { location: this.location, owner: this.owner, action });
  }

  /** Whether the root is not a directory (any more). */
  private async rootGone(): Promise<boolean> {
    const info = await stat(this.root).catch(() => undefined);
    return info === undefined || !info.isDirectory();
  }

  /**
   * Deletes the temp files of writers that are gone: on this host, a process that no longer
   * runs (or whose id now belongs to another process); elsewhere, or for names without a writer,
   * files untouched for 30 minutes. A live writer's files are never touched.
   */
  async removeDeadTemp(): Promise<TempSweep> {
    let entries: string[];
    try {
      entries = await readdir(this.tempDir);
    } catch (err) {
      if (isMissing(err)) return { files: 0, bytes: 0 };
      throw await this.fault(err, `listing ${TEMP_DIR}`);
    }
    let files = 0;
    let bytes = 0;
    const now = Date.now();
    for (const entry of entries) {
      const path = join(this.tempDir, entry);
      const info = await stat(path).catch(() => undefined);
      if (info === undefined || !info.isFile()) continue;
      const holder = tempHolder(entry);
      const certain = holder !== undefined && holder.start !== undefined && onThisHost(holder);
      const dead = (holder !== undefined && holderGone(holder)) || (!certain && now - info.mtimeMs > UNKNOWN_WRITER_STALE_MS);
      if (!dead) continue;
      await this.guard(`removing ${TEMP_DIR}/${entry}`, () => unlinkIfExists(path));
      files++;
      bytes += info.size;
    }
    return { files, bytes };
  }

  private newTempPath(): string {
    return join(this.tempDir, `${holderTag()}.${randomUUID()}.tmp`);
  }

  private pathOf(name: string): string {
    assertValidBlobName(name);
    return join(this.root, name);
  }

  private async statPath(name: string, path: string): Promise<BlobInfo | undefined> {
    try {
      const info = await stat(path);
      return info.isFile() ? { name, size: info.size } : undefined;
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  /** Writes `data` to a fresh temp file, fsyncs and closes it; returns its path. */
  private async writeTemp(data: BlobData): Promise<string> {
    const temp = this.newTempPath();
    const handle = await this.openTemp(temp);
    let written = false;
    try {
      await writeAll(handle, blobParts(data));
      await handle.sync();
      written = true;
    } finally {
      await handle.close();
      if (!written) await unlinkIfExists(temp).catch(() => undefined);
    }
    return temp;
  }

  private async openTemp(temp: string, flags = 'wx'): Promise<FileHandle> {
    try {
      return await open(temp, flags, FILE_MODE);
    } catch (err) {
      if (!isMissing(err)) throw err;
    }
    await this.makeDirs(this.tempDir);
    return open(temp, flags, FILE_MODE);
  }

  /** Renames the temp file to `target` (creating its directory on ENOENT) and makes it durable. */
  private async moveIntoPlace(temp: string, target: string): Promise<void> {
    const dir = dirname(target);
    try {
      await rename(temp, target);
    } catch (err) {
      if (!isMissing(err)) throw err;
      await this.makeDirs(dir);
      await rename(temp, target);
    }
    await syncDir(dir);
  }

  /**
   * mkdir -p `dir`, then fsyncs every directory from `dir`'s parent up to the root (and above it
   * if the root itself was created), so the new directory entries survive a crash. Also covers a
   * racing writer that created the directories a moment earlier but has not synced them yet.
   */
  private async makeDirs(dir: string): Promise<void> {
    if (this.rootSeen && (await this.rootGone())) throw this.gone(`creating ${dir}`);
    const first = await mkdir(dir, { recursive: true, mode: DIR_MODE });
    const top = first !== undefined && !isInside(first, this.root) ? dirname(first) : this.root;
    const dirs: string[] = [];
    for (let d = dirname(dir); isInside(d, top) || d === top; d = dirname(d)) {
      dirs.push(d);
      if (d === top) break;
    }
    await Promise.all(dirs.map(syncDir));
  }

  /** Appends every file under `rel` (relative to the root) whose name starts with `prefix`. */
  private async walk(rel: string, prefix: string, out: BlobInfo[]): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await readdir(rel === '' ? this.root : join(this.root, rel), { withFileTypes: true });
    } catch (err) {
      if (isMissing(err)) return;
      throw err;
    }
    const files: string[] = [];
    const dirs: string[] = [];
    for (const entry of entries) {
      if (rel === '' && entry.name === TEMP_DIR) continue;
      const name = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const kind = await this.kindOf(entry, name);
      if (kind === 'file' && name.startsWith(prefix)) files.push(name);
      if (kind === 'dir' && mayHoldPrefix(name, prefix)) dirs.push(name);
    }
    const infos = await Promise.all(files.map((name) => this.statPath(name, join(this.root, name))));
    for (const info of infos) if (info !== undefined) out.push(info);
    for (const dir of dirs) await this.walk(dir, prefix, out);
  }

  /** File or directory; symlinks are followed (e.g. a `data` directory on another disk). */
  private async kindOf(entry: Dirent, name: string): Promise<'file' | 'dir' | 'other'> {
    if (entry.isFile()) return 'file';
    if (entry.isDirectory()) return 'dir';
    if (!entry.isSymbolicLink()) return 'other';
    const target = await stat(join(this.root, name)).catch(() => undefined);
    if (target === undefined) return 'other';
    return target.isFile() ? 'file' : target.isDirectory() ? 'dir' : 'other';
  }
}

/** Reads exactly `length` bytes at `offset` (to the end if `length` is undefined). */
async function readRange(path: string, name: string, offset: number, length: number | undefined): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const size = length === undefined || length === 0 ? (await handle.stat()).size : undefined;
    if (size !== undefined && offset > size) throw outOfRangeError(name, offset, length ?? 0, size);
    const want = length ?? (size ?? 0) - offset;
    const buf = Buffer.allocUnsafe(want);
    for (let done = 0; done < want; ) {
      const { bytesRead } = await handle.read(buf, done, want - done, offset + done);
      if (bytesRead === 0) throw outOfRangeError(name, offset, want, offset + done);
      done += bytesRead;
    }
    return buf;
  } finally {
    await handle.close();
  }
}

async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return; // directories cannot be opened for fsync there
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (err) {
    // Some filesystems (e.g. certain network mounts) do not support fsync on directories.
    if (errorCode(err) !== 'EINVAL' && errorCode(err) !== 'ENOTSUP') throw err;
  } finally {
    await handle.close();
  }
}

async function unlinkIfExists(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (err) {
    if (!isMissing(err)) throw err;
  }
}

/** Whether a directory named `dir` could hold names starting with `prefix`. */
function mayHoldPrefix(dir: string, prefix: string): boolean {
  const withSlash = `${dir}/`;
  return withSlash.startsWith(prefix) || prefix.startsWith(withSlash);
}

/** Whether `path` lies strictly inside directory `dir` (both absolute and resolved). */
function isInside(path: string, dir: string): boolean {
  return path.startsWith(dir.endsWith(sep) ? dir : dir + sep) && path !== dir;
}

function errorCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

/** ENOENT, or ENOTDIR (a path component is a file): either way the name does not exist. */
function isMissing(err: unknown): boolean {
  const code = errorCode(err);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Writes every part in order with writev, looping over short writes. */
async function writeAll(handle: FileHandle, parts: readonly Uint8Array[]): Promise<void> {
  let pending = parts.filter((p) => p.length > 0);
  while (pending.length > 0) {
    let { bytesWritten } = await handle.writev(pending.slice(0, 1024) as NodeJS.ArrayBufferView[]);
    const rest: Uint8Array[] = [];
    for (const p of pending) {
      if (bytesWritten >= p.length) bytesWritten -= p.length;
      else {
        rest.push(bytesWritten > 0 ? p.subarray(bytesWritten) : p);
        bytesWritten = 0;
      }
    }
    pending = rest;
  }
}

/**
 * A temp file in `.coffer-tmp/` that becomes a named file on commit (fsync, rename, fsync dir).
 * The bytes are hashed as they are written, so `sha256` never reads the file back: that read
 * and its copy cost more than the hash itself (4% of a database backup's CPU in a profile).
 */
class LocalBlobWriter implements BlobWriter {
  size = 0;
  private done = false;
  private readonly hash: Hash = createHash('sha256');

  constructor(
    private readonly handle: FileHandle,
    private readonly temp: string,
    private readonly place: (name: string) => Promise<void>,
    private readonly fault: (err: unknown, action: string) => Promise<unknown>,
  ) {}

  async write(data: Uint8Array): Promise<void> {
    if (this.done) throw new Error('write after commit or abort');
    // Hashed only once written: a failed write leaves the writer unusable either way.
    try {
      await writeAll(this.handle, [data]);
    } catch (err) {
      throw await this.fault(err, 'writing a new file');
    }
    this.hash.update(data);
    this.size += data.length;
  }

  async sha256(): Promise<string> {
    if (this.done) throw new Error('sha256 after commit or abort');
    return this.hash.copy().digest('hex');
  }

  async commit(name: string): Promise<void> {
    if (this.done) throw new Error('commit after commit or abort');
    this.done = true;
    try {
      await this.handle.sync();
      await this.handle.close();
      await this.place(name);
    } catch (err) {
      await this.handle.close().catch(() => undefined);
      await unlinkIfExists(this.temp).catch(() => undefined);
      throw await this.fault(err, `writing ${name}`);
    }
  }

  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.handle.close().catch(() => undefined);
    await unlinkIfExists(this.temp).catch(() => undefined);
  }
}
