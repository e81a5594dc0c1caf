/**
 * AwsError: the one error type of the wire layer. It carries the AWS exception name (the code a
 * client turns into an exception class), the HTTP status, a message that says what to fix and an
 * optional context. Domain errors become AwsErrors in the service handlers; this file knows no
 * domain rules. Also the rest-json error envelope (json 1.1 writes its own, see json-rpc.ts).
 */
import type { WireResponse } from './wire-message.js';

export interface AwsErrorOptions {
  /** 400 unless given: client errors are 400, AccessDenied and most auth errors 403, faults 5xx. */
  readonly status?: number;
  /** Backup's `Context` member: what the error is about (a name, an ARN), never a secret. */
  readonly context?: string;
  /** Further members the exception's shape declares (e.g. AlreadyExistsException's `Arn`). */
  readonly members?: Readonly<Record<string, string>>;
}

export class AwsError extends Error {
  readonly status: number;
  readonly context: string | undefined;
  readonly members: Readonly<Record<string, string>>;

  constructor(
    readonly code: string,
    message: string,
    options: AwsErrorOptions = {},
  ) {
    super(message);
    this.name = code;
    this.status = options.status ?? 400;
    this.context = options.context;
    this.members = options.members ?? {};
  }

  /** A fault is the service's problem (5xx); anything else is the caller's. */
  get fault(): boolean {
    return this.status >= 500;
  }
}

/**
 * The rest-json error response: the exception name in `x-amzn-ErrorType` (clients read it first)
 * and in the body's `__type` and `Code`. The SDKs name an unmodeled exception after `Code`, so
 * `Code` is the exception name too.
 */
export function restJsonErrorResponse(error: AwsError, requestId: string): WireResponse {
  const body: Record<string, string> = { ...error.members, __type: error.code, Code: error.code, Message: error.message };
  if (error.context !== undefined) body['Context'] = error.context;
  return {
    status: error.status,
    headers: { 'content-type': 'application/json', 'x-amzn-RequestId': requestId, 'x-amzn-ErrorType': error.code },
    body: JSON.stringify(body),
  };
}

/** An unexpected failure as AWS reports one: no internals, just the request ID to look up in logs. */
export function internalFailure(requestId: string): AwsError {
  return new AwsError('InternalFailure', `The request processing has failed because of an internal error; see the server log for request ${requestId}.`, {
    status: 500,
  });
}
