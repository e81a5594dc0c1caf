/** What every KMS service is built from: the key loader and the access check on top of the stores, clock and randomness. */
import type { KeyAccess } from './key-access.js';
import type { KeyLoader, KeyLoaderDeps } from './key-loader.js';

export interface KmsContext extends KeyLoaderDeps {
  readonly loader: KeyLoader;
  readonly access: KeyAccess;
}
