/**
 * Reads the SigV4 parameters of a request, from the Authorization header or from a presigned
 * query string, and refuses malformed ones with the exceptions AWS uses. Checks only form: keys,
 * signatures and clocks are sigv4.ts's business.
 */
import { AwsError } from './errors.js';
import { queryValues } from './query-string.js';
import type { QueryPairs } from './query-string.js';
import { SIGV4_ALGORITHM } from './sigv4-canonical.js';
import { headerValue } from './wire-message.js';
import type { WireHeaders } from './wire-message.js';

export interface CredentialScope {
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly terminator: string;
}

export interface SigV4Params {
  readonly form: 'header' | 'query';
  readonly accessKeyId: string;
  readonly scope: CredentialScope;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  /** The request time in SigV4's basic ISO-8601 form, `20240528T120000Z`. */
  readonly timestamp: string;
  /** Where the time came from, for messages: `x-amz-date`, `date` or `X-Amz-Date`. */
  readonly timestampSource: string;
  /** Presigned requests only: seconds the signature stays valid. */
  readonly expiresSeconds: number | undefined;
}

const QUERY_PARAMS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date'] as const;
export const MAX_PRESIGN_SECONDS = 604800;

function incomplete(message: string): AwsError {
  return new AwsError('IncompleteSignatureException', message, { status: 400 });
}

/** Throws MissingAuthenticationTokenException when the request carries no signature at all. */
export function readSigV4Params(query: QueryPairs, headers: WireHeaders): SigV4Params {
  const authorization = headerValue(headers, 'authorization');
  const presigned = query.some(([key]) => (QUERY_PARAMS as readonly string[]).includes(key));
  if (authorization !== undefined && presigned) {
    throw incomplete('Only one auth mechanism allowed: send either the Authorization header or the X-Amz-* query parameters, not both.');
  }
  if (authorization !== undefined) return fromHeader(authorization, headers);
  if (presigned) return fromQuery(query);
  throw new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', { status: 403 });
}

function fromHeader(authorization: string, headers: WireHeaders): SigV4Params {
  const space = authorization.indexOf(' ');
  const algorithm = space < 0 ? authorization : authorization.slice(0, space);
  if (algorithm !== SIGV4_ALGORITHM) {
    throw incomplete(`Unsupported authorization algorithm '${algorithm}': sign requests with Signature Version 4 (${SIGV4_ALGORITHM}).`);
  }
  const fields = new Map<string, string>();
  for (const part of authorization.slice(space + 1).split(',')) {
    const text = part.trim();
    if (text === '') continue;
    const eq = text.indexOf('=');
    if (eq < 0) throw incomplete(`'${text}' not a valid key=value pair (missing equal-sign) in Authorization header.`);
    fields.set(text.slice(0, eq), text.slice(eq + 1));
  }
  const problems = ['Credential', 'Signature', 'SignedHeaders']
    .filter((name) => !fields.get(name))
    .map((name) => `Authorization header requires '${name}' parameter.`);
  const { timestamp, source } = headerTimestamp(headers);
  if (timestamp === undefined) problems.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  if (problems.length > 0 || timestamp === undefined) throw incomplete(problems.join(' '));
  return {
    form: 'header',
    ...credential(fields.get('Credential') ?? ''),
    signedHeaders: signedHeaderList(fields.get('SignedHeaders') ?? ''),
    signature: fields.get('Signature') ?? '',
    timestamp: basicTimestamp(timestamp, source),
    timestampSource: source,
    expiresSeconds: undefined,
  };
}

function headerTimestamp(headers: WireHeaders): { timestamp: string | undefined; source: string } {
  const amzDate = headerValue(headers, 'x-amz-date');
  if (amzDate !== undefined) return { timestamp: amzDate, source: 'x-amz-date' };
  return { timestamp: headerValue(headers, 'date'), source: 'date' };
}

function fromQuery(query: QueryPairs): SigV4Params {
  const value = (name: string): string | undefined => queryValues(query, name)[0];
  const missing = QUERY_PARAMS.filter((name) => !value(name));
  if (missing.length > 0) {
    throw incomplete(
      `AWS query-string parameters must include ${QUERY_PARAMS.map((n) => `'${n}'`).join(', ')}; missing ${missing.map((n) => `'${n}'`).join(', ')}.`,
    );
  }
  if (value('X-Amz-Algorithm') !== SIGV4_ALGORITHM) {
    throw incomplete(`Unsupported X-Amz-Algorithm '${value('X-Amz-Algorithm')}': presign with ${SIGV4_ALGORITHM}.`);
  }
  return {
    form: 'query',
    ...credential(value('X-Amz-Credential') ?? ''),
    signedHeaders: signedHeaderList(value('X-Amz-SignedHeaders') ?? ''),
    signature: value('X-Amz-Signature') ?? '',
    timestamp: basicTimestamp(value('X-Amz-Date') ?? '', 'X-Amz-Date'),
    timestampSource: 'X-Amz-Date',
    expiresSeconds: expires(value('X-Amz-Expires')),
  };
}

function expires(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = /^\d{1,7}$/.test(text) ? Number(text) : NaN;
  if (!(seconds >= 1)) throw incomplete(`X-Amz-Expires must be a whole number of seconds, got '${text}'.`);
  if (seconds > MAX_PRESIGN_SECONDS) throw incomplete(`X-Amz-Expires must be less than a week (in seconds) that is ${MAX_PRESIGN_SECONDS}.`);
  return seconds;
}

/** `AKID/20240528/us-east-1/backup/aws4_request` split into its parts. */
function credential(text: string): { accessKeyId: string; scope: CredentialScope } {
  const parts = text.split('/');
  const [accessKeyId = '', date = '', region = '', service = '', terminator = ''] = parts;
  if (parts.length !== 5 || !accessKeyId || !/^\d{8}$/.test(date) || !region || !service) {
    throw incomplete(`Credential must have the form <AccessKeyId>/<YYYYMMDD>/<region>/<service>/aws4_request, got '${text}'.`);
  }
  return { accessKeyId, scope: { date, region, service, terminator } };
}

function signedHeaderList(text: string): readonly string[] {
  const names = text.split(';').map((name) => name.trim().toLowerCase());
  if (!names.includes('host')) throw incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  return names;
}

/** `20240528T120000Z` as is; an HTTP `Date` header converted to that form. */
function basicTimestamp(text: string, source: string): string {
  if (/^\d{8}T\d{6}Z$/.test(text)) return text;
  const millis = source === 'date' ? Date.parse(text) : NaN;
  if (Number.isNaN(millis)) {
    throw incomplete(`Date must be in ISO-8601 'basic format' (20240528T120000Z); got '${text}' from '${source}'.`);
  }
  return formatBasicTimestamp(new Date(millis));
}

export function formatBasicTimestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export function parseBasicTimestamp(timestamp: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(timestamp);
  return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`) : new Date(NaN);
}
