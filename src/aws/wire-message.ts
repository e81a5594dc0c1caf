/**
 * The request and response of the wire layer as plain data: what arrived on the socket (raw
 * path and query exactly as sent, headers with repeated values kept apart, the whole body) and
 * what goes back. Nothing here knows node:http, storage or AWS Backup's rules.
 */

/** Header values by lower-case name; a header sent more than once keeps each value. */
export type WireHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface WireRequest {
  readonly method: string;
  /** The path as sent, still percent-encoded (`/backup-vaults/v/recovery-points/arn%3Aaws...`). */
  readonly rawPath: string;
  /** The query string as sent, without the `?` (empty when there is none). */
  readonly rawQuery: string;
  readonly headers: WireHeaders;
  readonly body: Buffer;
}

export interface WireResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Every value of a header, in arrival order (empty when absent). */
export function headerValues(headers: WireHeaders, name: string): readonly string[] {
  const value = headers[name];
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

/** A header's values joined by commas, as HTTP allows for repeated headers; undefined if absent. */
export function headerValue(headers: WireHeaders, name: string): string | undefined {
  const values = headerValues(headers, name);
  return values.length === 0 ? undefined : values.join(',');
}

/** A JSON response with the content type of the protocol that writes it. */
export function jsonResponse(status: number, contentType: string, body: unknown, requestId: string): WireResponse {
  return {
    status,
    headers: { 'content-type': contentType, 'x-amzn-RequestId': requestId },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}
