/**
 * Requests node:http refuses before any handler sees them (a URL or header section over the
 * limit, a malformed request line or header): answered in AWS's envelope, never Node's bare
 * `431` or a reset. A request whose bytes name a KMS target (`X-Amz-Target: TrentService.…`)
 * gets the KMS json 1.1 envelope, any other the rest-json one. The connection is closed after
 * the answer, but what the client still sends is read and dropped first, so the client reads
 * the answer instead of a TCP reset.
 */
import type { Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { AwsError, restJsonErrorResponse } from './errors.js';
import { jsonRpcErrorResponse } from './json-rpc.js';

/** The header section limit, request line included (node:http's default, said out loud). */
export const MAX_HEADER_BYTES = 16 * 1024;
/** How long a refused connection's remaining bytes are still read before it is closed. */
const LINGER_MS = 2000;

const REASONS: Readonly<Record<number, string>> = { 400: 'Bad Request', 408: 'Request Timeout', 414: 'URI Too Long', 431: 'Request Header Fields Too Large' };

/** The AWS error for a request node:http could not parse; `raw` is what it had read of it. */
export function clientRequestError(code: string | undefined, raw: Buffer | undefined): AwsError {
  if (code === 'HPE_HEADER_OVERFLOW') {
    const lineEnd = raw === undefined ? -1 : raw.indexOf('\r\n');
    if (raw !== undefined && (lineEnd < 0 || lineEnd > MAX_HEADER_BYTES / 2)) {
      return new AwsError(
        'RequestUriTooLong',
        `The request URL is longer than this endpoint accepts (the request line and headers may hold ${MAX_HEADER_BYTES} bytes together): send long values in the request body, or fewer or shorter query parameters.`,
        { status: 414 },
      );
    }
    return new AwsError(
      'RequestHeaderSectionTooLarge',
      `The request headers are larger than this endpoint accepts (${MAX_HEADER_BYTES} bytes, request line included): send fewer or shorter headers.`,
      { status: 431 },
    );
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT' || code === 'HPE_HEADER_TIMEOUT') {
    return new AwsError('RequestTimeout', 'The request was not received in time: send the whole request promptly, then read the answer.', { status: 408 });
  }
  return new AwsError('MalformedHttpRequest', `The request is not valid HTTP/1.1 (${code ?? 'parse error'}): check the client or proxy that sent it.`, {
    status: 400,
  });
}

function isKms(raw: Buffer | undefined): boolean {
  return raw !== undefined && /\r\nx-amz-target:[ \t]*TrentService\./i.test(raw.subarray(0, MAX_HEADER_BYTES * 2).toString('latin1'));
}

/** The bytes of the whole HTTP response for `error`. */
export function clientErrorResponse(error: AwsError, raw: Buffer | undefined, requestId = randomUUID()): Buffer {
  const response = isKms(raw) ? jsonRpcErrorResponse(error, requestId) : restJsonErrorResponse(error, requestId);
  const body = Buffer.from(response.body, 'utf8');
  const headers = { ...response.headers, 'content-length': String(body.length), connection: 'close' };
  const head = `HTTP/1.1 ${error.status} ${REASONS[error.status] ?? 'Client Error'}\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

/** The `clientError` listener of an http.Server: the answer in AWS's envelope, then a close without a reset. */
export function answerClientError(err: Error & { code?: string; rawPacket?: Buffer }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE' || !socket.writable) {
    socket.destroy();
    return;
  }
  socket.on('error', () => socket.destroy());
  socket.end(clientErrorResponse(clientRequestError(err.code, err.rawPacket), err.rawPacket));
  // Keep reading (and dropping) what the client still sends: unread bytes at close make a reset.
  socket.resume();
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}
