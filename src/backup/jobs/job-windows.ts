/**
 * A scheduled backup job's windows as AWS states them: it must start within StartWindowMinutes
 * of its scheduled time (a transient failure is retried until then; after it, EXPIRED), and
 * complete within CompletionWindowMinutes of it (else it is stopped: ABORTED, no recovery
 * point). The messages a job gets, shared by the scheduler that enforces the windows and the
 * runner that carries them out.
 */

export const START_WINDOW_MESSAGE = 'The backup job did not start before its start window closed.';
export const COMPLETION_WINDOW_MESSAGE = 'The backup job did not complete within its completion window; it was stopped and its partial data was not kept.';

const MINUTE = 60_000;
const MAX_BACKOFF_MS = 60 * MINUTE;

/** How long to wait before attempt `attempts + 1`: 5, 10, 20, 40, 60, 60 ... minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, 5 * MINUTE * 2 ** Math.max(0, attempts - 1));
}
