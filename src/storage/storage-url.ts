/**
 * Storage URLs, the one place that knows their kinds: `file:<absolute path>` (also
 * `file:///absolute/path`; a relative path resolves against `baseDir`) and restic's S3 forms
 * (s3/s3-location.ts). Everything outside storage/ passes these strings around and asks the
 * storage factory (storage-factory.ts) to open, list or remove what they name.
 */
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatS3Location, looksLikeS3, parseS3Location, s3Child } from './s3/s3-location.js';
import type { S3Location } from './s3/s3-location.js';

export interface FileLocation {
  readonly kind: 'file';
  /** Absolute. */
  readonly path: string;
}

export type StorageTarget = FileLocation | S3Location;

/** The target `url` names, or the reason it names none (the URL is never echoed: it may hold secrets). */
export function parseStorageUrl(url: string, baseDir: string = process.cwd()): StorageTarget | string {
  if (looksLikeS3(url)) return parseS3Location(url);
  if (!url.startsWith('file:')) {
    return "must be a file: URL such as file:./data/vaults, or an S3 URL in restic's form such as s3:https://HOST/BUCKET/PREFIX or s3:s3.amazonaws.com/BUCKET/PREFIX";
  }
  const path = url.startsWith('file://') ? fromFileUrl(url) : url.slice('file:'.length);
  if (path === undefined) return 'is not a valid file:// URL; use file:/absolute/path or file:relative/path';
  if (path === '') return 'names no directory; use file:<directory>';
  if (path.includes('\0')) return 'contains a NUL byte';
  return { kind: 'file', path: isAbsolute(path) ? resolve(path) : resolve(baseDir, path) };
}

/** Like parseStorageUrl, for URLs Coffer wrote itself (catalog rows, config already checked): throws when unusable. */
export function storageTarget(url: string): StorageTarget {
  const target = parseStorageUrl(url);
  if (typeof target === 'string') throw new Error(`storage location ${looksLikeS3(url) ? '(s3)' : url} ${target}`);
  return target;
}

/** The canonical URL of a target: `file:/abs/path` or restic's `s3:...`. */
export function formatStorageUrl(target: StorageTarget): string {
  return target.kind === 'file' ? `file:${target.path}` : formatS3Location(target);
}

/** The URL of `segments` below `url` (a vault below a region root, a repository below a vault). */
export function storageChildUrl(url: string, ...segments: readonly string[]): string {
  const target = storageTarget(url);
  const child = segments.join('/');
  if (target.kind === 'file') return formatStorageUrl({ kind: 'file', path: resolve(target.path, ...segments) });
  return formatStorageUrl(s3Child(target, child));
}

function fromFileUrl(url: string): string | undefined {
  try {
    return fileURLToPath(url);
  } catch {
    return undefined;
  }
}

/** A repository argument as restic takes it (a URL such as `s3:http://HOST/BUCKET/repo` or `file:...`, or a plain path) as a storage URL. */
export function repositoryArgumentUrl(argument: string, cwd: string = process.cwd()): string | { readonly problem: string } {
  const url = looksLikeS3(argument) || argument.startsWith('file:') ? argument : `file:${resolve(cwd, argument)}`;
  const target = parseStorageUrl(url, cwd);
  return typeof target === 'string' ? { problem: target } : formatStorageUrl(target);
}

/** The local directory a storage URL names, or undefined when it is not on this machine's file system. */
export function localPathOf(url: string): string | undefined {
  const target = parseStorageUrl(url);
  return typeof target === 'object' && target.kind === 'file' ? target.path : undefined;
}
