/** Snapshots (`snapshots/<id>`): one backup's root tree, paths, host, tags and times. */
import { isId } from './id.js';
import type { Id } from './id.js';

/** restic's snapshot JSON. Unknown fields (such as `coffer`) are kept by Coffer, ignored by restic. */
export interface SnapshotJson {
  readonly time: string;
  readonly parent?: Id;
  readonly tree: Id;
  readonly paths: readonly string[];
  readonly hostname?: string;
  readonly username?: string;
  readonly uid?: number;
  readonly gid?: number;
  readonly excludes?: readonly string[];
  readonly tags?: readonly string[];
  readonly original?: Id;
  /** Coffer's own metadata (recovery point ARN, resource, job), ignored by restic. */
  readonly coffer?: Readonly<Record<string, string>>;
}

export interface Snapshot extends SnapshotJson {
  /** Storage ID of the snapshot file. */
  readonly id: Id;
}

const ORDER = ['time', 'parent', 'tree', 'paths', 'hostname', 'username', 'uid', 'gid', 'excludes', 'tags', 'original', 'coffer'] as const;

export function encodeSnapshot(s: SnapshotJson): Buffer {
  const src = s as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of ORDER) {
    const v = src[key];
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0 && key !== 'paths')) continue;
    if ((key === 'uid' || key === 'gid') && v === 0) continue;
    out[key] = v;
  }
  return Buffer.from(JSON.stringify(out));
}

export function decodeSnapshot(plain: Buffer, id: Id): Snapshot {
  const json = JSON.parse(plain.toString('utf8')) as SnapshotJson;
  if (!isId(json.tree)) throw new Error(`snapshot ${id} has no valid tree`);
  return { ...json, paths: json.paths ?? [], id };
}

/** Newest first, as `snapshots` lists are usually read. */
export function byTimeDescending(a: Snapshot, b: Snapshot): number {
  return a.time < b.time ? 1 : a.time > b.time ? -1 : 0;
}
