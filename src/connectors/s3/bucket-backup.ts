/**
 * The entries of one bucket's snapshot: every object's bytes at its path under `objects/`, then
 * `objects.jsonl` and `bucket.json`. An object whose ETag and size match the parent snapshot's
 * manifest is not downloaded: its node is reused (and its headers too, when its LastModified is
 * unchanged; otherwise one HeadObject). Small changed objects are downloaded a few at a time
 * ahead of the engine, which reads entries one after another; large ones are streamed.
 */
import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { TreeNode } from '../../vault/tree.js';
import type { VirtualEntry } from '../../vault/virtual-tree.js';
import { fetchObject, headObject, mapLimit, objectTags } from './bucket-reader.js';
import type { FetchedObject, ListedObject } from './bucket-reader.js';
import type { ObjectFailure } from '../connector.js';
import { unreadableObject } from './object-failures.js';
import { BUCKET_FILE, BUCKET_FORMAT, MANIFEST_FILE, manifestLine } from './object-manifest.js';
import type { BucketRecord, ManifestEntry, ObjectHeaders } from './object-manifest.js';
import { objectPaths } from './object-paths.js';

const WHOLE_LIMIT = 8 * 1024 * 1024;
const AHEAD_OBJECTS = 16;
const AHEAD_BYTES = 64 * 1024 * 1024;
const METADATA_CONCURRENCY = 16;

export interface ParentBucket {
  readonly entries: ReadonlyMap<string, ManifestEntry>;
  /** Nodes of the parent's files by snapshot path. */
  readonly nodes: ReadonlyMap<string, TreeNode>;
}

export interface BucketBackupState {
  readonly manifest: ManifestEntry[];
  readonly warnings: string[];
  /** Objects left out because they alone could not be read (archived, denied). */
  readonly failures: ObjectFailure[];
  downloaded: number;
  reused: number;
  bytes: number;
}

interface Planned {
  readonly listed: ListedObject;
  readonly path: string;
  readonly reuse?: TreeNode;
  /** Known before download: tags always; headers for reused objects. */
  tags: Record<string, string>;
  headers?: ObjectHeaders;
  gone?: boolean;
  /** Why it alone cannot be read. */
  unreadable?: string;
}

export interface BucketSource {
  readonly client: S3Client;
  readonly bucket: string;
  readonly prefix: string;
  readonly signal: AbortSignal;
}

/** Tags of every object and headers of the reused ones, fetched in parallel before any bytes. */
export async function planObjects(
  source: BucketSource,
  listed: readonly ListedObject[],
  parent: ParentBucket | undefined,
  state: BucketBackupState,
): Promise<Planned[]> {
  const paths = objectPaths(listed.map((o) => o.key));
  let tagless = false;
  return mapLimit(
    listed,
    METADATA_CONCURRENCY,
    async (object) => {
      const before = parent?.entries.get(object.key);
      const node = before === undefined ? undefined : parent?.nodes.get(before.path);
      const reusable = before !== undefined && node !== undefined && before.etag === object.etag && before.size === object.size;
      const planned: Planned = { listed: object, path: paths.get(object.key)!, tags: {}, ...(reusable ? { reuse: node } : {}) };
      try {
        if (reusable) {
          const { key: _k, path: _p, etag: _e, size: _s, lastModified, storageClass: _c, tags: _t, ...headers } = before;
          planned.headers = lastModified === object.lastModified ? headers : await headObject(source.client, source.bucket, object.key, source.signal);
        }
        const tags = tagless ? undefined : await objectTags(source.client, source.bucket, object.key, source.signal);
        if (tags === undefined && !tagless) {
          tagless = true;
          state.warnings.push(`the endpoint does not support object tagging; tags of objects in ${source.bucket} were not backed up`);
        }
        planned.tags = tags ?? {};
      } catch (err) {
        const unreadable = unreadableObject(err, object.storageClass);
        if (unreadable !== undefined) planned.unreadable = unreadable;
        else if (isGone(err)) planned.gone = true;
        else throw err;
      }
      return planned;
    },
    source.signal,
  );
}

function isGone(err: unknown): boolean {
  const name = (err as Error).name;
  return name === 'NoSuchKey' || name === 'NotFound';
}

