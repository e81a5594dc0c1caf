/**
 * The in-memory union of all index files: blob -> location, and pack -> blobs. Data and tree
 * blobs are kept apart because the same bytes may be stored as both.
 */
import type { BlobLocation, BlobType, PackedBlob } from './blob.js';
import type { Id } from './id.js';
import type { IndexedPack } from './index-file.js';

export class MasterIndex {
  private readonly data = new Map<Id, BlobLocation>();
  private readonly tree = new Map<Id, BlobLocation>();
  private readonly packs = new Map<Id, readonly PackedBlob[]>();

  addPack(pack: IndexedPack): void {
    if (this.packs.has(pack.id)) return;
    this.packs.set(pack.id, pack.blobs);
    for (const b of pack.blobs) {
      const map = b.type === 'tree' ? this.tree : this.data;
      if (!map.has(b.id)) map.set(b.id, { ...b, packId: pack.id });
    }
  }

  has(type: BlobType, id: Id): boolean {
    return (type === 'tree' ? this.tree : this.data).has(id);
  }

  lookup(type: BlobType, id: Id): BlobLocation | undefined {
    return (type === 'tree' ? this.tree : this.data).get(id);
  }

  ids(type: BlobType): IterableIterator<Id> {
    return (type === 'tree' ? this.tree : this.data).keys();
  }

  hasPack(id: Id): boolean {
    return this.packs.has(id);
  }

  packBlobs(id: Id): readonly PackedBlob[] | undefined {
    return this.packs.get(id);
  }

  packIds(): IterableIterator<Id> {
    return this.packs.keys();
  }

  get packCount(): number {
    return this.packs.size;
  }

  blobCount(type: BlobType): number {
    return (type === 'tree' ? this.tree : this.data).size;
  }

  /** Every pack with its blobs, for writing a full index. */
  allPacks(): IndexedPack[] {
    return [...this.packs].map(([id, blobs]) => ({ id, blobs }));
  }
}
