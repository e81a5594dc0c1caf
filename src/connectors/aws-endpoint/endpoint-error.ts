/**
 * Turns what an AWS SDK call threw into a ConnectorError whose message names the resource and the
 * cause (endpoint down, credentials refused, resource missing, throttled). SDK errors carry
 * request details, so only their name, HTTP status and message are used, never the request.
 */
import { ConnectorError } from '../connector.js';
import type { ConnectorErrorKind } from '../connector.js';

interface SdkErrorShape {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly cause?: unknown;
  readonly errors?: unknown;
}

export type ErrorKind = 'unreachable' | 'auth' | 'missing' | 'exists' | 'throttled' | 'aborted' | 'other';

const AUTH_NAMES = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'AccessDeniedException',
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredTokenException',
  'ExpiredToken',
  'InvalidClientTokenId',
  'MissingAuthenticationToken',
  'IncompleteSignatureException',
  'InvalidToken',
  'CredentialsProviderError',
]);
const MISSING_NAMES = new Set(['ResourceNotFoundException', 'NoSuchBucket', 'NotFound', 'TableNotFoundException']);
const EXISTS_NAMES = new Set(['ResourceInUseException', 'TableAlreadyExistsException', 'BucketAlreadyExists', 'BucketAlreadyOwnedByYou']);
const THROTTLE_NAMES = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded', 'SlowDown']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

export function errorKind(err: unknown): ErrorKind {
  const e = (err ?? {}) as SdkErrorShape;
  const name = e.name ?? '';
  if (name === 'AbortError') return 'aborted';
  if (networkCode(err) !== undefined || name === 'TimeoutError') return 'unreachable';
  if (AUTH_NAMES.has(name) || e.$metadata?.httpStatusCode === 403) return 'auth';
  if (MISSING_NAMES.has(name)) return 'missing';
  if (EXISTS_NAMES.has(name)) return 'exists';
  if (THROTTLE_NAMES.has(name)) return 'throttled';
  return 'other';
}

/** The network error code (ECONNREFUSED, ...) in the error or its causes. */
export function networkCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; typeof e === 'object' && e !== null && depth < 5; depth += 1) {
    const { code, errors, cause } = e as SdkErrorShape;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    if (Array.isArray(errors)) {
      for (const inner of errors) {
        const found = networkCode(inner);
        if (found !== undefined) return found;
      }
    }
    e = cause;
  }
  return undefined;
}

/** A short cause: `connection refused (ECONNREFUSED)`, `UnrecognizedClientException: ...`. */
export function causeOf(err: unknown): string {
  const code = networkCode(err);
  if (code !== undefined) return code === 'ECONNREFUSED' ? 'connection refused (ECONNREFUSED)' : `network error ${code}`;
  const e = (err ?? {}) as SdkErrorShape;
  const name = e.name !== undefined && e.name !== 'Error' ? e.name : undefined;
  const status = e.$metadata?.httpStatusCode;
  const message = typeof e.message === 'string' && e.message !== '' && e.message !== 'UnknownError' && e.message !== name ? e.message : undefined;
  const parts = [name, message].filter((part): part is string => part !== undefined);
  const text = parts.length > 0 ? parts.join(': ') : String(err);
  return status !== undefined && status !== 200 ? `${text} (HTTP ${status})` : text;
}

const KIND_OF: Readonly<Record<ErrorKind, ConnectorErrorKind>> = {
  unreachable: 'Unavailable',
  auth: 'Unavailable',
  missing: 'NotFound',
  exists: 'Refused',
  throttled: 'Failed',
  aborted: 'Failed',
  other: 'Failed',
};

/**
 * A ConnectorError for `what` (e.g. "table Orders") at `endpoint`: "table Orders at
 * http://127.0.0.1:8000: the endpoint is unreachable: connection refused (ECONNREFUSED)".
 * A ConnectorError passes through unchanged.
 */
export function endpointFailure(what: string, endpoint: string, err: unknown): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const cause = causeOf(err);
  const kind = errorKind(err);
  const message = {
    unreachable: `${what}: the endpoint ${endpoint} is unreachable: ${cause}`,
    auth: `${what}: ${endpoint} refused the credentials: ${cause}`,
    missing: `${what} does not exist at ${endpoint} (${cause})`,
    exists: `${what} already exists at ${endpoint} (${cause})`,
    throttled: `${what}: ${endpoint} kept throttling the requests: ${cause}`,
    aborted: `${what}: stopped (${cause})`,
    other: `${what} at ${endpoint}: ${cause}`,
  }[kind];
  // No `cause`: SDK errors carry request details that have no place in logs.
  return new ConnectorError(KIND_OF[kind], message);
}
