/**
 * Reading a bucket: the listing (ListObjectsV2), each object's tags (GetObjectTagging), headers
 * (HeadObject, only for reused objects modified since) and bytes (GetObject). What GetObject
 * answers is recorded with the bytes it returned, so an object rewritten during the backup is
 * still recorded consistently.
 */
import { GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { GetObjectCommandOutput, HeadObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import type { ObjectHeaders } from './object-manifest.js';

export interface ListedObject {
  readonly key: string;
  readonly etag: string;
  readonly size: number;
  readonly lastModified?: string;
  readonly storageClass?: string;
}

export async function listObjects(client: S3Client, bucket: string, prefix: string, signal?: AbortSignal): Promise<ListedObject[]> {
  const out: ListedObject[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix === '' ? undefined : prefix, ContinuationToken: token }), {
      abortSignal: signal,
    });
    for (const object of page.Contents ?? []) {
      if (object.Key === undefined) continue;
      out.push({
        key: object.Key,
        etag: object.ETag ?? '',
        size: object.Size ?? 0,
        ...(object.LastModified === undefined ? {} : { lastModified: object.LastModified.toISOString() }),
        ...(object.StorageClass === undefined ? {} : { storageClass: object.StorageClass }),
      });
    }
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return out;
}

/** The object's tags; undefined when the endpoint has no tagging (NotImplemented). */
export async function objectTags(client: S3Client, bucket: string, key: string, signal?: AbortSignal): Promise<Record<string, string> | undefined> {
  try {
    const out = await client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
    return Object.fromEntries((out.TagSet ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'NotImplemented' || name === 'MethodNotAllowed') return undefined;
    throw err;
  }
}

export function headersOf(out: HeadObjectCommandOutput | GetObjectCommandOutput): ObjectHeaders {
  const expires = out.ExpiresString ?? (out.Expires instanceof Date ? out.Expires.toUTCString() : undefined);
  return {
    ...(out.ContentType === undefined ? {} : { contentType: out.ContentType }),
    ...(out.ContentEncoding === undefined ? {} : { contentEncoding: out.ContentEncoding }),
    ...(out.ContentDisposition === undefined ? {} : { contentDisposition: out.ContentDisposition }),
    ...(out.ContentLanguage === undefined ? {} : { contentLanguage: out.ContentLanguage }),
    ...(out.CacheControl === undefined ? {} : { cacheControl: out.CacheControl }),
    ...(expires === undefined ? {} : { expires }),
    metadata: { ...(out.Metadata ?? {}) },
  };
}

export async function headObject(client: S3Client, bucket: string, key: string, signal?: AbortSignal): Promise<ObjectHeaders> {
  return headersOf(await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal }));
}

export interface FetchedObject {
  readonly etag: string;
  readonly size: number;
  readonly headers: ObjectHeaders;
  readonly lastModified?: string;
  /** The bytes: in memory for small objects, the response stream for large ones. */
  readonly body: Buffer | Readable;
}

/** GetObject; small objects are read whole (so several can be fetched ahead), large ones streamed. Undefined when gone. */
export async function fetchObject(client: S3Client, bucket: string, key: string, whole: boolean, signal?: AbortSignal): Promise<FetchedObject | undefined> {
  let out: GetObjectCommandOutput;
  try {
    out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
  } catch (err) {
    if ((err as Error).name === 'NoSuchKey') return undefined;
    throw err;
  }
  const stream = out.Body as Readable;
  let body: Buffer | Readable = stream;
  if (whole) {
    const parts: Buffer[] = [];
    for await (const part of stream) parts.push(part as Buffer);
    body = Buffer.concat(parts);
  }
  return {
    etag: out.ETag ?? '',
    size: out.ContentLength ?? (Buffer.isBuffer(body) ? body.length : 0),
    headers: headersOf(out),
    body,
    ...(out.LastModified === undefined ? {} : { lastModified: out.LastModified.toISOString() }),
  };
}

/** Runs `fn` over `items` with at most `limit` at once; results in order. */
export async function mapLimit<T, U>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<U>, signal?: AbortSignal): Promise<U[]> {
  const results = new Array<U>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      signal?.throwIfAborted();
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
