/**
 * The directories that hold what Coffer keeps (its data directory, the catalog's directory, each
 * region's vault storage and cold storage), each with what it is: restores never go into them.
 */
import { dirname } from 'node:path';
import type { CofferConfig } from './schema.js';

export interface OwnDirectory {
  readonly path: string;
  readonly what: string;
}

export function ownDirectories(config: Pick<CofferConfig, 'dataDir' | 'regions'> & { readonly catalog?: CofferConfig['catalog'] }): OwnDirectory[] {
  const out: OwnDirectory[] = [{ path: config.dataDir, what: "Coffer's data directory" }];
  if (config.catalog?.kind === 'sqlite') out.push({ path: dirname(config.catalog.file), what: "the catalog's directory" });
  for (const region of config.regions) {
    if (region.storage.kind === 'file') out.push({ path: region.storage.path, what: `the vault storage of region ${region.name}` });
    if (region.coldStorage?.kind === 'file') out.push({ path: region.coldStorage.path, what: `the cold storage of region ${region.name}` });
  }
  return out;
}
