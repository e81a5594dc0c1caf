/**
 * Restoring objects into a bucket: the target is checked first (a new bucket must not exist; in
 * an existing one no object may be overwritten unless asked), then each object is written with
 * its content headers, user metadata and tags: PutObject up to PART_SIZE, a multipart upload
 * above. Objects are written a few at a time; what was written is counted so a failure can say.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  HeadBucketCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { CompletedPart, S3Client } from '@aws-sdk/client-s3';
import { ConnectorError } from '../connector.js';
import type { ObjectFailure } from '../connector.js';
import { unwritableObject } from './object-failures.js';
import { errorKind } from '../aws-endpoint/endpoint-error.js';
import { listObjects, mapLimit } from './bucket-reader.js';
import type { ManifestEntry } from './object-manifest.js';

/** Objects up to this size are sent in one PutObject; larger ones in parts of this size. */
export const PART_SIZE = 16 * 1024 * 1024;

export interface RestoreTarget {
  readonly bucket: string;
  readonly newBucket: boolean;
  readonly overwrite: boolean;
  readonly region: string;
}

export interface WrittenSoFar {
  objects: number;
  bytes: number;
  bucketCreated: boolean;
}

/** Refuses the restore (before anything is written) when the target is not as asked. */
export async function prepareTarget(
  client: S3Client,
  target: RestoreTarget,
  keys: readonly string[],
  prefix: string,
  written: WrittenSoFar,
  signal?: AbortSignal,
): Promise<void> {
  const exists = await client.send(new HeadBucketCommand({ Bucket: target.bucket }), { abortSignal: signal }).then(
    () => true,
    (err: unknown) => {
      if (errorKind(err) === 'missing' || (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
      throw err;
    },
  );
  if (target.newBucket) {
    if (exists)
      throw new ConnectorError(
        'Refused',
        `bucket ${target.bucket} already exists and NewBucket is true; name a new bucket, or set NewBucket to false to restore into it`,
      );
    await client
      .send(
        new CreateBucketCommand({
          Bucket: target.bucket,
          ...(target.region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: target.region as never } }),
        }),
        { abortSignal: signal },
      )
      .catch((err: unknown) => {
        if (errorKind(err) === 'exists')
          throw new ConnectorError('Refused', `bucket ${target.bucket} already exists (owned by someone else); name another bucket`);
        throw err;
      });
    written.bucketCreated = true;
    return;
  }
  if (!exists) throw new ConnectorError('Refused', `bucket ${target.bucket} does not exist and NewBucket is false; create it first or set NewBucket to true`);
  if (target.overwrite) return;
  const present = new Set((await listObjects(client, target.bucket, prefix, signal)).map((o) => o.key));
  const clashes = keys.filter((key) => present.has(key));
  if (clashes.length > 0) {
    const shown = clashes.slice(0, 3).join(', ');
    throw new ConnectorError(
      'Refused',
      `${clashes.length} of the ${keys.length} objects to restore already exist in bucket ${target.bucket} (${shown}${clashes.length > 3 ? ', ...' : ''}); nothing was written. Set OverwriteExistingObjects to true to replace them, or choose another DestinationPrefix or bucket`,
    );
  }
}

export type ContentReader = (entry: ManifestEntry) => AsyncIterable<Uint8Array>;

/**
 * Writes every object; `keyOf` gives its key in the target. With `failures`, an object the target
 * refuses alone (HTTP 4xx: denied, key too long, ...) is recorded there and the others go on.
 */
export async function writeObjects(
  client: S3Client,
  bucket: string,
  entries: readonly ManifestEntry[],
  keyOf: (entry: ManifestEntry) => string,
  read: ContentReader,
  written: WrittenSoFar,
  options: { concurrency?: number; signal?: AbortSignal; onBytes?: (n: number) => void; failures?: ObjectFailure[] } = {},
): Promise<void> {
  await mapLimit(
    entries,
    options.concurrency ?? 4,
    async (entry) => {
      const key = keyOf(entry);
      try {
        if (entry.size <= PART_SIZE) await putWhole(client, bucket, key, entry, read, options.signal);
        else await putInParts(client, bucket, key, entry, read, options.signal);
      } catch (err) {
        const refused = unwritableObject(err);
        if (options.failures === undefined || refused === undefined) throw err;
        options.failures.push({ key, reason: refused });
        return;
      }
      written.objects += 1;
      written.bytes += entry.size;
      options.onBytes?.(entry.size);
    },
    options.signal,
  );
}

function headerInput(entry: ManifestEntry) {
  const tags = Object.entries(entry.tags);
  return {
    ...(entry.contentType === undefined ? {} : { ContentType: entry.contentType }),
    ...(entry.contentEncoding === undefined ? {} : { ContentEncoding: entry.contentEncoding }),
    ...(entry.contentDisposition === undefined ? {} : { ContentDisposition: entry.contentDisposition }),
    ...(entry.contentLanguage === undefined ? {} : { ContentLanguage: entry.contentLanguage }),
    ...(entry.cacheControl === undefined ? {} : { CacheControl: entry.cacheControl }),
    ...(entry.expires === undefined ? {} : { Expires: new Date(entry.expires) }),
    Metadata: { ...entry.metadata },
    ...(tags.length === 0 ? {} : { Tagging: tags.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&') }),
  };
}

async function putWhole(client: S3Client, bucket: string, key: string, entry: ManifestEntry, read: ContentReader, signal?: AbortSignal): Promise<void> {
  const parts: Uint8Array[] = [];
  for await (const part of read(entry)) parts.push(part);
  const body = Buffer.concat(parts);
  if (body.length !== entry.size) throw new Error(`object ${entry.key}: the recovery point holds ${body.length} bytes, the manifest says ${entry.size}`);
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: body.length, ...headerInput(entry) }), { abortSignal: signal });
}

async function putInParts(client: S3Client, bucket: string, key: string, entry: ManifestEntry, read: ContentReader, signal?: AbortSignal): Promise<void> {
  const upload = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ...headerInput(entry) }), { abortSignal: signal });
  const uploadId = upload.UploadId;
  // S3 allows 10,000 parts: objects over ~156 GiB need larger parts.
  const partSize = Math.max(PART_SIZE, Math.ceil(entry.size / 9000 / (1024 * 1024)) * 1024 * 1024);
  if (uploadId === undefined) throw new Error(`object ${key}: CreateMultipartUpload answered no UploadId`);
  try {
    const done: CompletedPart[] = [];
    const send = async (data: Buffer): Promise<void> => {
      const PartNumber = done.length + 1;
      const out = await client.send(
        new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber, Body: data, ContentLength: data.length }),
        { abortSignal: signal },
      );
      done.push({ PartNumber, ETag: out.ETag });
    };
    let pending: Buffer[] = [];
    let size = 0;
    for await (const chunk of read(entry)) {
      pending.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      size += chunk.byteLength;
      while (size >= partSize) {
        const all = Buffer.concat(pending);
        await send(all.subarray(0, partSize));
        pending = [all.subarray(partSize)];
        size = all.length - partSize;
      }
    }
    if (size > 0 || done.length === 0) await send(Buffer.concat(pending));
    await client.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: done } }), {
      abortSignal: signal,
    });
  } catch (err) {
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })).catch(() => undefined);
    throw err;
  }
}
