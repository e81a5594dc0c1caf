/**
 * What a recovery point's index holds, read from its snapshot's restic trees: for an S3 bucket
 * each object of its manifest (key, size, ETag, LastModified); for an EFS-type directory each
 * file (its path in the snapshot, size, modification time). Reading it loads and checks every
 * tree (and, for S3, the manifest's blobs), so an index that reads to the end can be trusted.
 */
import { fileNode, readLines } from '../connectors/aws-endpoint/snapshot-files.js';
import { MANIFEST_FILE, parseManifestLine } from '../connectors/s3/object-manifest.js';
import type { Repository } from '../vault/repository.js';
import type { Snapshot } from '../vault/snapshot.js';
import { walkFiles } from '../vault/virtual-tree.js';

import type { IndexedItemView } from '../backup/search-item.js';

export type IndexedItem = IndexedItemView;

export async function* recoveryPointItems(repo: Repository, snapshot: Snapshot, resourceType: string): AsyncGenerator<IndexedItem> {
  if (resourceType === 'S3') {
    const manifest = await fileNode(repo, snapshot, MANIFEST_FILE);
    if (manifest === undefined) throw new Error(`the snapshot holds no ${MANIFEST_FILE}; it is not an S3 backup`);
    let n = 0;
    for await (const line of readLines(repo, manifest)) {
      const entry = parseManifestLine(line, `${MANIFEST_FILE} line ${++n}`);
      yield { name: entry.key, size: entry.size, modified: entry.lastModified, etag: entry.etag };
    }
    return;
  }
  for await (const { path, node } of walkFiles(repo, snapshot.tree)) yield { name: `/${path}`, size: node.size ?? 0, modified: node.mtime };
}