export async function* bucketEntries(source: BucketSource, plan: readonly Planned[], state: BucketBackupState): AsyncGenerator<VirtualEntry> {
  const ahead = new Map<number, Promise<FetchedObject | undefined>>();
  let next = 0;
  let aheadBytes = 0;
  const wantsWhole = (p: Planned): boolean => p.reuse === undefined && p.gone !== true && p.unreadable === undefined && p.listed.size <= WHOLE_LIMIT;
  const topUp = (from: number): void => {
    next = Math.max(next, from);
    while (next < plan.length && ahead.size < AHEAD_OBJECTS && aheadBytes < AHEAD_BYTES) {
      const p = plan[next]!;
      if (wantsWhole(p)) {
        const fetching = fetchObject(source.client, source.bucket, p.listed.key, true, source.signal);
        fetching.catch(() => undefined);
        ahead.set(next, fetching);
        aheadBytes += p.listed.size;
      }
      next += 1;
    }
  };

  for (const [i, p] of plan.entries()) {
    source.signal.throwIfAborted();
    const record = (etag: string, size: number, headers: ObjectHeaders, lastModified: string | undefined): void => {
      state.manifest.push({
        key: p.listed.key,
        path: p.path,
        etag,
        size,
        ...(lastModified === undefined ? {} : { lastModified }),
        ...(p.listed.storageClass === undefined ? {} : { storageClass: p.listed.storageClass }),
        ...headers,
        tags: p.tags,
      });
      state.bytes += size;
    };
    if (p.gone === true) {
      state.warnings.push(`object ${p.listed.key} was deleted while the backup ran; it is not in the recovery point`);
      continue;
    }
    if (p.unreadable !== undefined) {
      state.failures.push({ key: p.listed.key, reason: p.unreadable });
      continue;
    }
    if (p.reuse !== undefined) {
      state.reused += 1;
      record(p.listed.etag, p.listed.size, p.headers ?? { metadata: {} }, p.listed.lastModified);
      // `open` only runs when the parent's blobs are gone from the repository.
      yield { path: p.path, type: 'file', size: p.listed.size, reuse: p.reuse, open: () => Readable.from(downloadAgain(source, p, state)) };
      continue;
    }
    topUp(i + 1);
    const whole = ahead.get(i);
    ahead.delete(i);
    if (whole !== undefined) aheadBytes -= p.listed.size;
    let fetched: FetchedObject | undefined;
    try {
      fetched = await (whole ?? fetchObject(source.client, source.bucket, p.listed.key, false, source.signal));
    } catch (err) {
      const unreadable = unreadableObject(err, p.listed.storageClass);
      if (unreadable === undefined) throw err;
      state.failures.push({ key: p.listed.key, reason: unreadable });
      topUp(i + 1);
      continue;
    }
    topUp(i + 1);
    if (fetched === undefined) {
      state.warnings.push(`object ${p.listed.key} was deleted while the backup ran; it is not in the recovery point`);
      continue;
    }
    state.downloaded += 1;
    record(fetched.etag, fetched.size, fetched.headers, fetched.lastModified);
    const body = fetched.body;
    yield { path: p.path, type: 'file', size: fetched.size, open: () => (Buffer.isBuffer(body) ? Readable.from([body]) : body) };
  }

  yield { path: MANIFEST_FILE, type: 'file', open: () => Readable.from(manifestChunks(state.manifest)) };
  const record: BucketRecord = {
    format: BUCKET_FORMAT,
    bucket: source.bucket,
    prefix: source.prefix,
    objects: state.manifest.length,
    bytes: state.bytes,
    reusedObjects: state.reused,
  };
  yield { path: BUCKET_FILE, type: 'file', open: () => Readable.from([Buffer.from(`${JSON.stringify(record, null, 2)}\n`)]) };
}

/** The manifest as ~1 MiB chunks of lines. */
function* manifestChunks(entries: readonly ManifestEntry[]): Generator<Buffer> {
  let lines: string[] = [];
  let size = 0;
  for (const entry of entries) {
    const line = manifestLine(entry);
    lines.push(line);
    size += line.length;
    if (size >= 1024 * 1024) {
      yield Buffer.from(lines.join(''));
      lines = [];
      size = 0;
    }
  }
  if (lines.length > 0) yield Buffer.from(lines.join(''));
}

/** A reused object whose blobs are gone: read it again, and record what was read. */
async function* downloadAgain(source: BucketSource, p: Planned, state: BucketBackupState): AsyncGenerator<Uint8Array> {
  const fetched = await fetchObject(source.client, source.bucket, p.listed.key, false, source.signal);
  if (fetched === undefined) throw new Error(`object ${p.listed.key} vanished while the backup ran, and the parent snapshot's copy is gone`);
  const at = state.manifest.findIndex((e) => e.key === p.listed.key);
  if (at !== -1) state.manifest[at] = { ...state.manifest[at]!, etag: fetched.etag, size: fetched.size, ...fetched.headers };
  state.downloaded += 1;
  yield* fetched.body as Readable;
}
