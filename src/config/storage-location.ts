/**
 * A region's `storage` (or `coldStorage`) URL: `file:<path>` (relative to the config file's
 * directory), `file:///absolute/path`, or restic's S3 form `s3:http(s)://HOST[:PORT]/BUCKET[/PREFIX]`
 * / `s3:s3.amazonaws.com/BUCKET[/PREFIX]`. The parsing is storage/'s; the URL itself is never
 * echoed in messages.
 */
import { formatStorageUrl, parseStorageUrl } from '../storage/storage-url.js';
import type { StorageLocation } from './schema.js';

/** The location, or the reason the URL is not usable. */
export function parseStorageLocation(url: string, baseDir: string): StorageLocation | string {
  const target = parseStorageUrl(url, baseDir);
  if (typeof target === 'string') return target;
  return target.kind === 'file' ? target : { kind: 's3', url: formatStorageUrl(target) };
}

/** The URL form of a location, for messages, docs and the storage factory. */
export function formatStorageLocation(location: StorageLocation): string {
  return location.kind === 'file' ? `file:${location.path}` : location.url;
}
