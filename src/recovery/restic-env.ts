/**
 * `coffer vault restic-env`: the restic repository and password of the repository holding one
 * recovery point, from the config, the root key and the vault's storage alone (no catalog, no
 * server): the operator's break-glass path to `restic restore`. The point is found by its
 * record in the storage of the region its ARN names; a point with no record (a crash before it
 * was written) is found by its snapshot's `coffer:rp=` tag. On object storage, restic also needs
 * the storage's credentials: the region's `storageCredentials` when the config gives them (else
 * restic uses the same AWS environment variables Coffer read).
 */
import { parseArn } from '../iam/arn.js';
import type { CofferConfig } from '../config/schema.js';
import { formatStorageLocation } from '../config/storage-location.js';
import type { StorageFactory } from '../storage/storage-factory.js';
import { Repository } from '../vault/repository.js';
import { passwordFromKeyFile, storedVaults } from './stored-vaults.js';
import type { StoredVault } from './stored-vaults.js';

export interface ResticEnv {
  readonly repository: string;
  readonly password: string;
  readonly snapshotId: string;
  readonly vaultName: string;
  /** For an s3: repository: the credentials restic needs (the region's storageCredentials), or where restic finds them. */
  readonly s3?:
    | { readonly from: 'storageCredentials'; readonly accessKeyId: string; readonly secretAccessKey: string }
    | { readonly from: 'environment' }
    | undefined;
}

/** A point that cannot be found or opened; the message says what is missing (never a secret). */
export class ResticEnvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResticEnvError';
  }
}

export async function resticEnvFor(config: CofferConfig, storage: StorageFactory, rootKey: Buffer, pointArn: string): Promise<ResticEnv> {
  const arn = parseArn(pointArn);
  if (arn === undefined || arn.service !== 'backup' || !arn.resource.startsWith('recovery-point:')) {
    throw new ResticEnvError(`${JSON.stringify(pointArn)} is not a recovery point ARN (arn:aws:backup:<region>:<account>:recovery-point:<id>)`);
  }
  const region = config.regions.find((r) => r.name === arn.region);
  if (region === undefined)
    throw new ResticEnvError(
      `region ${arn.region} of ${pointArn} is not in the config (${config.source ?? 'embedded default'}); add it under regions with its storage`,
    );
  const pointId = arn.resource.slice('recovery-point:'.length);
  const vaults = await storedVaults(storage, formatStorageLocation(region.storage), region.name, rootKey, [arn.accountId]);
  const own = region.storageCredentials;
  const withCredentials = ({ objectStorage, ...env }: Opened & Pick<ResticEnv, 'snapshotId' | 'vaultName'>): ResticEnv => {
    if (!objectStorage) return env;
    return {
      ...env,
      s3:
        own === undefined
          ? { from: 'environment' }
          : { from: 'storageCredentials', accessKeyId: own.accessKeyId, secretAccessKey: own.secretAccessKey.secret.reveal() },
    };
  };
  for (const vault of vaults) {
    const file = await vault.records.readPoint(pointId);
    if (file === undefined || file.point.arn !== pointArn) continue;
    const { snapshotId, repositoryKeyId, storageLocation } = file.point;
    if (snapshotId === undefined || repositoryKeyId === undefined)
      throw new ResticEnvError(`recovery point ${pointArn} (vault ${vault.name}) has no snapshot: it is ${file.point.state}`);
    return withCredentials({ ...(await opened(vault, rootKey, repositoryKeyId, storageLocation)), snapshotId, vaultName: vault.name });
  }
  // No record: look for the snapshot tagged with the point's ARN.
  for (const vault of vaults) {
    for (const keyId of vault.keyIds) {
      const env = await opened(vault, rootKey, keyId).catch(() => undefined);
      if (env === undefined) continue;
      const repo = await Repository.open(vault.repositoryStore(keyId), Buffer.from(env.password));
      for (const snapshot of await repo.snapshots()) {
        if (snapshot.tags?.includes(`coffer:rp=${pointArn}`)) return withCredentials({ ...env, snapshotId: snapshot.id, vaultName: vault.name });
      }
    }
  }
  throw new ResticEnvError(
    `recovery point ${pointArn} is in no vault of account ${arn.accountId} in the ${region.name} storage (${formatStorageLocation(region.storage)}): it was deleted, or that storage is not the one it was written to`,
  );
}

type Opened = Pick<ResticEnv, 'repository' | 'password'> & { readonly objectStorage: boolean };

async function opened(vault: StoredVault, rootKey: Buffer, keyId: string, location?: string): Promise<Opened> {
  const key = await vault.records.readKey(keyId);
  if (key === undefined)
    throw new ResticEnvError(
      `backup vault ${vault.name} keeps no key record for its repository ${keyId} (.coffer/keys/${keyId}.sealed in ${vault.records.location}): start coffer serve once with the catalog to write it`,
    );
  return {
    repository: vault.repositoryPath(keyId, location),
    password: passwordFromKeyFile(rootKey, vault, key).toString('utf8'),
    objectStorage: vault.onObjectStorage(keyId, location),
  };
}
