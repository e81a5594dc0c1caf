/**
 * Each vault repository's password: made at random the first time a vault needs its repository,
 * stored only enveloped (password-envelope.ts), opened when a job needs it. Until KMS exists
 * every vault uses the one key id `aws-backup-default`.
 */
import { randomBytes } from 'node:crypto';
import type { Catalog } from '../catalog/catalog.js';
import type { CallScope } from './call-scope.js';
import type { Clock } from './clock.js';
import { unwrapPassword, wrapPassword } from './password-envelope.js';

export const DEFAULT_REPOSITORY_KEY_ID = 'aws-backup-default';

export interface RepositoryPasswords {
  /** The password of the vault's repository under `keyId`, made and stored on first use. */
  passwordFor(scope: Pick<CallScope, 'accountId' | 'region'>, vaultName: string, keyId: string): Promise<Buffer>;
}

export function createRepositoryPasswords(deps: { readonly catalog: Pick<Catalog, 'repositoryKeys'>; readonly clock: Clock; readonly rootKey: Buffer }): RepositoryPasswords {
  return {
    async passwordFor(scope, vaultName, keyId) {
      const ctx = { accountId: scope.accountId, region: scope.region, vaultName, keyId };
      let wrapped = await deps.catalog.repositoryKeys.get(scope, vaultName, keyId);
      if (wrapped === undefined) {
        // 32 random bytes as hex: restic reads a password file as text.
        const fresh = wrapPassword(deps.rootKey, Buffer.from(randomBytes(32).toString('hex')), ctx);
        wrapped = await deps.catalog.repositoryKeys.putIfAbsent(scope, vaultName, keyId, fresh, deps.clock.now().getTime());
      }
      return unwrapPassword(deps.rootKey, wrapped, ctx);
    },
  };
}
