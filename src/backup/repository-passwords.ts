/**
 * Each vault repository's password, enveloped by KMS: the password is the hex of a 256-bit data
 * key that KMS generates under the key protecting the repository, and only the data key's KMS
 * ciphertext is stored (`kms1:<service>:<base64>`). Opening a repository therefore needs
 * kms:Decrypt on that key through AWS Backup (or RDS), and the key policy decides. The encryption
 * context binds the ciphertext to the vault ARN and the repository's key id.
 *
 * Which key: the vault's key for the types AWS Backup fully manages (EFS, DynamoDB, S3), the
 * resource's own key (`kmsKeyId`, default `aws/rds`) for RDS. A vault holds one repository per key.
 * Rows written before KMS (`v1:`, root-key envelope, key id `aws-backup-default`) still open.
 */
import type { Catalog } from '../catalog/catalog.js';
import { blobKeyArn } from '../kms/ciphertext-blob.js';
import type { KmsError } from '../kms/kms-error.js';
import type { ServiceKms } from '../kms/service-kms.js';
import type { CallScope } from './call-scope.js';
import type { Clock } from './clock.js';
import { unwrapPassword } from './password-envelope.js';

/** The key id of repositories made before KMS (root-key envelope). */
export const DEFAULT_REPOSITORY_KEY_ID = 'aws-backup-default';
const KMS_PREFIX = 'kms1:';

export type KeyService = 'backup' | 'rds';

/** The KMS key protecting one repository of a vault. */
export interface RepositoryKey {
  readonly keyId: string;
  readonly keyArn: string;
  /** Which service uses the key for the account (AWS managed keys only work through theirs). */
  readonly service: KeyService;
  readonly keyManager: 'AWS' | 'CUSTOMER';
}

export interface PasswordVault {
  readonly name: string;
  readonly arn: string;
  readonly encryptionKeyArn: string;
}

export interface KeyedResource {
  readonly type: string;
  readonly kmsKeyId?: string | undefined;
}

/** A stored repository password, as KMS ciphertext (or a pre-KMS root-key envelope). */
export interface StoredPassword {
  readonly service: KeyService | undefined;
  readonly ciphertext: Buffer | undefined;
  readonly legacy: string | undefined;
}

export interface PasswordKms {
  forService(service: KeyService): ServiceKms;
}

/** A repository password could not be opened or made: the key's state or policy refuses. */
export class RepositoryKeyError extends Error {
  constructor(
    message: string,
    readonly kmsCode: string | undefined,
  ) {
    super(message);
    this.name = 'RepositoryKeyError';
  }
}

export interface RepositoryPasswords {
  /** The key that protects a resource's recovery points in `vault` (aliases resolved; `aws/backup` made on first use). */
  keyFor(scope: Pick<CallScope, 'accountId' | 'region'>, vault: PasswordVault, resource: KeyedResource): Promise<RepositoryKey>;
  /** The password of the vault's repository under `keyId`; made with `key` when `key` is given and none is stored yet. */
  passwordFor(scope: Pick<CallScope, 'accountId' | 'region'>, vault: Pick<PasswordVault, 'name' | 'arn'>, keyId: string, key?: RepositoryKey): Promise<Buffer>;
  /** The stored (enveloped) password, undefined when the repository was never made. */
  stored(scope: Pick<CallScope, 'accountId' | 'region'>, vaultName: string, keyId: string): Promise<StoredPassword | undefined>;
}

export interface RepositoryPasswordDeps {
  readonly catalog: Pick<Catalog, 'repositoryKeys'>;
  readonly clock: Clock;
  readonly kms: PasswordKms;
  /** Opens rows written before KMS; without it they fail with a message saying so. */
  readonly rootKey?: Buffer | undefined;
}

/** The encryption context every repository password is bound to. */
export function passwordContext(vaultArn: string, keyId: string): Readonly<Record<string, string>> {
  return { 'aws:backup:backup-vault-arn': vaultArn, 'coffer:repository-key-id': keyId };
}

export function parseStoredPassword(text: string): StoredPassword {
  if (!text.startsWith(KMS_PREFIX)) return { service: undefined, ciphertext: undefined, legacy: text };
  const [service, body] = text.slice(KMS_PREFIX.length).split(':');
  if ((service !== 'backup' && service !== 'rds') || body === undefined) throw new Error('unknown repository password envelope');
  return { service, ciphertext: Buffer.from(body, 'base64'), legacy: undefined };
}

