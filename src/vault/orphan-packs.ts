/**
 * Packs that no index file names: what a killed backup leaves behind (written and committed, but
 * killed before its next index file). A backup that holds the only lock on the repository indexes
 * them before it starts, from their own (authenticated) headers, so their blobs are re-used
 * instead of stored again; prune would otherwise delete them as garbage. Unreadable packs are
 * left alone for check and prune to report.
 */
import { mapLimit } from './concurrency.js';
import type { IndexedPack } from './index-file.js';
import type { Repository } from './repository.js';

/** Indexes every unindexed pack; returns how many. Call only while no other process holds a lock. */
export async function indexOrphanPacks(repo: Repository): Promise<number> {
  const infos = await repo.store.list('data/');
  const orphans = infos
    .map((i) => ({ id: i.name.slice(i.name.lastIndexOf('/') + 1), size: i.size }))
    .filter((p) => /^[0-9a-f]{64}$/.test(p.id) && !repo.index.hasPack(p.id));
  if (orphans.length === 0) return 0;
  const read = await mapLimit(orphans, 4, async (p): Promise<IndexedPack | undefined> => {
    try {
      return { id: p.id, blobs: await repo.readPackHeader(p.id, p.size) };
    } catch {
      return undefined; // damaged or half-readable: not ours to judge here
    }
  });
  const packs = read.filter((p): p is IndexedPack => p !== undefined && p.blobs.length > 0);
  if (packs.length === 0) return 0;
  await repo.saveIndex(packs);
  for (const p of packs) repo.index.addPack(p);
  return packs.length;
}
