/**
 * Stopping an HTTP server without cutting anyone off: no new connections, idle keep-alive
 * connections closed, requests in flight answered (told `Connection: close`) until they are done
 * or the deadline passes (`drainMs`, or at once on `force()`), then every connection closed.
 */
import type { Server } from 'node:http';
import type { RequestTracker } from './request-tracker.js';

export interface GracefulStop {
  /** Idempotent: later calls get the first call's promise. */
  stop(): Promise<void>;
  /** Stops waiting for requests in flight (also before stop() is called). */
  force(): void;
}

export function gracefulStop(server: Server, tracker: RequestTracker, drainMs: number): GracefulStop {
  let force: () => void = () => undefined;
  const deadline = new Promise<void>((resolve) => {
    force = resolve;
  });
  let stopping: Promise<void> | undefined;

  const stop = async (): Promise<void> => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    tracker.closeConnectionsAfterAnswers();
    const timer = setTimeout(force, drainMs);
    timer.unref();
    await tracker.drained(deadline);
    clearTimeout(timer);
    server.closeAllConnections();
    await closed;
  };

  return { stop: () => (stopping ??= stop()), force: () => force() };
}
