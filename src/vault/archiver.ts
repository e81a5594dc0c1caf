/**
 * Backup: walks directory trees (or reads one named stream), chunks and stores file contents,
 * builds restic trees bottom-up and writes the snapshot last. Files unchanged since the parent
 * snapshot (same mtime, ctime, size, inode) are not read again.
 */
import type { BigIntStats } from 'node:fs';
import { closeSync, lstatSync, openSync, readdirSync, readlinkSync, readSync } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { BlobCodecPool } from './blob-codec-pool.js';
import { BlobSaver } from './blob-saver.js';
import type { SaverStats } from './blob-saver.js';
import { Chunker } from './chunker.js';
import { goModeFromPosix } from './file-mode.js';
import { nodeFromStat, unchangedSince } from './fs-node.js';
import type { Id } from './id.js';
import { safeUsername } from './user-name.js';
import { RepositoryLock } from './lock.js';
import { indexOrphanPacks } from './orphan-packs.js';
import { newProgress } from './progress.js';
import type { Progress } from './progress.js';
import type { Repository } from './repository.js';
import { SMALL_FILE_MAX } from './small-file-codec.js';
import type { Snapshot, SnapshotJson } from './snapshot.js';
import { formatTime } from './time-format.js';
import { decodeTree, encodeTree } from './tree.js';
import type { TreeNode } from './tree.js';

export interface BackupOptions {
  readonly tags?: readonly string[];
  readonly hostname?: string;
  readonly time?: Date;
  /** The snapshot to compare against: 'auto' picks the newest with the same host and paths. */
  readonly parent?: Snapshot | 'auto' | 'none';
  /** Coffer metadata stored in the snapshot (restic ignores it). */
  readonly coffer?: Readonly<Record<string, string>>;
  /** A shared codec pool; without one the backup starts and stops its own. */
  readonly pool?: BlobCodecPool;
  /** Counters updated while the backup runs. */
  readonly progress?: Progress;
  /** Stops the backup: it rejects with the signal's reason and writes no snapshot. */
  readonly signal?: AbortSignal;
}

export interface BackupResult {
  readonly snapshotId: Id;
  readonly snapshot: SnapshotJson;
  readonly stats: Readonly<SaverStats>;
  /** Entries that could not be read (vanished, permission denied); the snapshot omits them. */
  readonly warnings: readonly string[];
}

const READ_SIZE = 4 * 1024 * 1024;

interface PathTrie {
  readonly children: Map<string, PathTrie>;
  target: boolean;
}

function buildTrie(paths: readonly string[]): PathTrie {
  const root: PathTrie = { children: new Map(), target: false };
  for (const p of paths) {
    let node = root;
    for (const part of p.split('/').filter(Boolean)) {
      let next = node.children.get(part);
      if (!next) node.children.set(part, (next = { children: new Map(), target: false }));
      node = next;
    }
    node.target = true;
  }
  return root;
}

/**
 * A node whose file content may still be hashing on a worker (boxed so await does not flatten
 * it); undefined when the file turned out unreadable (a warning says so; the tree omits it).
 */
interface PendingNode {
  readonly node: Promise<TreeNode | undefined> | TreeNode;
}

function present(nodes: ReadonlyArray<TreeNode | undefined>): TreeNode[] {
  return nodes.filter((n): n is TreeNode => n !== undefined);
}

const SKIPPABLE = new Set(['ENOENT', 'EACCES', 'EPERM', 'ENOTDIR', 'ELOOP']);

/**
 * The walk is depth-first and uses synchronous file-system calls: on page-cached data they cost
 * a few microseconds, while each promise-based call costs tens (measured: 1.5 s of main-thread
 * time for 21,000 small files). Only chunk hashing and sealing are asynchronous (on workers),
 * so reading the next file overlaps with sealing the previous ones.
 */
export class Archiver {
  readonly warnings: string[] = [];
  private readonly buf = Buffer.allocUnsafeSlow(READ_SIZE);

  constructor(
    private readonly repo: Repository,
    private readonly saver: BlobSaver,
    readonly progress: Progress,
    private readonly signal: AbortSignal | undefined,
  ) {}

  async loadTree(id: Id | undefined): Promise<Map<string, TreeNode>> {
    if (!id || !this.repo.index.has('tree', id)) return new Map();
    const nodes = decodeTree(await this.repo.loadBlob('tree', id), id);
    return new Map(nodes.map((n) => [n.name, n]));
  }

  saveTree(nodes: TreeNode[]): Id {
    return this.saver.saveTree(encodeTree(nodes));
  }

  /** Saves the part of the file system that the trie names, returning the tree's ID. */
  async saveTrie(trie: PathTrie, abs: string, parentTree: Id | undefined): Promise<Id> {
    if (trie.target) return this.saveDirContents(abs, parentTree);
    const previous = await this.loadTree(parentTree);
    const pending: PendingNode[] = [];
    for (const [name, child] of trie.children) {
      const path = join(abs, name);
      const prev = previous.get(name);
      if (child.target) {
        const entry = await this.saveEntry(path, name, prev);
        if (entry) pending.push(entry);
      } else {
        const st = lstatSync(path, { bigint: true });
        pending.push({ node: nodeFromStat(name, st, { subtree: await this.saveTrie(child, path, prev?.subtree) }) });
      }
    }
    return this.saveTree(present(await Promise.all(pending.map((p) => p.node))));
  }

