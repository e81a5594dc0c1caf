/**
 * The one error an S3 vault store raises for a failed request (other than a missing object,
 * which is NotFoundError): it names the storage location (never credentials), the operation and
 * what to do, so that a FAILED job's reason says which storage broke and how.
 */
import { RetriesExhausted } from './s3-retry.js';

export type S3StorageErrorKind = 'Unavailable' | 'Denied' | 'NoSuchBucket' | 'Failed';

export class S3StorageError extends Error {
  readonly code = 'StorageUnavailable';

  constructor(
    readonly kind: S3StorageErrorKind,
    readonly location: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'S3StorageError';
  }
}

interface SdkError {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/** `err` from `operation` on `target` (a blob name, or '' for the store) as an S3StorageError. */
export function s3StorageError(
  { location, bucket, owner }: { readonly location: string; readonly bucket: string; readonly owner?: string | undefined },
  operation: string,
  target: string,
  err: unknown,
): S3StorageError {
  const attempts = err instanceof RetriesExhausted ? err.attempts : 1;
  const last = (err instanceof RetriesExhausted ? err.cause : err) as SdkError | undefined;
  const status = last?.$metadata?.httpStatusCode;
  const what = `${operation}${target === '' ? '' : ` ${target}`}`;
  const at = `the S3 storage${owner === undefined ? '' : ` of ${owner}`} at ${location}`;
  const detail = describe(last);
  if (last?.name === 'NoSuchBucket') {
    return new S3StorageError('NoSuchBucket', location, `${at}: bucket ${bucket} does not exist (${what}); create it, or fix the storage URL`, { cause: err });
  }
  if (status === 403 || last?.name === 'AccessDenied' || last?.name === 'InvalidAccessKeyId' || last?.name === 'SignatureDoesNotMatch') {
    return new S3StorageError(
      'Denied',
      location,
      `${at}: ${what} was refused (${detail}); check the region's storageCredentials or the AWS credentials of the process`,
      {
        cause: err,
      },
    );
  }
  if (attempts > 1) {
    return new S3StorageError(
      'Unavailable',
      location,
      `${at} is unreachable or failing: ${what} failed after ${attempts} attempts (${detail}); check that the server is up`,
      {
        cause: err,
      },
    );
  }
  return new S3StorageError('Failed', location, `${at}: ${what} failed (${detail})`, { cause: err });
}

function describe(err: SdkError | undefined): string {
  if (err === undefined || err === null) return 'unknown error';
  const status = err.$metadata?.httpStatusCode;
  const parts = [
    status === undefined ? undefined : `HTTP ${status}`,
    err.name !== undefined && err.name !== 'Error' ? err.name : undefined,
    err.code,
    err.message,
  ];
  return [...new Set(parts.filter((p): p is string => typeof p === 'string' && p !== ''))].join(': ') || 'unknown error';
}
