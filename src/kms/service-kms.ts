/**
 * KMS for Coffer's own services acting for an account, the way AWS Backup calls KMS: the
 * caller is the account (its root principal) through the service, so the key policy sees
 * `kms:CallerAccount = <account>` and `kms:ViaService = <service>.<region>.amazonaws.com`, and
 * the principal's service `<service>.amazonaws.com`. That is exactly what AWS's managed-key
 * policies ask for, so `alias/aws/backup` works here and nowhere else; a customer managed key
 * works when its policy allows the account (the default policy does).
 *
 * Usage (envelope encryption of a vault repository password):
 *
 *     const backupKms = kms.forService('backup');
 *     const on = { accountId, region, requestId };
 *     const dataKey = await backupKms.generateDataKey(on, vault.encryptionKeyArn, { 'aws:backup:vault': vaultArn });
 *     // encrypt the password with dataKey.plaintext, store dataKey.ciphertext beside it, forget the plaintext
 *     const { plaintext } = await backupKms.decrypt(on, storedCiphertext, { 'aws:backup:vault': vaultArn });
 *
 * Errors are KmsErrors (AccessDenied, Disabled, InvalidState, NotFound, InvalidCiphertext ...).
 */
import { arns } from '../iam/arn.js';
import type { DataKey, Decrypted, KmsCrypto } from './kms-crypto.js';
import type { EncryptionContext } from './encryption-context.js';
import type { KmsKey } from './kms-key.js';
import type { KmsKeys } from './kms-keys.js';
import type { KmsScope } from './kms-scope.js';

export interface ServiceCaller {
  readonly accountId: string;
  readonly region: string;
  readonly requestId: string;
}

export interface ServiceKms {
  /** A new 256-bit data key under `keyRef` (key id, key ARN, alias or alias ARN): plaintext and ciphertext. */
  generateDataKey(on: ServiceCaller, keyRef: string, context: EncryptionContext): Promise<DataKey>;
  /** The plaintext of a ciphertext from generateDataKey, given the same encryption context. */
  decrypt(on: ServiceCaller, ciphertext: Buffer, context: EncryptionContext): Promise<Decrypted>;
  /** The key `keyRef` names, if the account may describe it (to check a vault's key up front). */
  describeKey(on: ServiceCaller, keyRef: string): Promise<KmsKey>;
}

export function serviceScope(service: 'backup' | 'rds', on: ServiceCaller): KmsScope {
  return { accountId: on.accountId, region: on.region, principal: arns.accountRoot(on.accountId), requestId: on.requestId, viaService: service };
}

export function createServiceKms(service: 'backup' | 'rds', crypto: KmsCrypto, keys: KmsKeys): ServiceKms {
  return {
    generateDataKey: (on, keyRef, context) => crypto.generateDataKey(serviceScope(service, on), keyRef, { keySpec: 'AES_256' }, { context }),
    decrypt: (on, ciphertext, context) => crypto.decrypt(serviceScope(service, on), ciphertext, { context }),
    describeKey: (on, keyRef) => keys.describe(serviceScope(service, on), keyRef),
  };
}
