/**
 * The storage factory: opens the BlobStore a storage URL names, lists the folders below one and
 * removes everything below one, whatever kind of storage it is (storage-url.ts). Built once per
 * process from the credentials the config gives for S3 locations; a location without its own
 * credentials uses the AWS SDK's chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, shared files).
 * S3 clients (connection pools) are shared per endpoint and credentials.
 */
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import type { BlobStore } from './blob-store.js';
import { LocalBlobStore } from './local-blob-store.js';
import { createS3Client, S3BlobStore } from './s3/s3-blob-store.js';
import type { S3Credentials } from './s3/s3-blob-store.js';
import type { S3Location } from './s3/s3-location.js';
import { asStorageFault } from './storage-fault.js';
import { formatStorageUrl, storageTarget } from './storage-url.js';

export interface OpenStoreOptions {
  /** Stops every request of the store (a job's stop signal). */
  readonly signal?: AbortSignal | undefined;
  /** Whose storage it is, for fault messages (`backup vault daily`). */
  readonly owner?: string | undefined;
}

/** Credentials for every location below `root` (a storage URL). */
export interface StorageCredentialsEntry {
  readonly root: string;
  readonly credentials: S3Credentials;
}

export interface StorageFactory {
  /** The store at `url`; nothing is created until the first write. */
  open(url: string, options?: OpenStoreOptions): BlobStore;
  /** The names of the folders directly below `url` (none when it does not exist). */
  folders(url: string): Promise<readonly string[]>;
  /** Removes `url` and everything below it; a missing location is no error. */
  removeAll(url: string): Promise<void>;
  /** Whether the location is a directory that does not exist (object storage has none: never missing). */
  isMissing(url: string): Promise<boolean>;
  /** Makes the location's directory (mode 0700); nothing to do on object storage. */
  create(url: string): Promise<void>;
  /** `err` from an operation on `url` as a storage fault naming it, when it is one; else `err`. */
  faultOf(url: string, err: unknown, action: string, owner?: string): unknown;
}

export function createStorageFactory(credentials: readonly StorageCredentialsEntry[] = []): StorageFactory {
  const roots = credentials.map((entry) => ({ root: formatStorageUrl(storageTarget(entry.root)), credentials: entry.credentials }));
  const clients = new Map<string, S3Client>();
  const s3Store = (target: S3Location, signal?: AbortSignal, owner?: string): S3BlobStore => {
    const url = formatStorageUrl(target);
    const own = roots.filter((r) => url === r.root || url.startsWith(`${r.root}/`)).sort((a, b) => b.root.length - a.root.length)[0]?.credentials;
    const key = `${target.endpoint ?? 'aws'}|${target.region ?? ''}|${own?.accessKeyId ?? 'default chain'}`;
    let client = clients.get(key);
    if (client === undefined) clients.set(key, (client = createS3Client(target, { credentials: own })));
    return new S3BlobStore(target, { client, signal, owner });
  };
  return {
    open(url, options = {}) {
      const target = storageTarget(url);
      return target.kind === 'file' ? new LocalBlobStore(target.path, { owner: options.owner }) : s3Store(target, options.signal, options.owner);
    },
    async folders(url) {
      const target = storageTarget(url);
      // Names with a leading dot are no repositories (a vault's records live in `.coffer/`).
      if (target.kind === 's3') return (await s3Store(target).folders()).filter((name) => !name.startsWith('.'));
      try {
        return (await readdir(target.path, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
      } catch {
        return [];
      }
    },
    async removeAll(url) {
      const target = storageTarget(url);
      if (target.kind === 's3') await s3Store(target).removeAll();
      else await rm(target.path, { recursive: true, force: true });
    },
    async isMissing(url) {
      const target = storageTarget(url);
      if (target.kind === 's3') return false;
      return (await stat(target.path).catch(() => undefined))?.isDirectory() !== true;
    },
    async create(url) {
      const target = storageTarget(url);
      if (target.kind === 'file') await mkdir(target.path, { recursive: true, mode: 0o700 });
    },
    faultOf(url, err, action, owner) {
      return asStorageFault(err, { location: formatStorageUrl(storageTarget(url)).replace(/^file:/, ''), owner, action }) ?? err;
    },
  };
}
