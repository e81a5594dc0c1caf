/**
 * A signal for SDK requests that follows the job's signal. Every request in flight listens on
 * it, and a parallel scan or upload has more than Node's default of 10 in flight, which would
 * print a MaxListenersExceeded warning on the job's own signal; this one allows more.
 */
import { setMaxListeners } from 'node:events';

const MAX_IN_FLIGHT = 256;

export function requestSignal(parent: AbortSignal | undefined): AbortSignal {
  const controller = new AbortController();
  setMaxListeners(MAX_IN_FLIGHT, controller.signal);
  if (parent === undefined) return controller.signal;
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener('abort', () => controller.abort(parent.reason), { once: true });
  return controller.signal;
}
