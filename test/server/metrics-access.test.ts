/**
 * Who may read /metrics: loopback clients always; others only with the configured bearer token
 * (compared in constant time) or when the config makes it public. Real HTTP requests, with the
 * remote address the check sees set by a listener on 127.0.0.1 acting for another host.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Secret } from '../../src/config/secret.js';
import type { MetricsConfig } from '../../src/config/schema.js';
import { isLoopbackAddress, serveMetrics } from '../../src/server/metrics-endpoint.js';
import type { CofferMetrics } from '../../src/metrics/coffer-metrics.js';

const metrics = { contentType: 'text/plain; version=0.0.4; charset=utf-8', render: async () => 'coffer_up 1\n' } as unknown as CofferMetrics;

async function scrape(access: MetricsConfig, remote: string, authorization?: string): Promise<{ status: number; text: string }> {
  const server = createServer((req, res) => {
    Object.defineProperty(req.socket, 'remoteAddress', { value: remote, configurable: true });
    void serveMetrics(req, res, metrics, access);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`, {
      headers: authorization === undefined ? {} : { authorization },
    });
    return { status: res.status, text: await res.text() };
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

test('loopback always; others with the bearer token or when public', async () => {
  assert.equal(isLoopbackAddress('127.0.0.1'), true);
  assert.equal(isLoopbackAddress('::ffff:127.0.0.1'), true);
  assert.equal(isLoopbackAddress('::1'), true);
  assert.equal(isLoopbackAddress('10.0.0.7'), false);
  const closed: MetricsConfig = { public: false, token: undefined };
  const token: MetricsConfig = { public: false, token: new Secret('scrape-token-123') };
  assert.equal((await scrape(closed, '127.0.0.1')).status, 200);
  const refused = await scrape(closed, '10.0.0.7');
  assert.equal(refused.status, 403);
  assert.match(refused.text, /set metrics\.tokenFile \(or tokenEnv\)/);
  assert.equal((await scrape(token, '10.0.0.7', 'Bearer scrape-token-123')).status, 200);
  const wrong = await scrape(token, '10.0.0.7', 'Bearer nope');
  assert.equal(wrong.status, 403);
  assert.equal(wrong.text.includes('scrape-token-123'), false);
  assert.equal((await scrape({ public: true, token: undefined }, '10.0.0.7')).status, 200);
});
