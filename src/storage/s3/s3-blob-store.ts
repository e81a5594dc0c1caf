/**
 * S3BlobStore: a BlobStore on an S3-compatible bucket, in restic's s3 layout: blob `name` is the
 * object `<prefix>/<name>` (`config`, `keys/<id>`, `data/ab/<id>`, `index/`, `snapshots/`,
 * `locks/`), so `restic -r s3:...` opens the same repository.
 *
 * Atomicity comes from S3 itself: a PUT (or a completed multipart upload) appears whole or not
 * at all, so there are no temp objects. A writer keeps its bytes in memory (a pack is 16 MiB)
 * and uploads them on commit, in one PUT, or in parts of `partSize` sent concurrently when the
 * file is at least `multipartThreshold` long; a failed multipart upload is aborted, and
 * `removeDeadTemp` aborts uploads that writers gone for an hour left open (they cost storage
 * but are invisible to readers).
 *
 * Every request goes through one limit on requests in flight, is retried on 5xx, throttling,
 * timeouts and resets (s3-retry.ts), has connect and request timeouts, and is cancelled by the
 * store's stop signal (except removals: a stopped job still removes its lock). Failures other than a missing object are S3StorageErrors naming the
 * location.
 */
import { setMaxListeners } from 'node:events';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { silenceNodeVersionSupportWarning } from '../../aws-sdk/node-version-warning.js';
import { blobParts, NotFoundError } from '../blob-store.js';
import type { BlobData, BlobInfo, BlobStore, BlobWriter, TempSweep } from '../blob-store.js';
import { BufferedBlobWriter } from '../buffered-blob-writer.js';
import { assertValidBlobName, assertValidBlobPrefix, assertValidRange, outOfRangeError } from '../local-blob-store.js';
import { RequestLimit } from './request-limit.js';
import { formatS3Location } from './s3-location.js';
import type { S3Location } from './s3-location.js';
import { DEFAULT_RETRY, withRetries } from './s3-retry.js';
import type { RetryPolicy } from './s3-retry.js';
import { s3StorageError } from './s3-storage-error.js';

export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

export interface S3StoreOptions {
  /** Explicit credentials; otherwise the AWS SDK's chain (environment variables, shared files, ...). */
  readonly credentials?: S3Credentials | undefined;
  /** Signing region; default AWS_REGION / AWS_DEFAULT_REGION, else the location's, else us-east-1. */
  readonly region?: string | undefined;
  /** Requests in flight at once, per store (default 16). */
  readonly concurrency?: number | undefined;
  /** Size of the parts of a multipart upload (default 8 MiB; S3's minimum is 5 MiB). */
  readonly partSize?: number | undefined;
  /** Files at least this long are uploaded in parts (default 16 MiB). */
  readonly multipartThreshold?: number | undefined;
  readonly retry?: RetryPolicy | undefined;
  /** Connect timeout (default 10 s) and the longest one request may take until its answer begins (default 5 min). */
  readonly connectTimeoutMs?: number | undefined;
  readonly requestTimeoutMs?: number | undefined;
  /**
   * The longest a connection may stay silent, sending or receiving, a body included (default
   * 60 s): a server that hangs mid-request fails the attempt (retried) instead of holding the job.
   */
  readonly idleTimeoutMs?: number | undefined;
  /** Stops every request of this store (a job's stop signal). */
  readonly signal?: AbortSignal | undefined;
  /** Whose storage this is, for failure messages (`backup vault daily`). */
  readonly owner?: string | undefined;
  /** A client to share (one connection pool per endpoint and credentials); made from the above when absent. */
  readonly client?: S3Client | undefined;
}

const MIB = 1024 * 1024;
/** Multipart uploads older than this with no writer left are aborted by `removeDeadTemp`. */
const DEAD_UPLOAD_MS = 60 * 60 * 1000;

/** A client for `location`: path-style for S3-compatible servers, with timeouts and no SDK retries (the store retries). */
export function createS3Client(location: S3Location, options: S3StoreOptions = {}): S3Client {
  silenceNodeVersionSupportWarning();
  const region = options.region ?? process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? location.region ?? 'us-east-1';
  const agent = { keepAlive: true, maxSockets: Math.max(options.concurrency ?? 16, 4) };
  return new S3Client({
    region,
    ...(location.endpoint === undefined ? { followRegionRedirects: true } : { endpoint: location.endpoint, forcePathStyle: true }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    maxAttempts: 1,
    // Many S3-compatible servers reject the SDK's newer default checksums; restic checks every byte by its hash anyway.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      connectionTimeout: options.connectTimeoutMs ?? 10_000,
      requestTimeout: options.requestTimeoutMs ?? 5 * 60_000,
      socketTimeout: options.idleTimeoutMs ?? 60_000,
      throwOnRequestTimeout: true,
      httpAgent: agent,
      httpsAgent: agent,
    },
  });
}

export class S3BlobStore implements BlobStore {
  readonly location: string;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly keyPrefix: string;
  private readonly limit: RequestLimit;
  private readonly retry: RetryPolicy;
  private readonly partSize: number;
  private readonly multipartThreshold: number;
  private readonly signal: AbortSignal | undefined;
  private readonly owner: string | undefined;

