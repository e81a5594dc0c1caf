/**
 * Sandbox mode's reset: every catalog row goes, and so does every vault's data: under each
 * region's storage root (and cold storage root), the folder of each account Coffer may have written for (the
 * configured ones and the sandbox account). Nothing else under a root is touched, in case the
 * root is shared. Access keys and the credentials file stay, so clients keep working.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { CofferConfig } from '../config/schema.js';
import { formatStorageLocation } from '../config/storage-location.js';
import type { StorageFactory } from '../storage/storage-factory.js';
import { storageChildUrl } from '../storage/storage-url.js';

export async function resetAllState(catalog: Catalog, config: CofferConfig, storage: StorageFactory, accountIds: readonly string[]): Promise<void> {
  await catalog.wipe();
  for (const region of config.regions) {
    for (const accountId of new Set(accountIds)) {
      for (const root of [region.storage, region.coldStorage]) {
        if (root !== undefined) await storage.removeAll(storageChildUrl(formatStorageLocation(root), accountId));
      }
    }
  }
}
