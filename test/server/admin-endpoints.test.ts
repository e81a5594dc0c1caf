/** The /_coffer/ endpoints by phase: health is 503 while starting or stopping, reset only when ready. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { handleAdminRequest } from '../../src/server/admin-endpoints.js';
import type { AdminContext, ServerPhase } from '../../src/server/admin-endpoints.js';
import { startServer } from '../aws/support/aws-server.js';

async function withAdmin(ctx: AdminContext, body: (endpoint: string) => Promise<void>): Promise<void> {
  const server = await startServer((req, res) => handleAdminRequest(req, res, (req.url ?? '/').split('?')[0]!, ctx));
  try {
    await body(server.endpoint);
  } finally {
    await server.close();
  }
}

test('health answers 503 with the phase until ready, and again while stopping', async () => {
  let phase: ServerPhase = 'starting';
  let resets = 0;
  const ctx: AdminContext = { phase: () => phase, version: '9.9.9', apiVersions: {}, sandbox: true, reset: async () => void (resets += 1) };
  await withAdmin(ctx, async (endpoint) => {
    const health = async () => {
      const res = await fetch(`${endpoint}/_coffer/health`);
      return [res.status, await res.json()];
    };
    assert.deepEqual(await health(), [503, { status: 'starting' }]);
    assert.equal((await fetch(`${endpoint}/_coffer/reset`, { method: 'POST' })).status, 503, 'no reset before ready');
    phase = 'ready';
    assert.deepEqual(await health(), [200, { status: 'ok' }]);
    assert.equal((await fetch(`${endpoint}/_coffer/reset`, { method: 'POST' })).status, 200);
    assert.equal(resets, 1);
    phase = 'stopping';
    assert.deepEqual(await health(), [503, { status: 'stopping' }]);
    assert.equal((await fetch(`${endpoint}/_coffer/health/`)).status, 503, 'a trailing slash is the same endpoint');
  });
});
