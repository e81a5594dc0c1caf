/**
 * Coffer's own endpoints, outside the AWS namespace, under `/_coffer/`: health (for load
 * balancers and test harnesses), version, and in sandbox mode reset. Unauthenticated: they reveal
 * nothing about any account, and reset exists only in sandbox mode, which is insecure by design.
 * Documented in docs/operations.md.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const ADMIN_PREFIX = '/_coffer/';

export type ServerPhase = 'starting' | 'ready' | 'stopping';

export interface AdminContext {
  readonly phase: () => ServerPhase;
  readonly version: string;
  readonly apiVersions: Readonly<Record<string, string>>;
  readonly sandbox: boolean;
  readonly reset: () => Promise<void>;
}

export function isAdminPath(path: string): boolean {
  return path === '/_coffer' || path.startsWith(ADMIN_PREFIX);
}

function send(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...headers });
  res.end(text);
}

interface Endpoint {
  readonly method: 'GET' | 'POST';
  readonly run: (res: ServerResponse, ctx: AdminContext) => void | Promise<void>;
}

const ENDPOINTS: Readonly<Record<string, Endpoint>> = {
  health: {
    method: 'GET',
    run: (res, ctx) => {
      const phase = ctx.phase();
      send(res, phase === 'ready' ? 200 : 503, { status: phase === 'ready' ? 'ok' : phase });
    },
  },
  version: {
    method: 'GET',
    run: (res, ctx) => send(res, 200, { name: 'coffer', version: ctx.version, apiVersions: ctx.apiVersions, sandbox: ctx.sandbox }),
  },
  reset: {
    method: 'POST',
    run: async (res, ctx) => {
      if (!ctx.sandbox) {
        send(res, 403, { error: 'POST /_coffer/reset is available only in sandbox mode (coffer serve --sandbox); nothing was changed.' });
        return;
      }
      if (ctx.phase() !== 'ready') {
        send(res, 503, { error: `Coffer is ${ctx.phase()}; retry the reset when /_coffer/health answers ok.` });
        return;
      }
      await ctx.reset();
      send(res, 200, { status: 'reset' });
    },
  },
};

export async function handleAdminRequest(req: IncomingMessage, res: ServerResponse, path: string, ctx: AdminContext): Promise<void> {
  req.resume();
  const name = path.slice(ADMIN_PREFIX.length).replace(/\/$/, '');
  const endpoint = Object.hasOwn(ENDPOINTS, name) ? ENDPOINTS[name] : undefined;
  if (endpoint === undefined) {
    send(res, 404, { error: `No Coffer endpoint ${path}; there are ${Object.keys(ENDPOINTS).map((n) => ADMIN_PREFIX + n).join(', ')} (see docs/operations.md).` });
    return;
  }
  const method = req.method === 'HEAD' && endpoint.method === 'GET' ? 'GET' : req.method;
  if (method !== endpoint.method) {
    send(res, 405, { error: `${ADMIN_PREFIX}${name} answers ${endpoint.method}, not ${req.method ?? '?'}.` }, { allow: endpoint.method });
    return;
  }
  await endpoint.run(res, ctx);
}