  async saveDirContents(abs: string, parentTree: Id | undefined): Promise<Id> {
    const names = readdirSync(abs);
    const previous = await this.loadTree(parentTree);
    const pending: PendingNode[] = [];
    for (const name of names) {
      const entry = await this.saveEntry(join(abs, name), name, previous.get(name));
      if (entry) pending.push(entry);
    }
    this.progress.dirs++;
    return this.saveTree(present(await Promise.all(pending.map((p) => p.node))));
  }

  async saveEntry(path: string, name: string, previous: TreeNode | undefined): Promise<PendingNode | undefined> {
    this.signal?.throwIfAborted();
    try {
      const st = lstatSync(path, { bigint: true });
      if (st.isFile()) return await this.saveFile(path, name, st, previous);
      if (st.isDirectory()) {
        const subtree = await this.saveDirContents(path, previous?.type === 'dir' ? previous.subtree : undefined);
        return { node: nodeFromStat(name, st, { subtree }) };
      }
      if (st.isSymbolicLink()) return { node: nodeFromStat(name, st, { linktarget: readlinkSync(path) }) };
      return { node: nodeFromStat(name, st) };
    } catch (err) {
      if (SKIPPABLE.has((err as NodeJS.ErrnoException).code ?? '')) {
        this.warnings.push(`${path}: ${(err as Error).message}`);
        return undefined;
      }
      throw err;
    }
  }

  private async saveFile(path: string, name: string, st: BigIntStats, previous: TreeNode | undefined): Promise<PendingNode> {
    this.progress.files++;
    if (unchangedSince(previous, st) && previous!.content!.every((id) => this.repo.index.has('data', id))) {
      this.progress.unchangedFiles++;
      this.progress.bytes += Number(st.size);
      return { node: nodeFromStat(name, st, { size: previous!.size, content: previous!.content }) };
    }
    if (st.size <= SMALL_FILE_MAX && this.saver.takesSmallFiles) {
      const node = this.saveSmallFile(path, name, st);
      node.catch(() => undefined); // awaited with the rest of the directory
      await this.saver.backpressure();
      return { node };
    }
    const { content, size } = await this.readFile(path, this.buf);
    const node = Promise.all(content).then((ids) => nodeFromStat(name, st, { size, content: ids }));
    node.catch(() => undefined); // awaited with the rest of the directory; see BlobSaver.saveData
    return { node };
  }

  /**
   * A small file goes whole to a worker, batched with others: no open, read or message per file
   * on this thread. One that grew meanwhile is chunked after all; an unreadable one is left out.
   */
  private async saveSmallFile(path: string, name: string, st: BigIntStats): Promise<TreeNode | undefined> {
    this.progress.bytes += Number(st.size);
    const outcome = await this.saver.saveSmallFile(path, Number(st.size));
    if ('content' in outcome) return nodeFromStat(name, st, { size: outcome.size, content: outcome.content });
    if ('code' in outcome) {
      if (!SKIPPABLE.has(outcome.code)) throw new Error(`cannot read ${path}: ${outcome.message}`);
      this.warnings.push(`${path}: ${outcome.message}`);
      return undefined;
    }
    const { content, size } = await this.readFile(path, Buffer.allocUnsafe(READ_SIZE));
    return nodeFromStat(name, st, { size, content: await Promise.all(content) });
  }

  private async readFile(path: string, buf: Buffer): Promise<{ content: Array<Promise<Id>>; size: number }> {
    const fd = openSync(path, 'r');
    try {
      const chunker = new Chunker(undefined, this.saver.chunkBuffers);
      const content: Array<Promise<Id>> = [];
      let size = 0;
      for (;;) {
        const n = readSync(fd, buf, 0, READ_SIZE, null);
        if (n === 0) break;
        size += n;
        this.progress.bytes += n;
        for (const chunk of chunker.push(buf.subarray(0, n))) content.push(this.saver.saveData(chunk));
        if (n === READ_SIZE) {
          await this.saver.backpressure();
          this.signal?.throwIfAborted();
        }
      }
      const last = chunker.finish();
      if (last) content.push(this.saver.saveData(last));
      await this.saver.backpressure();
      return { content, size };
    } finally {
      closeSync(fd);
    }
  }

  async saveStream(stream: AsyncIterable<Uint8Array>): Promise<{ content: Id[]; size: number }> {
    const { content, size } = await this.streamContent(stream);
    return { content: await content, size };
  }

