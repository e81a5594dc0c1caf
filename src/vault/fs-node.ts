/** Tree nodes from file system metadata (lstat with nanosecond times), as restic records them. */
import type { BigIntStats } from 'node:fs';
import { goModeFromPosix } from './file-mode.js';
import type { Id } from './id.js';
import { formatNanos } from './time-format.js';
import type { NodeType, TreeNode } from './tree.js';

export function nodeType(st: BigIntStats): NodeType {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'dir';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isCharacterDevice()) return 'chardev';
  if (st.isBlockDevice()) return 'dev';
  if (st.isFIFO()) return 'fifo';
  return 'socket';
}

interface NodeExtras {
  readonly size?: number;
  readonly content?: readonly Id[] | null;
  readonly subtree?: Id;
  readonly linktarget?: string;
}

export function nodeFromStat(name: string, st: BigIntStats, extras: NodeExtras = {}): TreeNode {
  const type = nodeType(st);
  const device = type === 'chardev' || type === 'dev' ? Number(st.rdev) : undefined;
  return {
    name,
    type,
    mode: goModeFromPosix(Number(st.mode)),
    mtime: formatNanos(st.mtimeNs),
    atime: formatNanos(st.atimeNs),
    ctime: formatNanos(st.ctimeNs),
    uid: Number(st.uid),
    gid: Number(st.gid),
    inode: Number(st.ino),
    device_id: Number(st.dev),
    size: extras.size,
    links: Number(st.nlink),
    linktarget: extras.linktarget,
    device,
    content: extras.content ?? null,
    subtree: extras.subtree,
  };
}

/**
 * restic's change test: a file whose mtime, ctime, size and inode match the parent snapshot's
 * node is taken as unchanged and not read again.
 */
export function unchangedSince(previous: TreeNode | undefined, st: BigIntStats): boolean {
  return (
    previous !== undefined
    && previous.type === 'file'
    && previous.content !== null
    && previous.mtime === formatNanos(st.mtimeNs)
    && previous.ctime === formatNanos(st.ctimeNs)
    && (previous.size ?? 0) === Number(st.size)
    && (previous.inode ?? 0) === Number(st.ino)
  );
}
