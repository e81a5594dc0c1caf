/**
 * Restore: recreates a snapshot's tree (or the parts named by `include`) below a target
 * directory, byte-identical, with modes, times and (as root) owners.
 *
 * Like restic, it restores pack by pack rather than file by file: the tree walk creates every
 * directory and link and records where each blob goes; then each span of a pack (a run of
 * needed blobs, at most MAX_SPAN bytes) goes to a worker, which reads it (from the pack file
 * itself on a local store), opens and verifies each blob once and writes it into every file that
 * uses it (restore-span.ts). A file whose blobs all lie in one span (nearly every small file) is
 * created, written, given its metadata and closed by that worker: the main thread makes no
 * system call per file. Only files spread over several spans are created (at their size) by the
 * main thread beforehand and finished by it after their last span. File-system calls are
 * synchronous: on local disks they cost microseconds, promise-based ones tens of microseconds.
 *
 * The tree is written into a staging directory and moved into place at the end, so a restore
 * never writes over anything and a failed one leaves nothing behind (restore-target.ts says which
 * targets are refused, restore-staging.ts how the move stays no-replace).
 */
import { chmodSync, closeSync, ftruncateSync, lchownSync, lutimesSync, mkdirSync, openSync, symlinkSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { plaintextSize } from './blob.js';
import type { BlobLocation } from './blob.js';
import { BlobCodecPool } from './blob-codec-pool.js';
import { IncludeNotFoundError, VaultError } from './errors.js';
import { posixPermissionsFromGo } from './file-mode.js';
import type { Id } from './id.js';
import { packSpans, spanRange } from './pack-spans.js';
import { NAMED_TWICE, SpanReadError } from './restore-span.js';
import type { RestoreFile, RestoreSpanJob, RestoreSpanResult } from './restore-span.js';
import { newProgress } from './progress.js';
import type { Progress } from './progress.js';
import { packName } from './repository.js';
import type { Repository } from './repository.js';
import { RestoreStaging, sweepDeadStaging } from './restore-staging.js';
import { resolveRestoreTarget } from './restore-target.js';
import type { RestoreTargetRules } from './restore-target.js';
import type { Snapshot } from './snapshot.js';
import { parseMicros } from './time-format.js';
import { decodeTree } from './tree.js';
import type { TreeNode } from './tree.js';

export interface RestoreOptions {
  /**
   * A new or empty directory to restore into (restore-target.ts says which are refused); the
   * snapshot's absolute paths are recreated below it, or `root`'s content is.
   */
  readonly target: string;
  /** The snapshot directory that becomes `target` (default `/`: the whole tree, as restic lays it out). */
  readonly root?: string;
  /** Restore only these snapshot paths (and what lies below them); one that is not in the snapshot fails the restore. */
  readonly include?: readonly string[];
  /** Where restores may go (restore roots, forbidden places) and how messages name the target. */
  readonly rules?: RestoreTargetRules;
  /** Names the staging directory (a job id, so a restart can clean up after it); default random. */
  readonly stagingId?: string;
  readonly pool?: BlobCodecPool;
  readonly progress?: Progress;
}

export interface RestoreResult {
  readonly files: number;
  readonly dirs: number;
  readonly bytes: number;
  readonly warnings: readonly string[];
}

/** Bytes of pack spans handed to workers and not yet written (a few spans per worker). */
const MAX_IN_FLIGHT = 16 * 1024 * 1024;
/** Needed blobs further apart than this are read as separate spans. */
const MAX_GAP = 1024 * 1024;
/** A span is at most this long (a larger blob is a span of its own): bounds each worker's buffer. */
const MAX_SPAN = 4 * 1024 * 1024;

/** What a restored file, link or directory gets besides its bytes (the tree node itself is not kept). */
interface Meta {
  /** POSIX permission bits. */
  readonly mode?: number | undefined;
  /** Seconds (utimes' form); both or neither. */
  readonly atime?: number | undefined;
  readonly mtime?: number | undefined;
  /** Only when running as root. */
  readonly uid?: number | undefined;
  readonly gid?: number | undefined;
}

interface FileTarget {
  readonly path: string;
  readonly meta: Meta;
  readonly size: number;
  /** Writes not yet done (one per content blob). */
  remaining: number;
  /** The first span that writes into it; `split` once a second one does. */
  span: number;
  split: boolean;
}

interface BlobUse {
  readonly loc: BlobLocation;
  readonly targets: Array<{ file: FileTarget; offset: number }>;
}

function normalizeInclude(paths: readonly string[] | undefined): string[] | undefined {
  if (!paths || paths.length === 0) return undefined;
  return paths.map((p) => `/${p.split('/').filter(Boolean).join('/')}`);
}

/** 'all': restore everything below; 'walk': only a way to an included path; 'skip'. */
function selection(path: string, include: string[] | undefined): 'all' | 'walk' | 'skip' {
  if (!include) return 'all';
  for (const inc of include) if (inc === '/' || path === inc || path.startsWith(`${inc}/`)) return 'all';
  for (const inc of include) if (inc.startsWith(`${path}/`)) return 'walk';
  return 'skip';
}

function checkName(name: string, treeId: Id): void {
  if (name.includes('/') || name === '..' || name === '.' || name === '') {
    throw new VaultError('Damaged', `tree ${treeId} holds an invalid name ${JSON.stringify(name)}`);
  }
}

/**
 * Seconds with a fraction, as utimes takes them. A double near 1.8e9 s resolves ~0.24 us and
 * Node truncates it to whole nanoseconds, so a quarter microsecond is added: the restored time
 * then lands on the stored microsecond instead of one below it.
 */
function toSeconds(text: string | undefined): number | undefined {
  if (!text) return undefined;
  return parseMicros(text) / 1e6 + 2.5e-7;
}

class Restorer {
  readonly warnings: string[] = [];
  private readonly dirTimes: Array<{ path: string; meta: Meta }> = [];
  private readonly byPack = new Map<Id, Map<Id, BlobUse>>();
  private readonly isRoot = process.getuid?.() === 0;
  private readonly wanted: ReadonlySet<string>;
  private readonly found = new Set<string>();

  constructor(
    private readonly repo: Repository,
    readonly progress: Progress,
    private readonly include: string[] | undefined,
  ) {
    this.wanted = new Set(include ?? []);
  }

  /** Throws IncludeNotFoundError naming the included paths the tree walk did not meet. */
  checkIncludesFound(): void {
    const missing = [...this.wanted].filter((p) => p !== '/' && !this.found.has(p));
    if (missing.length > 0) throw new IncludeNotFoundError(missing);
  }

  /** Phase 1: directories, links and empty-but-sized files; records every blob's destinations. */
  async plan(treeId: Id, snapPath: string, dest: string, all: boolean): Promise<void> {
    const nodes = decodeTree(await this.repo.loadBlob('tree', treeId), treeId);
    for (const node of nodes) {
      checkName(node.name, treeId);
      const path = snapPath === '/' ? `/${node.name}` : `${snapPath}/${node.name}`;
      if (this.wanted.has(path)) this.found.add(path);
      const sel = all ? 'all' : selection(path, this.include);
      if (sel === 'skip') continue;
      await this.planNode(node, path, join(dest, node.name), sel === 'all');
    }
  }

  private async planNode(node: TreeNode, path: string, dest: string, all: boolean): Promise<void> {
    if (node.type === 'dir') {
      mkdirSync(dest, { recursive: true, mode: 0o700 });
      if (node.subtree) await this.plan(node.subtree, path, dest, all);
      this.progress.dirs++;
      if (all) this.dirTimes.push({ path: dest, meta: this.metaOf(node) });
    } else if (!all) {
      return;
    } else if (node.type === 'file') {
      this.planFile(node, dest);
    } else if (node.type === 'symlink') {
      this.create(dest, () => symlinkSync(node.linktarget ?? '', dest));
      this.applyMetadata(this.metaOf(node), dest, true);
    } else {
      this.warnings.push(`${path}: ${node.type} nodes are not restored`);
    }
  }

  private planFile(node: TreeNode, dest: string): void {
    const content = node.content ?? [];
    const meta = this.metaOf(node);
    if (content.length === 0) {
      closeSync(this.create(dest, () => openSync(dest, 'wx', 0o600)));
      this.fileDone({ path: dest, meta, size: 0, remaining: 0, span: -1, split: false });
      return;
    }
    let size = 0;
    const locs = content.map((id) => {
      const loc = this.repo.requireBlob('data', id);
      size += plaintextSize(loc);
      return loc;
    });
    const file: FileTarget = { path: dest, meta, size, remaining: content.length, span: -1, split: false };
    let offset = 0;
    for (const loc of locs) {
      let uses = this.byPack.get(loc.packId);
      if (!uses) this.byPack.set(loc.packId, (uses = new Map()));
      let use = uses.get(loc.id);
      if (!use) uses.set(loc.id, (use = { loc, targets: [] }));
      use.targets.push({ file, offset });
      offset += plaintextSize(loc);
    }
  }

  private metaOf(node: TreeNode): Meta {
    const mtime = toSeconds(node.mtime);
    const atime = toSeconds(node.atime) ?? mtime;
    const times = mtime !== undefined && atime !== undefined;
    return {
      mode: node.type === 'symlink' || node.mode === undefined ? undefined : posixPermissionsFromGo(node.mode),
      atime: times ? atime : undefined,
      mtime: times ? mtime : undefined,
      uid: this.isRoot ? node.uid : undefined,
      gid: this.isRoot ? node.gid : undefined,
    };
  }

  /**
   * Cuts every pack's needed blobs into spans, marks the files that more than one span writes
   * into as split and creates those (at their size) before any worker writes into them.
   */
  private spans(): Array<{ packId: Id; span: BlobUse[] }> {
    const out: Array<{ packId: Id; span: BlobUse[] }> = [];
    for (const [packId, uses] of this.byPack) {
      for (const span of packSpans([...uses.values()], MAX_GAP, MAX_SPAN)) {
        const n = out.length;
        for (const use of span)
          for (const { file } of use.targets) {
            if (file.span === -1) file.span = n;
            else if (file.span !== n) file.split = true;
          }
        out.push({ packId, span });
      }
    }
    this.byPack.clear();
    const sized = new Set<FileTarget>();
    for (const { span } of out)
      for (const use of span)
        for (const { file } of use.targets) {
          if (!file.split || sized.has(file)) continue;
          sized.add(file);
          const fd = this.create(file.path, () => openSync(file.path, 'wx', 0o600));
          try {
            if (file.size > 0) ftruncateSync(fd, file.size);
          } finally {
            closeSync(fd);
          }
        }
    return out;
  }

  /** Creates a file or link that must not exist yet (the staging directory is new: a clash means a damaged tree). */
  private create<T>(dest: string, make: () => T): T {
    try {
      return make();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      throw new VaultError('TargetExists', `${dest} is named twice in the snapshot's tree: run \`coffer vault check\``);
    }
  }

  /**
   * Phase 2: each pack span read once by a worker, which writes its blobs where they belong
   * (writes from every core: a single writing thread stalls on the page cache).
   */
  async fill(pool: BlobCodecPool): Promise<void> {
    const writes: Array<Promise<void>> = [];
    let failure: { err: unknown } | undefined;
    const local = this.repo.store.localPath?.bind(this.repo.store);
    for (const { packId, span } of this.spans()) {
      await pool.whenBelow(MAX_IN_FLIGHT);
      if (failure) break;
      const { job, files } = this.jobOf(span, local?.(packName(packId)));
      const done = this.run(pool, packId, job).then((res) => this.written(files, job, res));
      done.catch((err: unknown) => {
        failure ??= { err };
      });
      writes.push(done);
    }
    // Every span handed out has finished before a failure is reported: the caller then removes
    // the staging tree, which no worker may still be writing into.
    await Promise.allSettled(writes);
    if (failure) throw failure.err;
  }

  /** The worker's job for one span, and the files it writes into (in the job's order). */
  private jobOf(span: readonly BlobUse[], packPath: string | undefined): { job: RestoreSpanJob; files: FileTarget[] } {
    const { start, end } = spanRange(span);
    const files: FileTarget[] = [];
    const index = new Map<FileTarget, number>();
    const writes: number[] = [];
    const uses = span.map((u) => {
      const pairs: number[] = [];
      for (const t of u.targets) {
        let i = index.get(t.file);
        if (i === undefined) {
          index.set(t.file, (i = files.length));
          files.push(t.file);
          writes.push(0);
        }
        writes[i]!++;
        pairs.push(i, t.offset);
      }
      return pairs;
    });
    const blobs = span.map((u) => ({ offset: u.loc.offset - start, length: u.loc.length, uncompressedLength: u.loc.uncompressedLength, id: u.loc.id }));
    const jobFiles = files.map(
      (f, i): RestoreFile => (f.split ? { path: f.path, whole: false, writes: writes[i]! } : { path: f.path, whole: true, writes: writes[i]!, ...f.meta }),
    );
    return { job: { packPath, start, length: end - start, blobs, uses, files: jobFiles }, files };
  }

  /** Runs a span on a worker; when the worker could not read the pack file, reads it through the store (which names the fault). */
  private async run(pool: BlobCodecPool, packId: Id, job: RestoreSpanJob): Promise<RestoreSpanResult> {
    if (job.packPath !== undefined) {
      try {
        return await pool.restoreSpan(job);
      } catch (err) {
        if (!(err instanceof SpanReadError)) throw this.named(err);
      }
    }
    const data = await this.repo.store.read(packName(packId), job.start, job.length);
    return pool.restoreSpan({ ...job, packPath: undefined }, data).catch((err: unknown) => {
      throw this.named(err);
    });
  }

  /** A worker's "named twice" as the VaultError the main thread would have raised. */
  private named(err: unknown): unknown {
    const message = (err as Error).message ?? '';
    return message.includes(NAMED_TWICE) ? new VaultError('TargetExists', message) : err;
  }

  private written(files: readonly FileTarget[], job: RestoreSpanJob, res: RestoreSpanResult): void {
    this.progress.bytes += res.written;
    this.progress.files += res.finished;
    this.warnings.push(...res.warnings);
    files.forEach((file, i) => {
      if (!file.split) return;
      file.remaining -= job.files[i]!.writes;
      if (file.remaining === 0) this.fileDone(file);
    });
  }

  private fileDone(file: FileTarget): void {
    this.progress.files++;
    this.applyMetadata(file.meta, file.path, false);
  }

  private applyMetadata(meta: Meta, dest: string, symlink: boolean): void {
    if (meta.uid !== undefined && meta.gid !== undefined) {
      try {
        lchownSync(dest, meta.uid, meta.gid);
      } catch (err) {
        this.warnings.push(`${dest}: ${(err as Error).message}`);
      }
    }
    if (meta.mode !== undefined) chmodSync(dest, meta.mode);
    if (meta.mtime !== undefined && meta.atime !== undefined) (symlink ? lutimesSync : utimesSync)(dest, meta.atime, meta.mtime);
  }

  /** Directory modes and times, deepest first, once nothing more is written into them. */
  finishDirs(): void {
    this.dirTimes.sort((a, b) => b.path.length - a.path.length);
    for (const { path, meta } of this.dirTimes) this.applyMetadata(meta, path, false);
  }
}

/**
 * Restores into a staging directory next to the target, then moves the tree into place with
 * no-replace semantics (restore-staging.ts); on any failure, removes exactly what it created.
 */
export async function restoreSnapshot(repo: Repository, snapshot: Snapshot, options: RestoreOptions): Promise<RestoreResult> {
  const target = resolveRestoreTarget(options.target, options.rules);
  await repo.loadIndex();
  await sweepDeadStaging(target);
  const staging = await RestoreStaging.create(target, options.stagingId);
  const pool = options.pool ?? new BlobCodecPool(repo.key);
  const progress = options.progress ?? newProgress();
  try {
    const include = normalizeInclude(options.include);
    const restorer = new Restorer(repo, progress, include);
    await restorer.plan(snapshot.tree, '/', staging.tree, include === undefined);
    restorer.checkIncludesFound();
    await restorer.fill(pool);
    restorer.finishDirs();
    await staging.commit(options.root ?? '/');
    return { files: progress.files, dirs: progress.dirs, bytes: progress.bytes, warnings: restorer.warnings };
  } catch (err) {
    await staging.abort();
    throw err;
  } finally {
    if (!options.pool) await pool.close();
  }
}
