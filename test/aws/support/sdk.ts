/** AWS SDK v3 clients and raw signed requests pointed at a local Coffer endpoint. */
import { Sha256 } from '@aws-crypto/sha256-js';
import { BackupClient } from '@aws-sdk/client-backup';
import { KMSClient } from '@aws-sdk/client-kms';
import { SignatureV4 } from '@smithy/signature-v4';

/** Smithy's request type, taken from the signer so no transitive package is imported. */
type HttpRequest = Parameters<SignatureV4['presign']>[0];
import { TEST_KEY } from './aws-server.js';

// The pinned SDK warns about Node 20 on every process; the tests know.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';

export interface ClientOptions {
  readonly region?: string;
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  readonly maxAttempts?: number;
}

function config(endpoint: string, options: ClientOptions) {
  return {
    endpoint,
    region: options.region ?? 'us-east-1',
    maxAttempts: options.maxAttempts ?? 3,
    credentials: { accessKeyId: options.accessKeyId ?? TEST_KEY.accessKeyId, secretAccessKey: options.secretAccessKey ?? TEST_KEY.secretAccessKey },
  };
}

export function backupClient(endpoint: string, options: ClientOptions = {}): BackupClient {
  return new BackupClient(config(endpoint, options));
}

export function kmsClient(endpoint: string, options: ClientOptions = {}): KMSClient {
  return new KMSClient(config(endpoint, options));
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

interface RawOptions {
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly query?: Record<string, string>;
}

function rawRequest(endpoint: string, method: string, path: string, options: RawOptions): HttpRequest {
  const url = new URL(endpoint);
  return {
    method,
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path,
    query: { ...(options.query ?? {}) },
    headers: { host: url.host, ...(options.headers ?? {}) },
    ...(options.body === undefined ? {} : { body: options.body }),
  };
}

const signer = new SignatureV4({
  service: 'backup',
  region: 'us-east-1',
  sha256: Sha256,
  credentials: { accessKeyId: TEST_KEY.accessKeyId, secretAccessKey: TEST_KEY.secretAccessKey },
});

/** A presigned URL for a backup request (the query-string form of SigV4). */
export async function presignedUrl(endpoint: string, method: string, path: string, query: Record<string, string>, expiresIn: number): Promise<string> {
  const signed = await signer.presign(rawRequest(endpoint, method, path, { query }), { expiresIn });
  const search = new URLSearchParams(signed.query as Record<string, string>).toString().replace(/\+/g, '%20');
  return `${endpoint}${path}?${search}`;
}

/** A backup request signed with Smithy's signer and sent with fetch, for what no SDK call produces. */
export async function signedFetch(endpoint: string, method: string, path: string, options: RawOptions = {}): Promise<RawResponse> {
  const signed = await signer.sign(rawRequest(endpoint, method, path, options));
  const headers = { ...signed.headers };
  delete headers['host'];
  const response = await fetch(`${endpoint}${path}`, { method, headers, ...(options.body === undefined ? {} : { body: options.body }) });
  return { status: response.status, headers: response.headers, body: await response.text() };
}
