/**
 * Restore: recreates a snapshot's tree (or the parts named by `include`) below a target
 * directory, byte-identical, with modes, times and (as root) owners.
 *
 * Like restic, it restores pack by pack rather than file by file: the tree walk creates every
 * directory, link and (sized) file first and records where each blob goes; then each pack is
 * read once, and a worker opens its blobs and writes them at their offsets into every file that
 * uses them. File-system calls are synchronous: on local disks
 * they cost microseconds, promise-based ones tens of microseconds each.
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
import { newProgress } from './progress.js';
import type { Progress } from './progress.js';
import { packName } from './repository.js';
import type { Repository } from './repository.js';
import { RestoreStaging, sweepDeadStaging } from './restore-staging.js';
import { resolveRestoreTarget } from './restore-target.js';
import type { RestoreTargetRules } from './restore-target.js';
import type { Snapshot } from './snapshot.js';
import { parseNanos } from './time-format.js';
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

/** Bytes of pack spans handed to workers and not yet written. */
const MAX_IN_FLIGHT = 16 * 1024 * 1024;
/** Needed blobs further apart than this are read as separate spans. */
const MAX_GAP = 1024 * 1024;

interface FileTarget {
  readonly path: string;
  readonly node: TreeNode;
  remaining: number;
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
  return Number(parseNanos(text) / 1000n) / 1e6 + 2.5e-7;
}

class Restorer {
  readonly warnings: string[] = [];
  private readonly dirTimes: Array<{ path: string; node: TreeNode }> = [];
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
      if (all) this.dirTimes.push({ path: dest, node });
    } else if (!all) {
      return;
    } else if (node.type === 'file') {
      this.planFile(node, dest);
    } else if (node.type === 'symlink') {
      this.create(dest, () => symlinkSync(node.linktarget ?? '', dest));
      this.applyMetadata(node, dest);
    } else {
      this.warnings.push(`${path}: ${node.type} nodes are not restored`);
    }
  }

  private planFile(node: TreeNode, dest: string): void {
    const content = node.content ?? [];
    const file: FileTarget = { path: dest, node, remaining: content.length };
    let size = 0;
    for (const id of content) {
      const loc = this.repo.requireBlob('data', id);
      let uses = this.byPack.get(loc.packId);
      if (!uses) this.byPack.set(loc.packId, (uses = new Map()));
      let use = uses.get(id);
      if (!use) uses.set(id, (use = { loc, targets: [] }));
      use.targets.push({ file, offset: size });
      size += plaintextSize(loc);
    }
    const fd = this.create(dest, () => openSync(dest, 'wx', 0o600));
    try {
      if (size > 0) ftruncateSync(fd, size);
    } finally {
      closeSync(fd);
    }
    if (file.remaining === 0) this.fileDone(file);
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
   * Phase 2: each pack span read once; a worker opens its blobs and writes them where they
   * belong (writes from every core: a single writing thread stalls on the page cache).
   */
  async fill(pool: BlobCodecPool): Promise<void> {
    const writes: Array<Promise<void>> = [];
    for (const [packId, uses] of this.byPack) {
      for (const span of packSpans([...uses.values()], MAX_GAP)) {
        await pool.whenBelow(MAX_IN_FLIGHT);
        const { start, end } = spanRange(span);
        const data = await this.repo.store.read(packName(packId), start, end - start);
        const blobs = span.map((u) => ({
          offset: u.loc.offset - start,
          length: u.loc.length,
          compressed: u.loc.uncompressedLength !== undefined,
          id: u.loc.id,
        }));
        const targets = span.map((u) => u.targets.map((t) => ({ path: t.file.path, offset: t.offset })));
        const done = pool.writeMany(data, blobs, targets).then((bytes) => this.written(span, bytes));
        done.catch(() => undefined);
        writes.push(done);
      }
    }
    await Promise.all(writes);
  }

  private written(span: readonly BlobUse[], bytes: number): void {
    this.progress.bytes += bytes;
    for (const use of span) for (const { file } of use.targets) if (--file.remaining === 0) this.fileDone(file);
  }

  private fileDone(file: FileTarget): void {
    this.progress.files++;
    this.applyMetadata(file.node, file.path);
  }

  private applyMetadata(node: TreeNode, dest: string): void {
    if (this.isRoot) {
      try {
        lchownSync(dest, node.uid, node.gid);
      } catch (err) {
        this.warnings.push(`${dest}: ${(err as Error).message}`);
      }
    }
    if (node.type !== 'symlink' && node.mode !== undefined) chmodSync(dest, posixPermissionsFromGo(node.mode));
    const mtime = toSeconds(node.mtime);
    const atime = toSeconds(node.atime) ?? mtime;
    if (mtime !== undefined && atime !== undefined) (node.type === 'symlink' ? lutimesSync : utimesSync)(dest, atime, mtime);
  }

  /** Directory modes and times, deepest first, once nothing more is written into them. */
  finishDirs(): void {
    this.dirTimes.sort((a, b) => b.path.length - a.path.length);
    for (const { path, node } of this.dirTimes) this.applyMetadata(node, path);
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
