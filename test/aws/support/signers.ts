/**
 * Real SigV4 signers for tests: Smithy's SignatureV4 (what the JavaScript SDK uses) and
 * botocore's SigV4Auth (what the AWS CLI and boto3 use), each turned into the WireRequest the
 * server would see.
 */
import { spawnSync } from 'node:child_process';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

/** Smithy's request type, taken from the signer so no transitive package is imported. */
type HttpRequest = Parameters<SignatureV4['presign']>[0];
type QueryParameterBag = NonNullable<HttpRequest['query']>;
import type { WireRequest } from '../../../src/aws/wire-message.js';
import { TEST_KEY } from './aws-server.js';

export const HOST = '127.0.0.1:4100';

export interface PlainRequest {
  readonly method: string;
  /** As the SDK sends it: labels already percent-encoded once. */
  readonly path: string;
  readonly query?: QueryParameterBag;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface SignOptions {
  readonly date: Date;
  readonly region?: string;
  readonly service?: string;
  readonly secretAccessKey?: string;
  readonly accessKeyId?: string;
}

function signer(options: SignOptions): SignatureV4 {
  return new SignatureV4({
    service: options.service ?? 'backup',
    region: options.region ?? 'us-east-1',
    credentials: { accessKeyId: options.accessKeyId ?? TEST_KEY.accessKeyId, secretAccessKey: options.secretAccessKey ?? TEST_KEY.secretAccessKey },
    sha256: Sha256,
  });
}

function smithyRequest(req: PlainRequest): HttpRequest {
  return {
    method: req.method,
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 4100,
    path: req.path,
    query: { ...(req.query ?? {}) },
    headers: { host: HOST, ...(req.headers ?? {}) },
    ...(req.body === undefined ? {} : { body: req.body }),
  };
}

/** Smithy's URI escaping, as the SDK's query-string builder uses it. */
function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function rawQueryOf(query: QueryParameterBag): string {
  return Object.entries(query)
    .flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((v) => (v === null ? escapeUri(key) : `${escapeUri(key)}=${escapeUri(String(v))}`)))
    .join('&');
}

export function toWire(signed: HttpRequest, body?: string): WireRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = value;
  return { method: signed.method, rawPath: signed.path, rawQuery: rawQueryOf(signed.query ?? {}), headers, body: Buffer.from(body ?? '', 'utf8') };
}

export async function smithySigned(req: PlainRequest, options: SignOptions): Promise<WireRequest> {
  const signed = await signer(options).sign(smithyRequest(req), { signingDate: options.date });
  return toWire(signed, req.body);
}

export async function smithyPresigned(req: PlainRequest, options: SignOptions & { readonly expiresIn: number }): Promise<WireRequest> {
  const signed = await signer(options).presign(smithyRequest(req), { signingDate: options.date, expiresIn: options.expiresIn });
  return toWire(signed, req.body);
}

const BOTOCORE_SIGN = `
import datetime, json, sys
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
req = json.load(sys.stdin)
botocore.auth.get_current_datetime = lambda: datetime.datetime.fromisoformat(req['date'])
r = AWSRequest(method=req['method'], url=req['url'], data=req['body'].encode(), headers=req['headers'])
botocore.auth.SigV4Auth(Credentials(req['key'], req['secret']), req['service'], req['region']).add_auth(r)
print(json.dumps({'url': r.url, 'headers': dict(r.headers.items())}))
`;

/**
 * Signs with botocore (python3). `url` is the full URL as the CLI would send it; headers such
 * as `Date` steer botocore the way they steer the CLI.
 */
export function botocoreSigned(method: string, url: string, headers: Readonly<Record<string, string>>, body: string, options: SignOptions): WireRequest {
  const input = JSON.stringify({
    method,
    url,
    headers,
    body,
    date: options.date.toISOString().replace('Z', ''),
    key: options.accessKeyId ?? TEST_KEY.accessKeyId,
    secret: options.secretAccessKey ?? TEST_KEY.secretAccessKey,
    service: options.service ?? 'backup',
    region: options.region ?? 'us-east-1',
  });
  const run = spawnSync('python3', ['-c', BOTOCORE_SIGN], { input, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`botocore signing failed (python3 with botocore is needed: pip install awscli): ${run.stderr}`);
  const signed = JSON.parse(run.stdout) as { url: string; headers: Record<string, string> };
  const target = signed.url.replace(/^http:\/\/[^/]+/, '');
  const q = target.indexOf('?');
  const wireHeaders: Record<string, string> = { host: HOST };
  for (const [name, value] of Object.entries(signed.headers)) wireHeaders[name.toLowerCase()] = value;
  return {
    method,
    rawPath: q < 0 ? target : target.slice(0, q),
    rawQuery: q < 0 ? '' : target.slice(q + 1),
    headers: wireHeaders,
    body: Buffer.from(body, 'utf8'),
  };
}
