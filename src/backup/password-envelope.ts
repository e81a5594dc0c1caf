/**
 * The repository passwords made before KMS (migration 0003 rows, key id `aws-backup-default`):
 * sealed under the root key by kms/'s one root-key envelope, with the vault and key id bound in
 * as associated data (so a wrapped password moved to another vault's row does not open). They are
 * still read through here; new ones are enveloped by KMS (repository-passwords.ts).
 */
import { cryptoRandom } from '../kms/kms-scope.js';
import { openUnderRoot, sealUnderRoot } from '../kms/root-envelope.js';

export interface EnvelopeContext {
  readonly accountId: string;
  readonly region: string;
  readonly vaultName: string;
  readonly keyId: string;
}

function aad(ctx: EnvelopeContext): Buffer {
  return Buffer.from(JSON.stringify([ctx.accountId, ctx.region, ctx.vaultName, ctx.keyId]));
}

/** Writes an old-style row (tests and migrations make them; Coffer itself no longer does). */
export function wrapPassword(rootKey: Buffer, password: Buffer, ctx: EnvelopeContext): string {
  return sealUnderRoot(rootKey, password, aad(ctx), cryptoRandom);
}

export function unwrapPassword(rootKey: Buffer, wrapped: string, ctx: EnvelopeContext): Buffer {
  return openUnderRoot(rootKey, wrapped, aad(ctx), `the password of vault ${ctx.vaultName} (key ${ctx.keyId})`);
}
