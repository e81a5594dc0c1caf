/**
 * Where damaged blobs are used: which snapshots, and which files inside them, a damaged or
 * missing blob hurts. Run by `check` only when it found damage.
 */
import type { BlobType } from './blob.js';
import { Semaphore } from './concurrency.js';
import { isId } from './id.js';
import type { Id } from './id.js';
import type { Repository } from './repository.js';
import { decodeTree } from './tree.js';
import type { TreeNode } from './tree.js';

/** The key of a blob in damage sets: 'type:id'. */
export function blobKey(type: BlobType, id: Id): string {
  return `${type}:${id}`;
}

/** Paths kept per damaged blob per tree. */
const PATHS_PER_BLOB = 5;

/**
 * Finds where damaged blobs are used: for a tree, a map from damaged blob key to a few paths
 * below it. Results are memoized per tree, so shared subtrees are loaded once.
 */
export class DamageFinder {
  private readonly memo = new Map<Id, Promise<Map<string, string[]>>>();
  private readonly loads = new Semaphore(16);

  constructor(
    private readonly repo: Repository,
    private readonly damaged: ReadonlySet<string>,
  ) {}

  /** Damaged blobs under tree `id`, with paths prefixed by `prefix` (which ends in '/'). */
  async treeHits(id: Id, prefix: string): Promise<Map<string, string[]>> {
    const rel = await this.relativeHits(id);
    const out = new Map<string, string[]>();
    for (const [key, paths] of rel)
      out.set(
        key,
        paths.map((p) => (p === '' ? prefix : prefix + p)),
      );
    return out;
  }

  private relativeHits(id: Id): Promise<Map<string, string[]>> {
    let p = this.memo.get(id);
    if (!p) {
      p = this.compute(id);
      this.memo.set(id, p);
    }
    return p;
  }

  private async compute(id: Id): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    const self = blobKey('tree', id);
    const nodes = await this.load(id);
    if (this.damaged.has(self) || !nodes) out.set(self, ['']);
    if (!nodes) return out;
    const children = await Promise.all(
      nodes.map(async (n) => {
        if (n?.type === 'dir' && isId(n.subtree)) return { name: n.name, hits: await this.relativeHits(n.subtree) };
        return undefined;
      }),
    );
    for (const n of nodes) {
      if (n?.type !== 'file' || !Array.isArray(n.content)) continue;
      for (const b of n.content) if (this.damaged.has(blobKey('data', b))) add(out, blobKey('data', b), n.name);
    }
    for (const c of children) {
      if (!c) continue;
      for (const [key, paths] of c.hits) for (const p of paths) add(out, key, p === '' ? `${c.name}/` : `${c.name}/${p}`);
    }
    return out;
  }

  private async load(id: Id): Promise<readonly TreeNode[] | undefined> {
    if (!this.repo.index.has('tree', id)) return undefined;
    await this.loads.acquire();
    try {
      const nodes = decodeTree(await this.repo.loadBlob('tree', id), id);
      return Array.isArray(nodes) ? nodes : undefined;
    } catch {
      return undefined;
    } finally {
      this.loads.release();
    }
  }
}

function add(map: Map<string, string[]>, key: string, path: string): void {
  const list = map.get(key);
  if (!list) map.set(key, [path]);
  else if (list.length < PATHS_PER_BLOB && !list.includes(path)) list.push(path);
}
