/**
 * Restore: recreates a snapshot's tree (or the parts named by `include`) below a target
 * directory, byte-identical, with modes, times and (as root) owners. Blobs are decrypted on the
 * codec pool while earlier ones are written; directory times are set last, deepest first.
 */
import { chmod, lchown, lutimes, mkdir, open, symlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { BlobCodecPool } from './blob-codec-pool.js';
import { mapLimit } from './concurrency.js';
import { VaultError } from './errors.js';
import { posixPermissionsFromGo } from './file-mode.js';
import type { Id } from './id.js';
import { newProgress } from './progress.js';
import type { Progress } from './progress.js';
import { packName } from './repository.js';
import type { Repository } from './repository.js';
import type { Snapshot } from './snapshot.js';
import { parseNanos } from './time-format.js';
import { decodeTree } from './tree.js';
import type { TreeNode } from './tree.js';

export interface RestoreOptions {
  /** Directory to restore into; the snapshot's absolute paths are recreated below it. */
  readonly target: string;
  /** Restore only these snapshot paths (and what lies below them). */
  readonly include?: readonly string[];
  /** Replace files that already exist in the target (default: refuse). */
  readonly overwrite?: boolean;
  readonly pool?: BlobCodecPool;
  readonly progress?: Progress;
}

export interface RestoreResult {
  readonly files: number;
  readonly dirs: number;
  readonly bytes: number;
  readonly warnings: readonly string[];
}

const FILE_FANOUT = 8;
const WINDOW = 8;
const MAX_IN_FLIGHT = 64 * 1024 * 1024;

function normalizeInclude(paths: readonly string[] | undefined): string[] | undefined {
  if (!paths || paths.length === 0) return undefined;
  return paths.map((p) => `/${p.split('/').filter(Boolean).join('/')}`);
}

/** 'all': restore everything below; 'walk': only a way to an included path; 'skip'. */
function selection(path: string, include: string[] | undefined): 'all' | 'walk' | 'skip' {
  if (!include) return 'all';
  for (const inc of include) {
    if (inc === '/' || path === inc || path.startsWith(`${inc}/`)) return 'all';
  }
  for (const inc of include) if (inc.startsWith(`${path}/`)) return 'walk';
  return 'skip';
}

class Restorer {
  readonly warnings: string[] = [];
  private readonly dirTimes: Array<{ path: string; node: TreeNode }> = [];
  private readonly isRoot = process.getuid?.() === 0;

  constructor(
    private readonly repo: Repository,
    private readonly pool: BlobCodecPool,
    private readonly options: RestoreOptions,
    readonly progress: Progress,
    private readonly include: string[] | undefined,
  ) {}

  async restoreTree(treeId: Id, snapPath: string, dest: string, all: boolean): Promise<void> {
    const nodes = decodeTree(await this.repo.loadBlob('tree', treeId), treeId);
    await mapLimit(nodes, FILE_FANOUT, async (node) => {
      if (node.name.includes('/') || node.name === '..' || node.name === '.' || node.name === '') {
        throw new VaultError('Damaged', `tree ${treeId} holds an invalid name ${JSON.stringify(node.name)}`);
      }
      const path = snapPath === '/' ? `/${node.name}` : `${snapPath}/${node.name}`;
      const sel = all ? 'all' : selection(path, this.include);
      if (sel === 'skip') return;
      await this.restoreNode(node, path, join(dest, node.name), sel === 'all');
    });
  }

  private async restoreNode(node: TreeNode, path: string, dest: string, all: boolean): Promise<void> {
    switch (node.type) {
      case 'dir':
        await mkdir(dest, { recursive: true, mode: 0o700 });
        if (node.subtree) await this.restoreTree(node.subtree, path, dest, all);
        this.progress.dirs++;
        if (all) this.dirTimes.push({ path: dest, node });
        return;
      case 'file':
        if (!all) return;
        await this.restoreFile(node, dest);
        await this.applyMetadata(node, dest);
        return;
      case 'symlink':
        if (!all) return;
        await symlink(node.linktarget ?? '', dest);
        await this.applyMetadata(node, dest);
        return;
      default:
        if (all) this.warnings.push(`${path}: ${node.type} nodes are not restored`);
    }
  }

  private async restoreFile(node: TreeNode, dest: string): Promise<void> {
    const fh = await open(dest, this.options.overwrite ? 'w' : 'wx', 0o600);
    try {
      const content = node.content ?? [];
      const pending: Array<Promise<Buffer>> = [];
      let next = 0;
      const fill = async (): Promise<void> => {
        while (next < content.length && pending.length < WINDOW) {
          await this.pool.whenBelow(MAX_IN_FLIGHT);
          pending.push(this.loadData(content[next++]!));
        }
      };
      await fill();
      while (pending.length > 0) {
        const data = await pending.shift()!;
        await fh.write(data, 0, data.length);
        this.progress.bytes += data.length;
        await fill();
      }
      this.progress.files++;
    } finally {
      await fh.close();
    }
  }

  private async loadData(id: Id): Promise<Buffer> {
    const loc = this.repo.requireBlob('data', id);
    const sealed = await this.repo.store.read(packName(loc.packId), loc.offset, loc.length);
    return this.pool.decode(sealed, loc.uncompressedLength !== undefined, id);
  }

  private async applyMetadata(node: TreeNode, dest: string): Promise<void> {
    if (this.isRoot) await lchown(dest, node.uid, node.gid).catch((err: Error) => this.warnings.push(`${dest}: ${err.message}`));
    if (node.type !== 'symlink' && node.mode !== undefined) await chmod(dest, posixPermissionsFromGo(node.mode));
    const mtime = toDate(node.mtime);
    const atime = toDate(node.atime) ?? mtime;
    if (mtime && atime) await (node.type === 'symlink' ? lutimes : utimes)(dest, atime, mtime);
  }

  /** Directory modes and times, deepest first, once nothing more is written into them. */
  async finishDirs(): Promise<void> {
    this.dirTimes.sort((a, b) => b.path.length - a.path.length);
    for (const { path, node } of this.dirTimes) await this.applyMetadata(node, path);
  }
}

/**
 * Seconds with a fraction, as utimes takes them. A double near 1.8e9 s resolves ~0.24 us and
 * Node truncates it to whole nanoseconds, so a quarter microsecond is added: the restored time
 * then lands on the stored microsecond instead of one below it.
 */
function toDate(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const ns = parseNanos(text);
  return Number(ns / 1000n) / 1e6 + 2.5e-7;
}

export async function restoreSnapshot(repo: Repository, snapshot: Snapshot, options: RestoreOptions): Promise<RestoreResult> {
  await repo.loadIndex();
  const pool = options.pool ?? new BlobCodecPool(repo.key);
  const progress = options.progress ?? newProgress();
  try {
    await mkdir(options.target, { recursive: true });
    const restorer = new Restorer(repo, pool, options, progress, normalizeInclude(options.include));
    await restorer.restoreTree(snapshot.tree, '/', options.target, !options.include || options.include.length === 0);
    await restorer.finishDirs();
    return { files: progress.files, dirs: progress.dirs, bytes: progress.bytes, warnings: restorer.warnings };
  } finally {
    if (!options.pool) await pool.close();
  }
}