  /**
   * Chunks a stream and hands its chunks to the saver; the content IDs may still be hashing
   * when this returns, so the next file can be read meanwhile (await `content` before the tree).
   */
  async streamContent(stream: AsyncIterable<Uint8Array>): Promise<{ content: Promise<Id[]>; size: number }> {
    const chunker = new Chunker(undefined, this.saver.chunkBuffers);
    const content: Array<Promise<Id>> = [];
    let size = 0;
    for await (const data of stream) {
      size += data.length;
      this.progress.bytes += data.length;
      for (const chunk of chunker.push(data)) content.push(this.saver.saveData(chunk));
      await this.saver.backpressure();
      this.signal?.throwIfAborted();
    }
    const last = chunker.finish();
    if (last) content.push(this.saver.saveData(last));
    this.progress.files++;
    const all = Promise.all(content);
    all.catch(() => undefined); // awaited with the rest of the tree; see BlobSaver.saveData
    return { content: all, size };
  }

  /** True when every data blob of `node` is in the repository's index (safe to reuse). */
  hasContent(node: TreeNode): boolean {
    return (node.content ?? []).every((id) => this.repo.index.has('data', id));
  }

  /** True when the tree blob is in the index (a reused subtree must be). */
  hasTree(id: Id): boolean {
    return this.repo.index.has('tree', id);
  }
}

async function findParent(repo: Repository, paths: readonly string[], host: string): Promise<Snapshot | undefined> {
  const key = JSON.stringify([...paths].sort());
  return (await repo.snapshots()).find((s) => s.hostname === host && JSON.stringify([...s.paths].sort()) === key);
}

/** Runs `body` with a saver under a shared lock and writes the snapshot it describes (engine use only). */
export async function withSaver(
  repo: Repository,
  options: BackupOptions,
  body: (archiver: Archiver) => Promise<{ tree: Id; paths: string[]; parent?: Id }>,
): Promise<BackupResult> {
  const lock = await RepositoryLock.acquire(repo, false);
  const pool = options.pool ?? new BlobCodecPool(repo.key);
  try {
    await repo.loadIndex();
    // What a killed backup wrote but did not index yet is re-used, not stored again.
    if (lock.alone) await indexOrphanPacks(repo);
    const saver = new BlobSaver(repo, pool);
    const archiver = new Archiver(repo, saver, options.progress ?? newProgress(), options.signal);
    let root: { tree: Id; paths: string[]; parent?: Id };
    try {
      root = await body(archiver);
      await saver.flush();
    } catch (err) {
      await saver.abandon();
      throw err;
    }
    const { tree, paths, parent } = root;
    options.signal?.throwIfAborted(); // stopped while the last packs were written: no snapshot
    const snapshot: SnapshotJson = {
      time: formatTime(options.time ?? new Date()),
      ...(parent ? { parent } : {}),
      tree,
      paths,
      hostname: options.hostname ?? osHostname(),
      username: safeUsername(),
      uid: process.getuid?.() ?? 0,
      gid: process.getgid?.() ?? 0,
      ...(options.tags && options.tags.length > 0 ? { tags: [...options.tags] } : {}),
      ...(options.coffer ? { coffer: { ...options.coffer } } : {}),
    };
    const snapshotId = await repo.saveSnapshot(snapshot);
    return { snapshotId, snapshot, stats: { ...saver.stats }, warnings: archiver.warnings };
  } finally {
    if (!options.pool) await pool.close();
    await lock.release();
  }
}

/** Backs up files and directories; each path is stored under its absolute path, as restic does. */
export async function backupPaths(repo: Repository, paths: readonly string[], options: BackupOptions = {}): Promise<BackupResult> {
  if (paths.length === 0) throw new Error('nothing to back up: give at least one path');
  const absolute = [...new Set(paths.map((p) => resolve(p)))].sort();
  for (const p of absolute) await lstat(p); // fail early and clearly on a missing path
  return withSaver(repo, options, async (archiver) => {
    const host = options.hostname ?? osHostname();
    const parent =
      options.parent === 'none'
        ? undefined
        : options.parent === undefined || options.parent === 'auto'
          ? await findParent(repo, absolute, host)
          : options.parent;
    const tree = await archiver.saveTrie(buildTrie(absolute), '/', parent?.tree);
    return parent ? { tree, paths: absolute, parent: parent.id } : { tree, paths: absolute };
  });
}

/** Backs up one byte stream as the file `/<name>` (what database dumps use). */
export async function backupStream(
  repo: Repository,
  name: string,
  stream: Readable | AsyncIterable<Uint8Array>,
  options: BackupOptions = {},
): Promise<BackupResult> {
  if (!name || name.includes('/')) throw new Error(`stream name ${JSON.stringify(name)} must be a plain file name`);
  return withSaver(repo, options, async (archiver) => {
    const { content, size } = await archiver.saveStream(stream);
    const now = formatTime(options.time ?? new Date());
    const node: TreeNode = {
      name,
      type: 'file',
      mode: goModeFromPosix(0o100644),
      mtime: now,
      atime: now,
      ctime: now,
      uid: process.getuid?.() ?? 0,
      gid: process.getgid?.() ?? 0,
      size,
      content,
    };
    return { tree: archiver.saveTree([node]), paths: [`/${name}`] };
  });
}
