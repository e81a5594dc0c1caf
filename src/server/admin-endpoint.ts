/**
 * What one `/_coffer/` endpoint is (a method and what it does with the request), how it answers
 * (JSON, never cached), and how a signed one finds its signer.
 */
import type { ServerResponse } from 'node:http';
import { AwsError } from '../aws/errors.js';
import type { WireRequest } from '../aws/wire-message.js';

export interface Signer {
  readonly accountId: string;
  readonly region: string;
}

/** The signer of a SigV4-signed request; throws AwsError when the signature is bad, undefined when unsigned. */
export type Authenticate = (request: WireRequest) => Signer | undefined;

export interface Endpoint<Context> {
  readonly method: 'GET' | 'POST';
  readonly run: (res: ServerResponse, ctx: Context, request: WireRequest) => void | Promise<void>;
}

export function send(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...headers });
  res.end(text);
}

/**
 * The signer of `request`, or undefined after answering: 403 with `unsigned` as the message when
 * it is unsigned, the AWS error's status when its signature is bad.
 */
export function requireSigner(res: ServerResponse, authenticate: Authenticate | undefined, request: WireRequest, unsigned: string): Signer | undefined {
  let signer: Signer | undefined;
  try {
    signer = authenticate?.(request);
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    send(res, err.status, { error: err.message, type: err.name });
    return undefined;
  }
  if (signer === undefined) send(res, 403, { error: unsigned });
  return signer;
}
