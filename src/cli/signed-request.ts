/**
 * How `coffer` commands call a running server: JSON over HTTP, signed with SigV4 like the AWS
 * CLI signs (service `backup`), with credentials found the way the AWS CLI finds them
 * (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, else AWS_SHARED_CREDENTIALS_FILE or
 * ./data/credentials, profile AWS_PROFILE or `coffer`). The endpoint is --endpoint-url,
 * COFFER_ENDPOINT, or http://127.0.0.1:4100. Secrets are never printed.
 */
import { readFile } from 'node:fs/promises';
import { canonicalRequest, sha256Hex, signatureHex, stringToSign, SIGV4_ALGORITHM } from '../aws/sigv4-canonical.js';
import { formatBasicTimestamp } from '../aws/sigv4-params.js';
import { CliError } from './cli-error.js';

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:4100';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface ServerCall {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: Credentials | undefined;
}

export async function findCredentials(env: NodeJS.ProcessEnv): Promise<Credentials | undefined> {
  if (env['AWS_ACCESS_KEY_ID'] && env['AWS_SECRET_ACCESS_KEY']) return { accessKeyId: env['AWS_ACCESS_KEY_ID'], secretAccessKey: env['AWS_SECRET_ACCESS_KEY'] };
  const file = env['AWS_SHARED_CREDENTIALS_FILE'] ?? './data/credentials';
  const profile = env['AWS_PROFILE'] ?? 'coffer';
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  let section = '';
  const values: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header !== null) section = header[1]!.trim();
    const pair = /^\s*([A-Za-z_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (pair !== null && section === profile) values[pair[1]!] = pair[2]!;
  }
  const id = values['aws_access_key_id'];
  const secret = values['aws_secret_access_key'];
  return id && secret ? { accessKeyId: id, secretAccessKey: secret } : undefined;
}

/** Sends `method path` (path may carry a query) and returns the parsed JSON; a non-2xx answer becomes a CliError with the server's message. */
export async function callServer(call: ServerCall, method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
  const url = new URL(path, call.endpoint);
  const payload = body === undefined ? '' : JSON.stringify(body);
  const headers: Record<string, string> = { host: url.host, 'content-type': 'application/json' };
  if (call.credentials !== undefined) {
    const now = new Date();
    const timestamp = formatBasicTimestamp(now);
    const date = timestamp.slice(0, 8);
    headers['x-amz-date'] = timestamp;
    const payloadHash = sha256Hex(payload);
    headers['x-amz-content-sha256'] = payloadHash;
    const signed = Object.keys(headers).sort();
    const query = [...url.searchParams.entries()] as [string, string][];
    const canonical = canonicalRequest({ method, rawPath: url.pathname, query, headers, signedHeaders: signed, payloadHash });
    const scope = [date, call.region, 'backup'] as const;
    const signature = signatureHex(call.credentials.secretAccessKey, scope, stringToSign(timestamp, `${scope.join('/')}/aws4_request`, canonical));
    headers['authorization'] =
      `${SIGV4_ALGORITHM} Credential=${call.credentials.accessKeyId}/${scope.join('/')}/aws4_request, SignedHeaders=${signed.join(';')}, Signature=${signature}`;
  }
  let response: Response;
  try {
    response = await fetch(url, { method, headers, ...(method === 'POST' ? { body: payload } : {}) });
  } catch (err) {
    throw new CliError(
      `cannot reach Coffer at ${call.endpoint} (${(err as Error).message}); is coffer serve running? Give --endpoint-url or set COFFER_ENDPOINT.`,
      1,
    );
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new CliError(`Coffer at ${call.endpoint} answered ${response.status} with something that is not JSON`, 1);
  }
  if (!response.ok) {
    const message = (json as { error?: unknown }).error;
    throw new CliError(`${typeof message === 'string' ? message : `HTTP ${response.status}`}`, 1);
  }
  return json;
}
