/** Runs the shared BlobStore conformance suite against MemoryBlobStore. */

import { blobStoreConformance } from './blob-store-conformance.js';
import { MemoryBlobStore } from '../../src/storage/memory-blob-store.js';

blobStoreConformance('MemoryBlobStore', async () => ({
  store: new MemoryBlobStore(),
  cleanup: async () => undefined,
}));