  constructor(s3: S3Location, options: S3StoreOptions = {}) {
    this.location = formatS3Location(s3);
    this.client = options.client ?? createS3Client(s3, options);
    this.bucket = s3.bucket;
    this.keyPrefix = s3.prefix === '' ? '' : `${s3.prefix}/`;
    this.limit = new RequestLimit(options.concurrency ?? 16);
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.partSize = Math.max(options.partSize ?? 8 * MIB, 5 * MIB);
    this.multipartThreshold = Math.max(options.multipartThreshold ?? 16 * MIB, this.partSize);
    this.signal = requestSignal(options.signal, options.concurrency ?? 16);
    this.owner = options.owner;
  }

  async write(name: string, data: BlobData): Promise<void> {
    assertValidBlobName(name);
    const parts = blobParts(data);
    const body = parts.length === 1 ? Buffer.from(parts[0]!.buffer, parts[0]!.byteOffset, parts[0]!.byteLength) : Buffer.concat(parts);
    if (body.length >= this.multipartThreshold) await this.putInParts(name, body);
    else
      await this.send('PutObject', name, (abortSignal) =>
        this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.key(name), Body: body }), { abortSignal }),
      );
  }

  async openWriter(): Promise<BlobWriter> {
    return new BufferedBlobWriter((name, parts) => this.write(name, parts));
  }

  async read(name: string, offset?: number, length?: number): Promise<Buffer> {
    assertValidBlobName(name);
    assertValidRange(offset, length);
    const start = offset ?? 0;
    if (length === 0 || (offset !== undefined && length === undefined)) {
      // S3 cannot answer an empty range, nor `bytes=N-` at the very end: these need the size.
      const info = await this.stat(name);
      if (info === undefined) throw new NotFoundError(name, this.location);
      if (start > info.size) throw outOfRangeError(name, start, length ?? 0, info.size);
      if (length === 0 || start === info.size) return Buffer.alloc(0);
    }
    const range = offset === undefined && length === undefined ? undefined : `bytes=${start}-${length === undefined ? '' : start + length - 1}`;
    const body = await this.send('GetObject', name, async (abortSignal) => {
      try {
        const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(name), Range: range }), { abortSignal });
        const bytes = (await res.Body?.transformToByteArray()) ?? new Uint8Array(0);
        return { bytes, size: totalSize(res.ContentRange) ?? res.ContentLength };
      } catch (err) {
        if (isStatus(err, 416)) return undefined;
        throw err;
      }
    });
    if (body === undefined) {
      const size = (await this.stat(name))?.size;
      if (size === undefined) throw new NotFoundError(name, this.location);
      throw outOfRangeError(name, start, length ?? 0, size);
    }
    if (length !== undefined && body.bytes.length !== length) throw outOfRangeError(name, start, length, body.size ?? start + body.bytes.length);
    return Buffer.from(body.bytes.buffer, body.bytes.byteOffset, body.bytes.byteLength);
  }

  async stat(name: string): Promise<BlobInfo | undefined> {
    assertValidBlobName(name);
    try {
      const res = await this.send('HeadObject', name, (abortSignal) =>
        this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(name) }), { abortSignal }),
      );
      return { name, size: res.ContentLength ?? 0 };
    } catch (err) {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }
  }

  async list(prefix: string): Promise<BlobInfo[]> {
    assertValidBlobPrefix(prefix);
    const out: BlobInfo[] = [];
    for (const object of await this.objects(this.keyPrefix + prefix)) {
      const name = object.key.slice(this.keyPrefix.length);
      // Folder markers (`data/`) that some tools create are not files.
      if (name !== '' && !name.endsWith('/')) out.push({ name, size: object.size });
    }
    return out;
  }

  async remove(name: string): Promise<void> {
    assertValidBlobName(name);
    // Never cancelled: removing is how a stopped job cleans up after itself (its lock above all).
    await this.send('DeleteObject', name, () => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(name) })), false);
  }

  /** The folders directly below the prefix (`<prefix>/<folder>/...`), e.g. a vault's key repositories. */
  async folders(): Promise<string[]> {
    const out: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.send('ListObjectsV2', '', (abortSignal) =>
        this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.keyPrefix, Delimiter: '/', ContinuationToken: token }), { abortSignal }),
      );
      for (const common of page.CommonPrefixes ?? []) {
        const folder = common.Prefix?.slice(this.keyPrefix.length).replace(/\/$/, '');
        if (folder !== undefined && folder !== '' && !folder.startsWith('.')) out.push(folder);
      }
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return out;
  }

  /** Deletes every object below the prefix (a removed vault's skeleton, a sandbox reset). */
  async removeAll(): Promise<void> {
    if (this.keyPrefix === '') throw new Error(`refusing to empty the whole bucket of ${this.location}`);
    const objects = await this.objects(this.keyPrefix);
    await Promise.all(
      objects.map(({ key }) =>
        this.send('DeleteObject', key, (abortSignal) => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }), { abortSignal })),
      ),
    );
  }

  /** Every object whose key starts with `keyPrefix`, page by page. */
  private async objects(keyPrefix: string): Promise<Array<{ key: string; size: number }>> {
    const out: Array<{ key: string; size: number }> = [];
    let token: string | undefined;
    do {
      const page = await this.send('ListObjectsV2', keyPrefix.slice(this.keyPrefix.length), (abortSignal) =>
        this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: keyPrefix, ContinuationToken: token }), { abortSignal }),
      );
      for (const object of page.Contents ?? []) if (object.Key !== undefined) out.push({ key: object.Key, size: object.Size ?? 0 });
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return out;
  }

  /** Aborts multipart uploads under the prefix that were started more than an hour ago (their writers are gone). */
  async removeDeadTemp(): Promise<TempSweep> {
    let files = 0;
    let keyMarker: string | undefined;
    let uploadMarker: string | undefined;
    const cutoff = Date.now() - DEAD_UPLOAD_MS;
    do {
      const page = await this.send('ListMultipartUploads', '', (abortSignal) =>
        this.client.send(new ListMultipartUploadsCommand({ Bucket: this.bucket, Prefix: this.keyPrefix, KeyMarker: keyMarker, UploadIdMarker: uploadMarker }), {
          abortSignal,
        }),
      );
      for (const upload of page.Uploads ?? []) {
        if (upload.Key === undefined || upload.UploadId === undefined || (upload.Initiated?.getTime() ?? 0) > cutoff) continue;
        await this.abortUpload(upload.Key.slice(this.keyPrefix.length), upload.UploadId);
        files++;
      }
      const more = page.IsTruncated === true;
      keyMarker = more ? page.NextKeyMarker : undefined;
      uploadMarker = more ? page.NextUploadIdMarker : undefined;
    } while (keyMarker !== undefined);
    return { files, bytes: 0 };
  }

  /** One multipart upload of `body`: parts sent concurrently (within the store's limit), aborted on failure. */
  private async putInParts(name: string, body: Buffer): Promise<void> {
    const key = this.key(name);
    const created = await this.send('CreateMultipartUpload', name, (abortSignal) =>
      this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key }), { abortSignal }),
    );
    const uploadId = created.UploadId!;
    try {
      const count = Math.ceil(body.length / this.partSize);
      const parts = await Promise.all(
        Array.from({ length: count }, async (_, i) => {
          const chunk = body.subarray(i * this.partSize, Math.min(body.length, (i + 1) * this.partSize));
          const res = await this.send('UploadPart', name, (abortSignal) =>
            this.client.send(new UploadPartCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, PartNumber: i + 1, Body: chunk }), { abortSignal }),
          );
          return { PartNumber: i + 1, ETag: res.ETag };
        }),
      );
      await this.send('CompleteMultipartUpload', name, (abortSignal) =>
        this.client.send(new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts } }), {
          abortSignal,
        }),
      );
    } catch (err) {
      await this.abortUpload(name, uploadId).catch(() => undefined);
      throw err;
    }
  }

  private async abortUpload(name: string, uploadId: string): Promise<void> {
    await this.send('AbortMultipartUpload', name, (abortSignal) =>
      this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.key(name), UploadId: uploadId }), { abortSignal }),
    );
  }

  private key(name: string): string {
    return this.keyPrefix + name;
  }

  /**
   * Sends one request within the limit, with retries; a missing object becomes NotFoundError,
   * any other failure an S3StorageError naming the location.
   */
  private async send<T>(operation: string, target: string, request: (signal: AbortSignal | undefined) => Promise<T>, stoppable = true): Promise<T> {
    const signal = stoppable ? this.signal : undefined;
    try {
      return await withRetries(this.retry, signal, () => this.limit.run(() => request(signal)));
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      if (isStatus(err, 404) && nameOf(err) !== 'NoSuchBucket') throw new NotFoundError(target, this.location);
      throw s3StorageError({ location: this.location, bucket: this.bucket, owner: this.owner }, operation, target, err);
    }
  }
}

/**
 * The store's own signal, following the job's `stop`: every request in flight and every retry
 * waiting listens to it (twice the concurrency at most), which is more than Node's default of 10
 * listeners per signal would allow without a MaxListenersExceededWarning on the server's stderr;
 * the job's signal itself gets one listener per store.
 */
function requestSignal(stop: AbortSignal | undefined, concurrency: number): AbortSignal | undefined {
  if (stop === undefined) return undefined;
  const own = new AbortController();
  setMaxListeners(2 * concurrency + 8, own.signal);
  if (stop.aborted) own.abort(stop.reason);
  else stop.addEventListener('abort', () => own.abort(stop.reason), { once: true });
  return own.signal;
}

function nameOf(err: unknown): string | undefined {
  return (err as { name?: string } | undefined)?.name;
}

function isStatus(err: unknown, status: number): boolean {
  return (err as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode === status;
}

/** The object's size from a `bytes a-b/size` Content-Range. */
function totalSize(contentRange: string | undefined): number | undefined {
  const m = contentRange === undefined ? null : /\/(\d+)$/.exec(contentRange);
  return m === null ? undefined : Number(m[1]);
}
