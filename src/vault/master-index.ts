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
  private readonly packs = new Map<Id, readonly BlobLocation[]>();

  /**
   * One object per blob, shared by the pack's list and the blob map (a pack's list holds
   * BlobLocations, which are PackedBlobs with their pack's ID): the index file's own objects
   * are not kept, which halves the objects an index holds.
   */
  addPack(pack: IndexedPack): void {
    if (this.packs.has(pack.id)) return;
    const packId = pack.id;
    const locs = pack.blobs.map(
      (b): BlobLocation =>
        b.uncompressedLength === undefined
          ? { id: b.id, type: b.type, offset: b.offset, length: b.length, packId }
          : { id: b.id, type: b.type, offset: b.offset, length: b.length, uncompressedLength: b.uncompressedLength, packId },
    );
    this.packs.set(packId, locs);
    for (const loc of locs) {
      const map = loc.type === 'tree' ? this.tree : this.data;
      if (!map.has(loc.id)) map.set(loc.id, loc);
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
