/**
 * Snapshots of things that are not directories on this machine (database dumps, table exports,
 * bucket objects): the caller names entries by relative path and gives their bytes as streams;
 * the engine builds the restic trees. Entries unchanged since a parent snapshot are kept by
 * reference (`reuse`) without reading them. Also the way back: find a node in a snapshot and
 * stream a file's bytes out of it.
 */
import type { Readable } from 'node:stream';
import { withSaver } from './archiver.js';
import type { Archiver, BackupOptions, BackupResult } from './archiver.js';
import { goModeFromPosix } from './file-mode.js';
import type { Id } from './id.js';
import type { Repository } from './repository.js';
import type { Snapshot } from './snapshot.js';
import { formatTime } from './time-format.js';
import { decodeTree } from './tree.js';
import type { TreeNode } from './tree.js';

export interface VirtualEntry {
  /** Relative, '/'-separated: `orders.pg_dump`, `objects/2024/report.csv`. Parents are implied. */
  readonly path: string;
  readonly type: 'file' | 'dir';
  /** Permission bits (default 0o644 for files, 0o755 for directories). */
  readonly mode?: number;
  /** Default: the snapshot's time. */
  readonly mtime?: Date;
  /** Informative only; the stored size is what `open` yields. */
  readonly size?: number;
  /** The file's bytes; required for a file unless `reuse` is given and still present. */
  readonly open?: () => Readable | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  /**
   * A node of a parent snapshot to keep as it is (file content or a directory's whole subtree),
   * renamed to this entry's name. When its blobs are gone from the repository, `open` is used.
   */
  readonly reuse?: TreeNode;
}

export interface VirtualBackupOptions extends BackupOptions {
  /** The snapshot's `paths` (informative; default: `/` plus each top-level entry's name). */
  readonly paths?: readonly string[];
}

export interface VirtualBackupResult extends BackupResult {
  /** Files kept from `reuse` without reading. */
  readonly reusedFiles: number;
}

interface DirBuild {
  readonly children: Map<string, DirBuild | Promise<TreeNode> | TreeNode>;
  entry?: VirtualEntry;
}

function splitPath(path: string): string[] {
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.length === 0 || parts.some((p) => p === '.' || p === '..'))
    throw new Error(`entry path ${JSON.stringify(path)} must be a relative path without . or ..`);
  return parts;
}

function isDir(value: DirBuild | Promise<TreeNode> | TreeNode): value is DirBuild {
  return (value as DirBuild).children instanceof Map;
}

/** Backs up `entries` as one snapshot whose root tree holds them. */
export async function backupEntries(
  repo: Repository,
  entries: AsyncIterable<VirtualEntry> | Iterable<VirtualEntry>,
  options: VirtualBackupOptions = {},
): Promise<VirtualBackupResult> {
  const time = options.time ?? new Date();
  let reusedFiles = 0;
  const result = await withSaver(repo, options, async (archiver) => {
    const root: DirBuild = { children: new Map() };
    for await (const entry of entries) {
      options.signal?.throwIfAborted();
      const parts = splitPath(entry.path);
      const name = parts.pop()!;
      let dir = root;
      for (const part of parts) {
        let next = dir.children.get(part);
        if (next === undefined) dir.children.set(part, (next = { children: new Map() }));
        if (!isDir(next)) throw new Error(`entry ${entry.path}: ${part} is a file`);
        dir = next;
      }
      if (dir.children.has(name) && !(entry.type === 'dir' && isDir(dir.children.get(name)!))) throw new Error(`entry ${entry.path} is given twice`);
      if (entry.type === 'dir' && entry.reuse?.subtree !== undefined && archiver.hasTree(entry.reuse.subtree)) {
        dir.children.set(name, { ...entry.reuse, name });
      } else if (entry.type === 'dir') {
        const existing = dir.children.get(name);
        const build: DirBuild = existing !== undefined && isDir(existing) ? existing : { children: new Map() };
        build.entry = entry;
        dir.children.set(name, build);
      } else {
        const node = await fileNode(archiver, entry, name, time);
        if (node.reused) reusedFiles++;
        dir.children.set(name, node.node);
      }
    }
    const tree = await saveDir(archiver, root, time);
    const paths = options.paths ?? ['/'];
    return options.parent !== undefined && typeof options.parent === 'object'
      ? { tree, paths: [...paths], parent: options.parent.id }
      : { tree, paths: [...paths] };
  });
  return { ...result, reusedFiles };
}

