/**
 * A moto server (DynamoDB and S3 on one port) for connector tests: started per test file on a
 * free loopback port, waited for, killed when the file's tests end. Addressing is path-style,
 * region us-east-1, any access key. moto logs to a file in a temp directory, never to a pipe: a
 * pipe nobody drains while a test blocks in spawnSync (restic, coffer) fills up and stalls moto.
 */
// test-needs: moto
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface MotoServer {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

export const MOTO_REGION = 'us-east-1';
export const MOTO_CREDENTIALS = { accessKeyId: 'AKIATESTTESTTEST', secretAccessKey: 'moto-secret-do-not-print' } as const;

/** A port that was free a moment ago (the kernel's choice for port 0). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startMoto(timeoutMs = 30_000): Promise<MotoServer> {
  const port = await freePort();
  const logDir = mkdtempSync(join(tmpdir(), 'coffer-moto-'));
  const logFile = join(logDir, 'moto.log');
  const log = openSync(logFile, 'w');
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', log, log] });
  closeSync(log);
  const logTail = (): string => {
    try {
      return readFileSync(logFile, 'utf8').slice(-4000);
    } catch {
      return '';
    }
  };
  const stop = async (): Promise<void> => {
    await stopChild(child);
    rmSync(logDir, { recursive: true, force: true });
  };
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto server exited with ${child.exitCode}: ${logTail()}`);
    const up = await fetch(`${endpoint}/moto-api/`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) {
      const tail = logTail();
      await stop();
      throw new Error(`moto server did not answer on ${endpoint} within ${timeoutMs} ms: ${tail}`);
    }
    await sleep(150);
  }
  return { endpoint, port, stop };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
