/**
 * Runs the real `bin/coffer serve` as a child process, the way an operator does, and waits for
 * its machine-readable line `coffer: listening on http://127.0.0.1:PORT`. Every server here
 * listens on 127.0.0.1 port 0 with its data in a temp directory.
 */
// test-needs: coffer
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';

export const COFFER_BIN = fileURLToPath(new URL('../../../bin/coffer', import.meta.url));
const LISTENING = /^coffer: listening on (http:\/\/127\.0\.0\.1:(\d+))$/m;

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface CofferProcess {
  readonly endpoint: string;
  readonly port: number;
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<Exit>;
  stdout(): string;
  stderr(): string;
  /** Sends `signal` (default SIGTERM) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

export interface StartOptions {
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
}

/** Starts `coffer serve <args>`; rejects with its output when it exits before listening. */
export function startCofferProcess(options: StartOptions): Promise<CofferProcess> {
  const child = spawn(process.execPath, [COFFER_BIN, 'serve', ...options.args], { cwd: options.cwd, env: { ...process.env, ...options.env } });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`coffer serve did not print its listening line within ${options.timeoutMs ?? 60_000} ms\nstdout:\n${out}\nstderr:\n${err}`));
    }, options.timeoutMs ?? 60_000);
    const onData = (): void => {
      const match = LISTENING.exec(out);
      if (match === null) return;
      clearTimeout(timer);
      child.stdout.removeListener('data', onData);
      resolve({
        endpoint: match[1]!,
        port: Number(match[2]),
        child,
        exited,
        stdout: () => out,
        stderr: () => err,
        stop: (signal = 'SIGTERM') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout.on('data', onData);
    void exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`coffer serve exited (${JSON.stringify(exit)}) before listening\nstdout:\n${out}\nstderr:\n${err}`));
    });
  });
}

/** A temp directory removed after `body`, for a server's config and data. */
export async function withTempDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'coffer-server-'));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function writeConfig(dir: string, yaml: string): Promise<string> {
  const file = join(dir, 'coffer.yaml');
  await writeFile(file, process.env['COFFER_TEST_CATALOG'] === 'postgres' ? await onPostgres(yaml) : yaml);
  return file;
}

/**
 * `COFFER_TEST_CATALOG=postgres` (by hand, not in npm test): every config written here gets a
 * PostgreSQL catalog of its own (127.0.0.1:5432, user postgres; a database per config, dropped
 * when the test file ends), to run the server tests on the many-node catalog. Tests that open
 * `data/catalog.sqlite` themselves cannot run so.
 */
const postgresDatabases: string[] = [];

// Registered at load, outside any test or hook, so it runs once after the file's last test.
after(async () => {
  if (postgresDatabases.length === 0) return;
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' });
  await admin.connect();
  for (const name of postgresDatabases) await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.end();
});

async function onPostgres(yaml: string): Promise<string> {
  const { default: pg } = await import('pg');
  const database = `coffer_srv_${process.pid}_${postgresDatabases.length}`;
  const client = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' });
  await client.connect();
  try {
    await client.query(`drop database if exists "${database}" with (force)`);
    await client.query(`create database "${database}"`);
  } finally {
    await client.end();
  }
  postgresDatabases.push(database);
  const line = `catalog: postgres://postgres@127.0.0.1:5432/${database}`;
  return /^catalog:.*$/m.test(yaml) ? yaml.replace(/^catalog:.*$/m, line) : `${line}\n${yaml}`;
}
