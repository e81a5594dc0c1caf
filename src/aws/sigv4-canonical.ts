/**
 * The parts of AWS Signature Version 4 that signer and verifier compute alike: URI encoding, the
 * canonical request (non-S3 path rules), the string to sign and the signing key. Pure functions
 * over strings and bytes; nothing of servers, key storage or accounts.
 */
import { createHash, createHmac } from 'node:crypto';
import type { QueryPairs } from './query-string.js';
import { headerValues } from './wire-message.js';
import type { WireHeaders } from './wire-message.js';

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

/** SigV4's URI encoding: every UTF-8 byte except A-Z a-z 0-9 - . _ ~ as upper-case %XY. */
export function uriEncode(text: string): string {
  if (/^[A-Za-z0-9\-._~]*$/.test(text)) return text;
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * The canonical path for every service but S3: dot segments and empty segments removed, then
 * each raw segment (still percent-encoded as it arrived) URI-encoded once more. That second
 * encoding is why a label such as `arn%3Aaws%3A...` is signed as `arn%253Aaws%253A...`.
 */
export function canonicalPath(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return `/${segments.map(uriEncode).join('/')}${trailing}`;
}

/** Decoded pairs re-encoded, sorted by key then value, `omit` (the signature itself) left out. */
export function canonicalQuery(pairs: QueryPairs, omit?: string): string {
  return pairs
    .filter(([key]) => key !== omit)
    .map(([key, value]) => `${uriEncode(key)}=${uriEncode(value)}`)
    .sort(compareQueryPairs)
    .join('&');
}

function compareQueryPairs(a: string, b: string): number {
  const [ak = '', av = ''] = a.split('=');
  const [bk = '', bv = ''] = b.split('=');
  if (ak !== bk) return ak < bk ? -1 : 1;
  return av < bv ? -1 : av > bv ? 1 : 0;
}

/** `name:value\n` per signed header; repeated values joined by commas, whitespace runs collapsed. */
export function canonicalHeaders(signedHeaders: readonly string[], headers: WireHeaders): string {
  return signedHeaders
    .map(
      (name) =>
        `${name}:${headerValues(headers, name)
          .map((v) => v.trim().replace(/\s+/g, ' '))
          .join(',')}\n`,
    )
    .join('');
}

export interface CanonicalRequestParts {
  readonly method: string;
  readonly rawPath: string;
  readonly query: QueryPairs;
  readonly omitQueryKey?: string;
  readonly headers: WireHeaders;
  readonly signedHeaders: readonly string[];
  readonly payloadHash: string;
}

export function canonicalRequest(parts: CanonicalRequestParts): string {
  return [
    parts.method.toUpperCase(),
    canonicalPath(parts.rawPath),
    canonicalQuery(parts.query, parts.omitQueryKey),
    canonicalHeaders(parts.signedHeaders, parts.headers),
    parts.signedHeaders.join(';'),
    parts.payloadHash,
  ].join('\n');
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function stringToSign(timestamp: string, scope: string, canonical: string): string {
  return `${SIGV4_ALGORITHM}\n${timestamp}\n${scope}\n${sha256Hex(canonical)}`;
}

/** HMAC chain secret -> date -> region -> service -> aws4_request, then the hex signature. */
export function signatureHex(secret: string, scope: readonly [date: string, region: string, service: string], toSign: string): string {
  let key: Buffer = Buffer.from(`AWS4${secret}`, 'utf8');
  for (const part of [...scope, 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  return createHmac('sha256', key).update(toSign).digest('hex');
}
