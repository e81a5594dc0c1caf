/**
 * Walks the trees reachable from snapshots: the basis of check (is everything there?), prune
 * (what is still used?) and copy (what must move?). Each tree is visited once.
 */
import type { Id } from './id.js';
import type { Repository } from './repository.js';
import { decodeTree } from './tree.js';
import type { TreeNode } from './tree.js';

export interface TreeVisitor {
  /** Called once per distinct tree with its decoded nodes. */
  tree?(id: Id, nodes: readonly TreeNode[]): void | Promise<void>;
  /** Called when a tree cannot be loaded; the walk goes on without its subtrees. */
  treeError?(id: Id, error: Error): void;
}

/** Visits every tree reachable from `roots`; returns the set of tree IDs seen. */
export async function walkTrees(repo: Repository, roots: Iterable<Id>, visitor: TreeVisitor = {}, seen = new Set<Id>()): Promise<Set<Id>> {
  const queue: Id[] = [];
  for (const r of roots)
    if (!seen.has(r)) {
      seen.add(r);
      queue.push(r);
    }
  while (queue.length > 0) {
    const batch = queue.splice(0, 32);
    const loaded = await Promise.all(
      batch.map(async (id) => {
        try {
          return { id, nodes: decodeTree(await repo.loadBlob('tree', id), id) };
        } catch (err) {
          visitor.treeError?.(id, err as Error);
          return undefined;
        }
      }),
    );
    for (const item of loaded) {
      if (!item) continue;
      await visitor.tree?.(item.id, item.nodes);
      for (const n of item.nodes) {
        if (n.type === 'dir' && n.subtree && !seen.has(n.subtree)) {
          seen.add(n.subtree);
          queue.push(n.subtree);
        }
      }
    }
  }
  return seen;
}

/** Every data and tree blob used by the given snapshots' trees. */
export async function usedBlobs(repo: Repository, roots: Iterable<Id>): Promise<{ data: Set<Id>; tree: Set<Id> }> {
  const data = new Set<Id>();
  const tree = await walkTrees(repo, roots, {
    tree(_id, nodes) {
      for (const n of nodes) if (n.type === 'file' && n.content) for (const b of n.content) data.add(b);
    },
    treeError(id, error) {
      throw new Error(`tree ${id} cannot be read (${error.message}): run \`coffer vault check\` before pruning`);
    },
  });
  return { data, tree };
}