const STATE_WORDS: Readonly<Record<string, string>> = {
  Disabled: 'is disabled',
  InvalidState: 'is pending deletion',
  NotFound: 'no longer exists (deleted)',
  AccessDenied: 'does not allow AWS Backup to use it',
  InvalidCiphertext: 'does not open this repository password (the row was altered)',
};

/** Why a KMS error keeps a vault's recovery points unreadable, naming the key and its state. */
export function keyRefusal(err: unknown, keyArn: string, vaultName: string): RepositoryKeyError | unknown {
  if (!(err instanceof Error) || err.name !== 'KmsError') return err;
  const code = (err as KmsError).code;
  const state = STATE_WORDS[code] ?? 'refused the request';
  return new RepositoryKeyError(`KMS key ${keyArn} that protects recovery points in backup vault ${vaultName} ${state}: ${err.message}`, code);
}

/** The ARN of the key a stored password is enveloped under (from the ciphertext's header). */
export function storedKeyArn(found: StoredPassword): string | undefined {
  try {
    return found.ciphertext === undefined ? undefined : blobKeyArn(found.ciphertext);
  } catch {
    return undefined;
  }
}

export function createRepositoryPasswords(deps: RepositoryPasswordDeps): RepositoryPasswords {
  const on = (scope: Pick<CallScope, 'accountId' | 'region'>) => ({
    accountId: scope.accountId,
    region: scope.region,
    requestId: 'coffer-repository-password',
  });
  const stored = async (scope: Pick<CallScope, 'accountId' | 'region'>, vaultName: string, keyId: string): Promise<StoredPassword | undefined> => {
    const text = await deps.catalog.repositoryKeys.get(scope, vaultName, keyId);
    return text === undefined ? undefined : parseStoredPassword(text);
  };
  const open = async (
    scope: Pick<CallScope, 'accountId' | 'region'>,
    vault: Pick<PasswordVault, 'name' | 'arn'>,
    keyId: string,
    text: string,
    keyArn: string,
  ): Promise<Buffer> => {
    const found = parseStoredPassword(text);
    if (found.legacy !== undefined) {
      if (deps.rootKey === undefined) throw new Error(`the password of vault ${vault.name} predates KMS and needs the root key`);
      return unwrapPassword(deps.rootKey, found.legacy, { accountId: scope.accountId, region: scope.region, vaultName: vault.name, keyId });
    }
    try {
      const { plaintext } = await deps.kms.forService(found.service!).decrypt(on(scope), found.ciphertext!, passwordContext(vault.arn, keyId));
      return Buffer.from(plaintext.toString('hex'));
    } catch (err) {
      throw keyRefusal(err, storedKeyArn(found) ?? keyArn, vault.name);
    }
  };

  return {
    stored,
    async keyFor(scope, vault, resource) {
      const service: KeyService = resource.type === 'RDS' ? 'rds' : 'backup';
      const ref = resource.type === 'RDS' ? (resource.kmsKeyId ?? 'alias/aws/rds') : vault.encryptionKeyArn;
      try {
        const key = await deps.kms.forService(service).describeKey(on(scope), ref);
        return { keyId: key.keyId, keyArn: key.arn, service, keyManager: key.keyManager };
      } catch (err) {
        throw keyRefusal(err, ref, vault.name);
      }
    },
    async passwordFor(scope, vault, keyId, key) {
      const keyArn = key?.keyArn ?? `key ${keyId}`;
      let text = await deps.catalog.repositoryKeys.get(scope, vault.name, keyId);
      if (text === undefined) {
        if (key === undefined) throw new Error(`backup vault ${vault.name} has no repository under key ${keyId}`);
        let dataKey;
        try {
          dataKey = await deps.kms.forService(key.service).generateDataKey(on(scope), key.keyArn, passwordContext(vault.arn, keyId));
        } catch (err) {
          throw keyRefusal(err, key.keyArn, vault.name);
        }
        const fresh = `${KMS_PREFIX}${key.service}:${dataKey.ciphertext.toString('base64')}`;
        text = await deps.catalog.repositoryKeys.putIfAbsent(scope, vault.name, keyId, fresh, deps.clock.now().getTime());
      }
      return open(scope, vault, keyId, text, keyArn);
    },
  };
}
