/**
 * One real Coffer server per test file: `useCoffer()` registers before/after hooks that start
 * `coffer serve --config <temp>/coffer.yaml` (two accounts, two regions, port 0) and stop it
 * with SIGTERM afterwards, asserting a clean exit.
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TWO_ACCOUNTS_YAML } from './accounts.js';
import { startCofferProcess, writeConfig } from './coffer-process.js';
import type { CofferProcess } from './coffer-process.js';

export interface TestServer {
  readonly endpoint: string;
  readonly dir: string;
  readonly process: CofferProcess;
}

/**
 * `yaml` may be a function, awaited when the server starts (e.g. one that starts an endpoint the
 * config names first); `cleanup` runs once the server has stopped, also when it did not stop
 * cleanly (e.g. stopping the endpoints `yaml` started, which would otherwise keep the test
 * process alive after a failed assertion).
 */
export function useCoffer(
  options: { readonly yaml?: string | (() => string | Promise<string>); readonly args?: readonly string[]; readonly cleanup?: () => Promise<void> } = {},
): () => TestServer {
  let server: TestServer | undefined;
  before(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'coffer-server-'));
    const yaml = typeof options.yaml === 'function' ? await options.yaml() : options.yaml;
    const config = await writeConfig(dir, yaml ?? TWO_ACCOUNTS_YAML);
    const process = await startCofferProcess({ args: ['--config', config, ...(options.args ?? [])], cwd: dir });
    server = { endpoint: process.endpoint, dir, process };
  });
  after(async () => {
    if (server === undefined) {
      await options.cleanup?.();
      return;
    }
    const exit = await server.process.stop('SIGTERM').finally(() => options.cleanup?.());
    const stderr = server.process.stderr();
    await rm(server.dir, { recursive: true, force: true });
    assert.deepEqual(exit, { code: 0, signal: null }, `coffer serve did not exit cleanly; stderr:\n${stderr}`);
    assert.equal(stderr, '', 'nothing on stderr: no internal errors');
  });
  return () => {
    if (server === undefined) throw new Error('the server is not running (did its before hook fail?)');
    return server;
  };
}
