/**
 * `GET /metrics`: Prometheus text. Prometheus cannot sign SigV4, so access is by where the
 * scrape comes from: loopback clients always, others with `Authorization: Bearer <token>`
 * (config `metrics.tokenFile` / `tokenEnv`), everyone with `metrics.public: true`.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MetricsConfig } from '../config/schema.js';
import type { CofferMetrics } from '../metrics/coffer-metrics.js';

export const METRICS_PATH = '/metrics';

export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

function bearerMatches(req: IncomingMessage, access: MetricsConfig): boolean {
  if (access.token === undefined) return false;
  const given = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(access.token.reveal());
  return a.length === b.length && timingSafeEqual(a, b);
}

function text(res: ServerResponse, status: number, body: string, headers: Readonly<Record<string, string>> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(body);
}

export async function serveMetrics(req: IncomingMessage, res: ServerResponse, metrics: CofferMetrics | undefined, access: MetricsConfig): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return text(res, 405, 'GET /metrics only.\n', { allow: 'GET' });
  if (!access.public && !isLoopbackAddress(req.socket.remoteAddress) && !bearerMatches(req, access)) {
    const fix =
      access.token === undefined
        ? 'scrape from 127.0.0.1, or set metrics.tokenFile (or tokenEnv) in the config and send Authorization: Bearer <token>, or metrics.public: true'
        : 'send Authorization: Bearer <the token of metrics.tokenFile / tokenEnv>';
    return text(res, 403, `GET /metrics from ${req.socket.remoteAddress ?? 'this address'} is not allowed: ${fix}.\n`);
  }
  if (metrics === undefined) return text(res, 503, 'Coffer is starting; retry when /_coffer/health answers ok.\n');
  const body = await metrics.render();
  res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : body);
}
