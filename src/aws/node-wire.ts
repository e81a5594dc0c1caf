/**
 * node:http <-> wire messages: reads a request into a WireRequest (raw path and query as sent,
 * repeated headers kept apart, the body up to a size limit and never buffered past it) and
 * writes a WireResponse. Knows node:http, nothing of AWS operations.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsError } from './errors.js';
import type { WireRequest, WireResponse } from './wire-message.js';

function tooLarge(limit: number): AwsError {
  return new AwsError('RequestEntityTooLargeException', `Request body is larger than the limit of ${limit} bytes.`, { status: 413 });
}

/** Header values by lower-case name from rawHeaders, so repeats are not pre-joined with ', '. */
export function rawHeaderMap(rawHeaders: readonly string[]): Record<string, string[]> {
  const headers: Record<string, string[]> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    (headers[name] ??= []).push(rawHeaders[i + 1] ?? '');
  }
  return headers;
}

/** `/a/b?x=1` -> ['/a/b', 'x=1']; an absolute-form target keeps only its path and query. */
function splitTarget(url: string): readonly [string, string] {
  const target = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?]*/i, '') || '/' : url;
  const q = target.indexOf('?');
  return q < 0 ? [target, ''] : [target.slice(0, q), target.slice(q + 1)];
}

/**
 * Reads the whole request. Rejects with 413 RequestEntityTooLargeException as soon as the
 * declared or received length passes `limit`; the rest of the body is then discarded unread.
 */
/** How much of a refused (too large) body is still read before answering. */
const DRAIN_LIMIT = 16 * 1024 * 1024;

export function readWireRequest(req: IncomingMessage, limit: number): Promise<WireRequest> {
  const [rawPath, rawQuery] = splitTarget(req.url ?? '/');
  const head = { method: (req.method ?? 'GET').toUpperCase(), rawPath, rawQuery, headers: rawHeaderMap(req.rawHeaders) };
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    const chunks: Buffer[] = [];
    let size = 0;
    // Refused bodies are still read (and dropped) up to DRAIN_LIMIT before the answer goes, so a
    // client that writes its whole body before reading gets the 413 rather than a broken pipe.
    let refused = false;
    const refuse = (): void => {
      refused = true;
      req.removeListener('data', onData);
      let drained = size;
      const dropping = (chunk: Buffer): void => {
        drained += chunk.length;
        if (drained > DRAIN_LIMIT) {
          req.removeListener('data', dropping);
          reject(tooLarge(limit));
        }
      };
      if (declared > DRAIN_LIMIT) {
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      req.on('data', dropping);
      req.once('end', () => reject(tooLarge(limit)));
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) refuse();
      else chunks.push(chunk);
    };
    if (declared > limit) return refuse();
    req.on('data', onData);
    req.once('end', () => {
      if (!refused) resolve({ ...head, body: Buffer.concat(chunks, size) });
    });
    // A caller hanging up mid-body is the caller's doing, not a fault of ours.
    req.once('error', () => reject(new AwsError('IncompleteBody', 'The request body ended before it was complete: the connection was closed.')));
  });
}

export function sendWireResponse(res: ServerResponse, response: WireResponse, date: Date, close: boolean): void {
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  res.setHeader('date', date.toUTCString());
  res.setHeader('content-length', Buffer.byteLength(response.body));
  if (close) res.setHeader('connection', 'close');
  res.end(response.body);
}
