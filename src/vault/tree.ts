/**
 * Trees: one directory's entries as restic's JSON `{"nodes":[...]}`. Keys are written in the
 * order Go's encoder uses for restic's Node struct, with its omitempty rules, so the bytes (and
 * therefore the blob IDs) are stable.
 */
import type { Id } from './id.js';

export type NodeType = 'file' | 'dir' | 'symlink' | 'dev' | 'chardev' | 'fifo' | 'socket';

export interface TreeNode {
  readonly name: string;
  readonly type: NodeType;
  readonly mode?: number;
  readonly mtime?: string;
  readonly atime?: string;
  readonly ctime?: string;
  readonly uid: number;
  readonly gid: number;
  readonly user?: string;
  readonly group?: string;
  readonly inode?: number;
  readonly device_id?: number;
  readonly size?: number;
  readonly links?: number;
  readonly linktarget?: string;
  readonly device?: number;
  readonly content: readonly Id[] | null;
  readonly subtree?: Id;
}

const KEY_ORDER = [
  'name',
  'type',
  'mode',
  'mtime',
  'atime',
  'ctime',
  'uid',
  'gid',
  'user',
  'group',
  'inode',
  'device_id',
  'size',
  'links',
  'linktarget',
  'device',
  'content',
  'subtree',
] as const;
const ALWAYS = new Set(['name', 'type', 'uid', 'gid', 'content']);

function normalize(node: TreeNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const src = node as unknown as Record<string, unknown>;
  for (const key of KEY_ORDER) {
    const v = src[key];
    if (ALWAYS.has(key)) out[key] = v ?? (key === 'content' ? null : key === 'uid' || key === 'gid' ? 0 : '');
    else if (v !== undefined && v !== '' && v !== 0 && v !== null) out[key] = v;
  }
  return out;
}

/** Compares names as Go compares strings: by UTF-8 bytes. */
export function compareNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

export function encodeTree(nodes: readonly TreeNode[]): Buffer {
  const sorted = [...nodes].sort((a, b) => compareNames(a.name, b.name));
  return Buffer.from(`${JSON.stringify({ nodes: sorted.map(normalize) })}\n`);
}

export function decodeTree(plain: Buffer, id: Id): TreeNode[] {
  const json = JSON.parse(plain.toString('utf8')) as { nodes?: TreeNode[] | null };
  if (!json || typeof json !== 'object') throw new Error(`tree ${id} is not a JSON object`);
  return json.nodes ?? [];
}
