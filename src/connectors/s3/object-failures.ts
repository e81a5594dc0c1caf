/**
 * One object that a bucket backup cannot read, or a restore cannot write, while the others can:
 * which errors mean "this object" rather than "this endpoint", the reason in a user's words, and
 * the StatusMessage sentence that lists them. An endpoint that is down, refuses the credentials
 * or loses the bucket still fails the whole job; one archived or denied object does not.
 */
import type { ObjectFailure } from '../connector.js';
import { causeOf, errorKind } from '../aws-endpoint/endpoint-error.js';

interface SdkError {
  readonly name?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/** Errors about the request as a whole (credentials, the bucket, throttling): never one object's. */
const WHOLE_REQUEST = new Set(['NoSuchBucket', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'RequestTimeout', 'SlowDown', 'AbortError']);

/** Why the object cannot be read, when the error is about it alone; undefined when the job must fail. */
export function unreadableObject(err: unknown, storageClass: string | undefined): string | undefined {
  const name = (err as SdkError).name;
  if (name === 'InvalidObjectState')
    return `it is archived${storageClass === undefined ? '' : ` in storage class ${storageClass}`} and not restored; restore it with S3 RestoreObject (or change its storage class) before the next backup`;
  if (name === 'AccessDenied')
    return 'the endpoint denied reading it (AccessDenied); allow s3:GetObject and s3:GetObjectTagging on it for the credentials Coffer uses';
  return undefined;
}

/** Why the object cannot be written, when the target refused it alone (HTTP 4xx); undefined when the job must fail. */
export function unwritableObject(err: unknown): string | undefined {
  const e = err as SdkError;
  const status = e.$metadata?.httpStatusCode;
  if (status === undefined || status < 400 || status > 499 || status === 404 || status === 408 || status === 429) return undefined;
  if (WHOLE_REQUEST.has(e.name ?? '') || errorKind(err) === 'unreachable' || errorKind(err) === 'aborted') return undefined;
  if (status === 403 && e.name !== 'AccessDenied') return undefined;
  return `the target refused it: ${causeOf(err)}`;
}

const LISTED = 5;

/** "2 objects could not be backed up and are not in the recovery point: a (why); b (why)." */
export function objectFailureSentence(failures: readonly ObjectFailure[], verb: 'backed up' | 'restored'): string | undefined {
  if (failures.length === 0) return undefined;
  const listed = failures.slice(0, LISTED).map((f) => `${f.key} (${f.reason})`);
  const more = failures.length > LISTED ? `; and ${failures.length - LISTED} more` : '';
  const one = failures.length === 1;
  const where = verb === 'backed up' ? `${one ? 'is' : 'are'} not in the recovery point` : `${one ? 'was' : 'were'} not written`;
  const count = one ? '1 object' : `${failures.length} objects`;
  return `${count} could not be ${verb} and ${where}: ${listed.join('; ')}${more}.`;
}
