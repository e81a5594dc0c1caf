/**
 * Verifies AWS Signature Version 4 on an incoming request (Authorization header or presigned
 * query string) and says who signed it: access key, account, and the region and service of the
 * credential scope. The payload hash is always computed from the body received, never taken
 * from `x-amz-content-sha256`. Knows HTTP requests and a key lookup, nothing of storage.
 */
import { timingSafeEqual } from 'node:crypto';
import { AwsError } from './errors.js';
import { parseQuery } from './query-string.js';
import { canonicalRequest, sha256Hex, signatureHex, stringToSign } from './sigv4-canonical.js';
import { formatBasicTimestamp, parseBasicTimestamp, readSigV4Params } from './sigv4-params.js';
import type { SigV4Params } from './sigv4-params.js';
import type { WireRequest } from './wire-message.js';

export interface AccessKeySecret {
  readonly secret: string;
  readonly accountId: string;
  /** The principal the key acts as when not the account root (an STS session's assumed role). */
  readonly principal?: string;
  /** GetCallerIdentity's UserId for that principal. */
  readonly userId?: string;
}

export interface SigV4Identity {
  readonly accessKeyId: string;
  readonly accountId: string;
  readonly region: string;
  readonly service: string;
  readonly principal?: string;
  readonly userId?: string;
}

export interface SigV4Clock {
  now(): Date;
}

export interface SigV4Options {
  readonly secretFor: (accessKeyId: string) => AccessKeySecret | undefined;
  readonly clock: SigV4Clock;
  /** Set only in sandbox mode: an unknown access key is this account, its signature unchecked. */
  readonly sandboxAccountId?: string;
}

/** How far a signer's clock may be from ours (AWS allows 15 minutes either way). */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

export function verifySigV4(request: WireRequest, options: SigV4Options): SigV4Identity {
  const query = parseQuery(request.rawQuery);
  const params = readSigV4Params(query, request.headers);
  const identity = (accountId: string, key?: AccessKeySecret): SigV4Identity => ({
    accessKeyId: params.accessKeyId,
    accountId,
    region: params.scope.region,
    service: params.scope.service,
    ...(key?.principal !== undefined && { principal: key.principal }),
    ...(key?.userId !== undefined && { userId: key.userId }),
  });
  const key = options.secretFor(params.accessKeyId);
  if (key === undefined) {
    if (options.sandboxAccountId !== undefined) return identity(options.sandboxAccountId);
    throw new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.', { status: 403 });
  }
  checkScope(params);
  const scope = [params.scope.date, params.scope.region, params.scope.service] as const;
  const canonical = canonicalRequest({
    method: request.method,
    rawPath: request.rawPath,
    query,
    ...(params.form === 'query' ? { omitQueryKey: 'X-Amz-Signature' } : {}),
    headers: request.headers,
    signedHeaders: params.signedHeaders,
    payloadHash: sha256Hex(request.body),
  });
  const toSign = stringToSign(params.timestamp, `${scope.join('/')}/aws4_request`, canonical);
  if (!sameSignature(signatureHex(key.secret, scope, toSign), params.signature)) {
    throw invalidSignature(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.'
        + `\n\nThe Canonical String for this request should have been\n'${canonical}'\n\nThe String-to-Sign should have been\n'${toSign}'\n`,
    );
  }
  checkTime(params, options.clock.now());
  return identity(key.accountId, key);
}

function invalidSignature(message: string): AwsError {
  return new AwsError('InvalidSignatureException', message, { status: 403 });
}

function checkScope(params: SigV4Params): void {
  if (params.scope.terminator !== 'aws4_request') {
    throw invalidSignature(`Credential should be scoped with a valid terminator: 'aws4_request', not '${params.scope.terminator}'.`);
  }
  if (Number.isNaN(parseBasicTimestamp(params.timestamp).getTime())) {
    throw new AwsError('IncompleteSignatureException', `'${params.timestamp}' from '${params.timestampSource}' is not a valid date.`, { status: 400 });
  }
  const day = params.timestamp.slice(0, 8);
  if (params.scope.date !== day) {
    throw invalidSignature(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${params.scope.date}' != '${day}', from '${params.timestampSource}'.`,
    );
  }
}

/** Equal-length hex compared in constant time; a length mismatch reveals nothing secret. */
function sameSignature(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A header signature is good within 15 minutes of our clock either way; a presigned one from
 * 15 minutes before its date until its expiry.
 */
function checkTime(params: SigV4Params, now: Date): void {
  const signedAt = parseBasicTimestamp(params.timestamp).getTime();
  const nowText = formatBasicTimestamp(now);
  const earliest = new Date(now.getTime() - MAX_CLOCK_SKEW_MS);
  const latest = new Date(now.getTime() + MAX_CLOCK_SKEW_MS);
  if (signedAt > latest.getTime()) {
    throw invalidSignature(`Signature not yet current: ${params.timestamp} is still later than ${formatBasicTimestamp(latest)} (${nowText} + 15 min.)`);
  }
  if (params.expiresSeconds !== undefined) {
    const expiresAt = new Date(signedAt + params.expiresSeconds * 1000);
    if (expiresAt.getTime() < now.getTime()) {
      throw invalidSignature(
        `Signature expired: ${formatBasicTimestamp(expiresAt)} is now earlier than ${nowText} (${params.timestamp} + ${params.expiresSeconds} s).`,
      );
    }
  } else if (signedAt < earliest.getTime()) {
    throw invalidSignature(`Signature expired: ${params.timestamp} is now earlier than ${formatBasicTimestamp(earliest)} (${nowText} - 15 min.)`);
  }
}
