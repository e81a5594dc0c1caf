/**
 * Keeps the requests in flight, so a shutdown can ask their connections to close after the
 * answer and wait until every started request has been answered (or a deadline passes) before
 * the catalog closes under it.
 */
import type { ServerResponse } from 'node:http';

export class RequestTracker {
  readonly #inFlight = new Set<ServerResponse>();
  #waiters: (() => void)[] = [];

  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Keeps `res` until it is finished or its connection closes. */
  track(res: ServerResponse): void {
    this.#inFlight.add(res);
    res.once('close', () => {
      this.#inFlight.delete(res);
      if (this.#inFlight.size === 0) for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  /** Answers not yet started will say `Connection: close`, so keep-alive clients go away. */
  closeConnectionsAfterAnswers(): void {
    for (const res of this.#inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
  }

  /** Resolves once no request is in flight, or when `deadline` resolves first. */
  drained(deadline: Promise<void>): Promise<void> {
    if (this.#inFlight.size === 0) return Promise.resolve();
    return Promise.race([new Promise<void>((resolve) => this.#waiters.push(resolve)), deadline]);
  }
}
