/**
 * Sandbox mode's reset: every catalog row goes, and so does every vault's data: under each
 * region's storage root (and cold storage root), the directory of each account Coffer may have written for (the
 * configured ones and the sandbox account). Nothing else under a root is touched, in case the
 * root is shared. Access keys and the credentials file stay, so clients keep working.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Catalog } from '../catalog/catalog.js';
import type { CofferConfig } from '../config/schema.js';

export async function resetAllState(catalog: Catalog, config: CofferConfig, accountIds: readonly string[]): Promise<void> {
  await catalog.wipe();
  for (const region of config.regions) {
    for (const accountId of new Set(accountIds)) {
      await rm(join(region.storage.path, accountId), { recursive: true, force: true });
      if (region.coldStorage !== undefined) await rm(join(region.coldStorage.path, accountId), { recursive: true, force: true });
    }
  }
}
