/**
 * recovery/: what a vault's own storage keeps so that Coffer can be rebuilt from it (coffer
 * recover) and restic can open it without the catalog (coffer vault restic-env). Beside the
 * vault's restic repositories (`<vault dir>/<key id>/repo/`) lives `<vault dir>/.coffer/`:
 *
 *   vault.sealed               the vault: name, account, region, key, access policy, lock,
 *                              notifications, tags, creation
 *   keys/<key id>.sealed       the repository under that key: its stored (KMS-enveloped)
 *                              password, and the KMS key record with its root-enveloped material
 *   points/<point id>.sealed   one recovery point: everything the catalog knows of it, tags too
 *
 * Each file is JSON sealed under the root key (AES-256-GCM, kms/root-envelope.ts) with the
 * vault's ARN, the file's kind and its id bound in as associated data: a file moved to another
 * vault or name does not open, nor does one altered in storage. restic never looks outside its
 * repository directory, and `.coffer` is no key id (vault-repositories.ts lists only names
 * without a leading dot), so neither restic nor the engine sees these files. Writes go through
 * the BlobStore seam (atomic, any storage kind). Key policies still govern every API use of the
 * keys: these files only help an operator holding the root key and the config.
 */
import type { BlobStore } from '../storage/blob-store.js';
import type { KmsKeyRecord } from '../catalog/kms-keys.js';
import type { RecoveryPointRecord } from '../catalog/recovery-points.js';
import type { VaultRecord } from '../catalog/vaults.js';
import { readSealed, writeSealed } from './sealed-file.js';

export const RECORDS_DIR = '.coffer';

export interface VaultFile {
  readonly vault: VaultRecord;
  readonly tags: Readonly<Record<string, string>>;
}

export interface KeyFile {
  readonly keyId: string;
  /** The catalog's repository_keys text: `kms1:<service>:<base64>` or a pre-KMS `v1:` envelope. */
  readonly storedPassword: string;
  /** The KMS key it is enveloped under (undefined for pre-KMS passwords), with its scope. */
  readonly kmsKey: (KmsKeyRecord & { readonly accountId: string; readonly region: string; readonly aliases: readonly string[] }) | undefined;
}

export interface PointFile {
  readonly point: RecoveryPointRecord;
  readonly tags: Readonly<Record<string, string>>;
}

type Kind = 'vault' | 'key' | 'point';

const nameOf = (kind: Kind, id: string): string =>
  kind === 'vault' ? `${RECORDS_DIR}/vault.sealed` : `${RECORDS_DIR}/${kind === 'key' ? 'keys' : 'points'}/${id}.sealed`;

const aad = (vaultArn: string, kind: Kind, id: string): Buffer => Buffer.from(`coffer-vault-record\u0000${vaultArn}\u0000${kind}\u0000${id}`, 'utf8');

/** A vault's records in its storage (`store` is rooted at the vault directory). */
export class VaultRecords {
  constructor(
    private readonly store: BlobStore,
    private readonly vaultArn: string,
    private readonly rootKey: Buffer,
  ) {}

  get location(): string {
    return this.store.location;
  }

  private write(kind: Kind, id: string, body: unknown): Promise<void> {
    return writeSealed(this.store, this.rootKey, nameOf(kind, id), aad(this.vaultArn, kind, id), body);
  }

  private read<T>(kind: Kind, id: string): Promise<T | undefined> {
    return readSealed<T>(this.store, this.rootKey, nameOf(kind, id), aad(this.vaultArn, kind, id));
  }

  writeVault(file: VaultFile): Promise<void> {
    return this.write('vault', 'vault', file);
  }

  readVault(): Promise<VaultFile | undefined> {
    return this.read('vault', 'vault');
  }

  writeKey(file: KeyFile): Promise<void> {
    return this.write('key', file.keyId, file);
  }

  readKey(keyId: string): Promise<KeyFile | undefined> {
    return this.read('key', keyId);
  }

  async hasKey(keyId: string): Promise<boolean> {
    return (await this.store.stat(nameOf('key', keyId))) !== undefined;
  }

  writePoint(file: PointFile): Promise<void> {
    return this.write('point', file.point.id, file);
  }

  readPoint(pointId: string): Promise<PointFile | undefined> {
    return this.read('point', pointId);
  }

  /** The vault's own file goes (its vault was deleted while the file was written). */
  removeVault(): Promise<void> {
    return this.store.remove(nameOf('vault', 'vault'));
  }

  removePoint(pointId: string): Promise<void> {
    return this.store.remove(nameOf('point', pointId));
  }

  /** The ids of the recovery point files kept. */
  async pointIds(): Promise<readonly string[]> {
    const prefix = `${RECORDS_DIR}/points/`;
    return (await this.store.list(prefix))
      .map((b) => b.name.slice(prefix.length))
      .filter((n) => n.endsWith('.sealed'))
      .map((n) => n.slice(0, -'.sealed'.length));
  }
}
