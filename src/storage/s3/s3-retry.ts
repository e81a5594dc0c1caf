/**
 * When and how an S3 request is tried again: 5xx answers, throttling (429, SlowDown, ...),
 * timeouts and broken connections are retried with exponential backoff and full jitter (a
 * random wait between 0 and base * 2^attempt, capped), so that many writers backing off at once
 * do not return in step. Everything else (403, 404, a bad request) fails at once. A stop signal
 * ends the waiting and the attempts.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 100, maxDelayMs: 5_000 };

const RETRYABLE_NAMES = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalError',
  'ServiceUnavailable',
  'TimeoutError',
]);

const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTCONN',
  'UND_ERR_SOCKET',
]);

interface SdkLikeError {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly $retryable?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly cause?: unknown;
}

/** Whether the failure may go away when the same request is sent again. */
export function isRetryable(err: unknown): boolean {
  for (let e = err as SdkLikeError | undefined, depth = 0; e !== undefined && e !== null && depth < 4; e = e.cause as SdkLikeError | undefined, depth++) {
    if (e.name === 'AbortError') return false;
    const status = e.$metadata?.httpStatusCode;
    if (status !== undefined && (status >= 500 || status === 429)) return true;
    if (typeof e.name === 'string' && RETRYABLE_NAMES.has(e.name)) return true;
    if (typeof e.code === 'string' && RETRYABLE_CODES.has(e.code)) return true;
    if (e.$retryable !== undefined) return true;
    if (status !== undefined) return false;
  }
  return false;
}

/** The wait before attempt `attempt + 1` (attempt counts from 1): full jitter. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/** What a request that kept failing reports: the last error and how often it was tried. */
export class RetriesExhausted extends Error {
  constructor(
    readonly attempts: number,
    override readonly cause: unknown,
  ) {
    super(`failed after ${attempts} attempts`);
    this.name = 'RetriesExhausted';
  }
}

/** Runs `attempt` until it succeeds, fails for good, the policy runs out or `signal` stops it. */
export async function withRetries<T>(policy: RetryPolicy, signal: AbortSignal | undefined, attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    signal?.throwIfAborted();
    try {
      return await attempt();
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      if (!isRetryable(err)) throw err;
      if (n >= policy.attempts) throw new RetriesExhausted(n, err);
      await sleep(backoffDelay(policy, n), undefined, signal === undefined ? undefined : { signal });
    }
  }
}
