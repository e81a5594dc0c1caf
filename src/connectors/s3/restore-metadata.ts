/**
 * The restore metadata of an S3 recovery point: `DestinationBucketName` (default
 * `<bucket>-restore-<first 8 of the recovery point id>`), `NewBucket` (`true`: create it, and
 * refuse if it exists; `false`: it must exist), `DestinationPrefix` (default: the backed-up
 * prefix; each object's key below the source prefix is put below it), `OverwriteExistingObjects`
 * (`false`: refuse before writing anything if an object would be replaced) and, when given,
 * `ItemsToRestore` (a JSON list of keys or key prefixes). Pure.
 */
import { RestoreMetadataError } from '../connector.js';
import type { RecoveryPointInfo } from '../connector.js';

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function bucketRestoreDefaults(bucket: string, prefix: string, point: RecoveryPointInfo): Record<string, string> {
  const suffix = `-restore-${point.id.slice(0, 8).toLowerCase()}`;
  const base = bucket.slice(0, 63 - suffix.length).replace(/[.-]+$/, '');
  return { DestinationBucketName: `${base}${suffix}`, NewBucket: 'true', DestinationPrefix: prefix, OverwriteExistingObjects: 'false' };
}

export function validateBucketRestore(metadata: Readonly<Record<string, string>>): void {
  const bucket = metadata['DestinationBucketName'];
  if (bucket === undefined || !BUCKET_NAME.test(bucket) || bucket.includes('..')) {
    throw new RestoreMetadataError(
      'DestinationBucketName',
      'DestinationBucketName must be a bucket name: 3 to 63 lower-case letters, digits, . or -, starting and ending with a letter or digit',
    );
  }
  for (const key of ['NewBucket', 'OverwriteExistingObjects']) {
    const value = metadata[key];
    if (value !== undefined && value !== 'true' && value !== 'false') throw new RestoreMetadataError(key, `${key} must be "true" or "false"`);
  }
  const prefix = metadata['DestinationPrefix'];
  if (prefix !== undefined && Buffer.byteLength(prefix) > 1024)
    throw new RestoreMetadataError('DestinationPrefix', 'DestinationPrefix must be at most 1024 bytes');
  if (metadata['ItemsToRestore'] !== undefined) parseItems(metadata['ItemsToRestore']);
}

/** `ItemsToRestore`: a JSON list of keys or key prefixes (below the backed-up bucket). */
export function parseItems(value: string | undefined): readonly string[] | undefined {
  if (value === undefined || value === '') return undefined;
  let items: unknown;
  try {
    items = JSON.parse(value);
  } catch {
    throw new RestoreMetadataError('ItemsToRestore', 'ItemsToRestore must be a JSON list of object keys or key prefixes, e.g. ["reports/2024/"]');
  }
  if (!Array.isArray(items) || items.length === 0 || !items.every((item) => typeof item === 'string' && item !== '')) {
    throw new RestoreMetadataError('ItemsToRestore', 'ItemsToRestore must be a non-empty JSON list of object keys or key prefixes');
  }
  return items as string[];
}