async function fileNode(archiver: Archiver, entry: VirtualEntry, name: string, time: Date): Promise<{ node: TreeNode | Promise<TreeNode>; reused: boolean }> {
  const reuse = entry.reuse;
  if (reuse !== undefined && reuse.type === 'file' && archiver.hasContent(reuse)) {
    archiver.progress.files++;
    archiver.progress.unchangedFiles++;
    archiver.progress.bytes += reuse.size ?? 0;
    return { node: { ...reuse, name }, reused: true };
  }
  if (entry.open === undefined) throw new Error(`entry ${entry.path} has no content to read`);
  const source = entry.open();
  const { content, size } = await archiver.streamContent(source as AsyncIterable<Uint8Array>);
  const mtime = formatTime(entry.mtime ?? time);
  const node = content.then(
    (ids): TreeNode => ({
      name,
      type: 'file',
      mode: goModeFromPosix(0o100000 | (entry.mode ?? 0o644)),
      mtime,
      atime: mtime,
      ctime: mtime,
      uid: process.getuid?.() ?? 0,
      gid: process.getgid?.() ?? 0,
      size,
      content: ids,
    }),
  );
  node.catch(() => undefined);
  return { node, reused: false };
}

async function saveDir(archiver: Archiver, dir: DirBuild, time: Date): Promise<Id> {
  const nodes: TreeNode[] = [];
  for (const [name, child] of dir.children) {
    if (!isDir(child)) {
      nodes.push(await child);
      continue;
    }
    const subtree = await saveDir(archiver, child, time);
    const mtime = formatTime(child.entry?.mtime ?? time);
    nodes.push({
      name,
      type: 'dir',
      mode: goModeFromPosix(0o040000 | (child.entry?.mode ?? 0o755)),
      mtime,
      atime: mtime,
      ctime: mtime,
      uid: process.getuid?.() ?? 0,
      gid: process.getgid?.() ?? 0,
      content: null,
      subtree,
    });
  }
  archiver.progress.dirs++;
  return archiver.saveTree(nodes);
}

/** The nodes of one tree, by name. */
export async function loadTreeNodes(repo: Repository, treeId: Id): Promise<readonly TreeNode[]> {
  await repo.loadIndex();
  return decodeTree(await repo.loadBlob('tree', treeId), treeId);
}

/** The node at `path` ('a/b/c', relative to the snapshot's root) or undefined. */
export async function findNode(repo: Repository, snapshot: Pick<Snapshot, 'tree'>, path: string): Promise<TreeNode | undefined> {
  let tree: Id | undefined = snapshot.tree;
  let node: TreeNode | undefined;
  for (const part of path.split('/').filter((p) => p !== '')) {
    if (tree === undefined) return undefined;
    node = (await loadTreeNodes(repo, tree)).find((n) => n.name === part);
    if (node === undefined) return undefined;
    tree = node.type === 'dir' ? node.subtree : undefined;
  }
  return node;
}

/** Every file below `treeId`, depth first, with its path relative to that tree. */
export async function* walkFiles(repo: Repository, treeId: Id, base = ''): AsyncGenerator<{ readonly path: string; readonly node: TreeNode }> {
  for (const node of await loadTreeNodes(repo, treeId)) {
    const path = base === '' ? node.name : `${base}/${node.name}`;
    if (node.type === 'dir' && node.subtree !== undefined) yield* walkFiles(repo, node.subtree, path);
    else if (node.type === 'file') yield { path, node };
  }
}

const READ_AHEAD = 4;

/** A file's bytes, blob by blob (a few blobs read ahead). */
export async function* readFile(repo: Repository, node: TreeNode): AsyncGenerator<Buffer> {
  await repo.loadIndex();
  const ids = node.content ?? [];
  const pending: Array<Promise<Buffer>> = [];
  let next = 0;
  const fill = (): void => {
    while (pending.length < READ_AHEAD && next < ids.length) {
      const p = repo.loadBlob('data', ids[next++]!);
      p.catch(() => undefined);
      pending.push(p);
    }
  };
  fill();
  while (pending.length > 0) {
    const data = await pending.shift()!;
    fill();
    yield data;
  }
}
