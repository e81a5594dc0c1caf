/**
 * The snapshot's record of a bucket: `bucket.json` (which bucket and prefix, counts) and
 * `objects.jsonl`, one line per object: key, snapshot path, ETag, size, last modified, content
 * headers, user metadata and tags. A later backup compares ETag and size with it to reuse blobs;
 * a restore writes each object back from it.
 */

export const MANIFEST_FILE = 'objects.jsonl';
export const BUCKET_FILE = 'bucket.json';
export const BUCKET_FORMAT = 'coffer-s3-bucket/1';

export interface ObjectHeaders {
  readonly contentType?: string;
  readonly contentEncoding?: string;
  readonly contentDisposition?: string;
  readonly contentLanguage?: string;
  readonly cacheControl?: string;
  /** The Expires header as sent (an HTTP date). */
  readonly expires?: string;
  readonly metadata: Readonly<Record<string, string>>;
}

export interface ManifestEntry extends ObjectHeaders {
  readonly key: string;
  /** Where the bytes are in the snapshot (see object-paths). */
  readonly path: string;
  readonly etag: string;
  readonly size: number;
  /** ISO time. */
  readonly lastModified?: string;
  readonly storageClass?: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface BucketRecord {
  readonly format: typeof BUCKET_FORMAT;
  readonly bucket: string;
  readonly prefix: string;
  readonly objects: number;
  readonly bytes: number;
  readonly reusedObjects: number;
}

export function manifestLine(entry: ManifestEntry): string {
  return `${JSON.stringify(entry)}\n`;
}

export function parseManifestLine(line: string, where: string): ManifestEntry {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    throw new Error(`${where}: not JSON: ${(err as Error).message}`);
  }
  const entry = value as Partial<ManifestEntry>;
  if (typeof entry?.key !== 'string' || typeof entry.path !== 'string' || typeof entry.size !== 'number' || typeof entry.etag !== 'string') {
    throw new Error(`${where}: not an object entry (key, path, etag and size are required)`);
  }
  return { ...entry, metadata: entry.metadata ?? {}, tags: entry.tags ?? {} } as ManifestEntry;
}

export function parseBucketRecord(text: string): BucketRecord {
  const record = JSON.parse(text) as Partial<BucketRecord>;
  if (record.format !== BUCKET_FORMAT) throw new Error(`${BUCKET_FILE} has format ${JSON.stringify(record.format)}, expected ${BUCKET_FORMAT}`);
  return record as BucketRecord;
}
