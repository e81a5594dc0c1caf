/**
 * A region's `storage` URL: `file:<path>` (relative to the config file's directory) or
 * `file:///absolute/path`. `s3://` is reserved for S3-compatible storage and refused until it
 * lands. The URL itself is never echoed in messages: a future S3 URL may carry credentials.
 */
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StorageLocation } from './schema.js';

/** The location, or the reason the URL is not usable. */
export function parseStorageLocation(url: string, baseDir: string): StorageLocation | string {
  if (/^s3:\/\//i.test(url)) return 's3:// storage is not supported yet; use file:<directory>';
  if (!url.startsWith('file:')) return 'must be a file: URL such as file:./data/vaults or file:/srv/vaults';
  const path = url.startsWith('file://') ? fromFileUrl(url) : url.slice('file:'.length);
  if (path === undefined) return 'is not a valid file:// URL; use file:/absolute/path or file:relative/path';
  if (path === '') return 'names no directory; use file:<directory>';
  if (path.includes('\0')) return 'contains a NUL byte';
  return { kind: 'file', path: isAbsolute(path) ? resolve(path) : resolve(baseDir, path) };
}

function fromFileUrl(url: string): string | undefined {
  try {
    return fileURLToPath(url);
  } catch {
    return undefined;
  }
}

/** The URL form of a location, for messages and docs. */
export function formatStorageLocation(location: StorageLocation): string {
  return `file:${location.path}`;
}
