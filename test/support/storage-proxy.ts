/**
 * An HTTP proxy in front of a storage server (moto), for fault tests: it passes requests on,
 * answers the next N with 503 SlowDown (throttling), or goes away entirely (`cut`: the port
 * refuses connections and open ones are reset, as when the server is stopped) and comes back on
 * the same port (`restore`) with the server's state intact, or hangs (`stallAt`: requests are
 * taken but never answered, as a server that stopped responding) until `release`.
 */
import { createServer, request } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export interface StorageProxy {
  readonly endpoint: string;
  readonly port: number;
  /** Requests seen so far (passed on or refused with 503). */
  readonly requests: number;
  /** Answers the next `n` requests with 503 SlowDown. */
  throttleNext(n: number): void;
  /**
   * Goes away (as `cut`) at the request after `pass` more requests that match have gone
   * through, e.g. the second pack upload of a backup: the server is stopped mid-job.
   */
  cutAt(match: (method: string, path: string) => boolean, pass: number): Promise<void>;
  cut(): Promise<void>;
  restore(): Promise<void>;
  /**
   * From the request after `pass` more matching ones on, holds every matching request without
   * ever answering it (the connection stays open); resolves when the first one is held.
   */
  stallAt(match: (method: string, path: string) => boolean, pass: number): Promise<void>;
  /** Stops holding requests and resets the connections of the held ones. */
  release(): void;
  stop(): Promise<void>;
}

export async function startStorageProxy(upstream: string): Promise<StorageProxy> {
  const target = new URL(upstream);
  let throttle = 0;
  let requests = 0;
  let server: Server | undefined;
  let port = 0;
  let trap: { match: (method: string, path: string) => boolean; pass: number; cut: () => void } | undefined;
  let stall: { match: (method: string, path: string) => boolean; pass: number; held: () => void } | undefined;
  const held = new Set<IncomingMessage>();

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    requests++;
    if (trap !== undefined && trap.match(req.method ?? '', req.url ?? '')) {
      if (trap.pass > 0) trap.pass--;
      else {
        const sprung = trap;
        trap = undefined;
        req.socket.destroy();
        sprung.cut();
        return;
      }
    }
    if (stall !== undefined && stall.match(req.method ?? '', req.url ?? '')) {
      if (stall.pass > 0) stall.pass--;
      else {
        req.resume();
        held.add(req);
        req.socket.once('close', () => held.delete(req));
        stall.held();
        return;
      }
    }
    if (throttle > 0) {
      throttle--;
      req.resume();
      res.writeHead(503, { 'content-type': 'application/xml' });
      res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>');
      return;
    }
    const out = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  };

  const listen = async (): Promise<void> => {
    const s = createServer(handle);
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    const address = s.address();
    port = typeof address === 'object' && address !== null ? address.port : port;
    server = s;
  };
  const close = async (): Promise<void> => {
    const s = server;
    server = undefined;
    if (s === undefined) return;
    const closed = new Promise<void>((resolve) => s.close(() => resolve()));
    s.closeAllConnections();
    await closed;
  };

  await listen();
  return {
    get endpoint() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    get requests() {
      return requests;
    },
    throttleNext: (n) => {
      throttle = n;
    },
    cut: close,
    cutAt: (match, pass) =>
      new Promise<void>((resolve) => {
        trap = { match, pass, cut: () => void close().then(resolve) };
      }),
    restore: listen,
    stallAt: (match, pass) =>
      new Promise<void>((resolve) => {
        stall = { match, pass, held: resolve };
      }),
    release: () => {
      stall = undefined;
      for (const req of held) req.socket.destroy();
      held.clear();
    },
    stop: async () => {
      stall = undefined;
      for (const req of held) req.socket.destroy();
      held.clear();
      await close();
    },
  };
}
