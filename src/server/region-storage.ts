/**
 * The process's storage factory, from the config: each region's `storageCredentials` apply to its
 * storage and cold storage (where they are object storage); other locations use the AWS SDK's
 * default chain.
 */
import type { CofferConfig } from '../config/schema.js';
import { formatStorageLocation } from '../config/storage-location.js';
import { createStorageFactory } from '../storage/storage-factory.js';
import type { StorageCredentialsEntry, StorageFactory } from '../storage/storage-factory.js';

export function createRegionStorage(config: Pick<CofferConfig, 'regions'>): StorageFactory {
  const entries: StorageCredentialsEntry[] = [];
  for (const region of config.regions) {
    const own = region.storageCredentials;
    if (own === undefined) continue;
    const credentials = { accessKeyId: own.accessKeyId, secretAccessKey: own.secretAccessKey.secret.reveal() };
    for (const location of [region.storage, region.coldStorage]) {
      if (location !== undefined) entries.push({ root: formatStorageLocation(location), credentials });
    }
  }
  return createStorageFactory(entries);
}
