/**
 * Running a database client tool (pg_dump, psql, mariadb-dump, mariadb ...) as a child process:
 * arguments as an array (no shell), the password only in the child's environment, stderr kept
 * for the error message, which says what failed in words (server down, login refused, database
 * missing, tool not installed) and never quotes the environment.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { ConnectorError } from '../connector.js';
import type { ConnectorErrorKind } from '../connector.js';

export interface ToolRun {
  readonly tool: string;
  readonly args: readonly string[];
  /** Added to a minimal environment (PATH, HOME, LANG): PGPASSWORD, MYSQL_PWD ... */
  readonly env: Readonly<Record<string, string>>;
  /** What the message names: `database orders on 127.0.0.1:5432`. */
  readonly what: string;
  readonly signal?: AbortSignal | undefined;
}

const MAX_STDERR = 16 * 1024;

function start(run: ToolRun): { child: ChildProcessWithoutNullStreams; stderr: () => string; exit: Promise<void> } {
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', ...run.env };
  const child = spawn(run.tool, [...run.args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    if (err.length < MAX_STDERR) err += text;
  });
  const onAbort = (): void => void child.kill('SIGTERM');
  run.signal?.addEventListener('abort', onAbort, { once: true });
  const exit = new Promise<void>((resolve, reject) => {
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(e.code === 'ENOENT' ? new ConnectorError('ToolMissing', `${run.tool} is not installed (or not on PATH); it is needed for ${run.what}`) : e);
    });
    child.on('close', (code, signal) => {
      run.signal?.removeEventListener('abort', onAbort);
      if (run.signal?.aborted) return reject(run.signal.reason);
      if (code === 0) return resolve();
      reject(toolError(run, err, code === null ? `was killed by ${signal ?? 'a signal'}` : `exited with code ${code}`));
    });
  });
  exit.catch(() => undefined);
  child.stdin.on('error', () => undefined); // EPIPE when the tool quits early; its exit says why
  return { child, stderr: () => err, exit };
}

/** Runs a tool to completion and returns its standard output as text. */
export async function toolOutput(run: ToolRun, input?: string): Promise<string> {
  const { child, exit } = start(run);
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text: string) => {
    out += text;
  });
  child.stdin.end(input ?? '');
  await exit;
  return out;
}

/** A tool's standard output as a byte stream; it throws at the end when the tool failed. */
export async function* toolStream(run: ToolRun): AsyncGenerator<Buffer> {
  const { child, exit } = start(run);
  child.stdin.end();
  let finished = false;
  try {
    for await (const chunk of child.stdout) yield chunk as Buffer;
    finished = true;
  } finally {
    // The reader stopped early (failed or aborted elsewhere): the tool must not run on.
    if (!finished && child.exitCode === null) child.kill('SIGTERM');
  }
  await exit;
}

/** Feeds `input` to a tool's standard input and waits for it to finish. */
export async function toolInput(run: ToolRun, input: AsyncIterable<Uint8Array>): Promise<string> {
  const { child, exit } = start(run);
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text: string) => {
    if (out.length < MAX_STDERR) out += text;
  });
  try {
    await pipeline(Readable.from(input), child.stdin);
  } catch (err) {
    // The tool stopped reading (it failed): its exit status tells why; else the input failed.
    await exit;
    if (child.exitCode === 0) throw err;
  }
  await exit;
  return out;
}

const CAUSES: ReadonlyArray<readonly [RegExp, ConnectorErrorKind, string]> = [
  [
    /connection refused|can't connect to (local )?(mysql |mariadb )?server|could not connect to server|no such host|could not translate host name|unknown (mysql|mariadb) server host|timeout expired/i,
    'Unavailable',
    'the server cannot be reached',
  ],
  [
    /password authentication failed|no password supplied|access denied for user|authentication failed|no pg_hba\.conf entry|role ".*" does not exist/i,
    'Unavailable',
    'the server refused the login',
  ],
  [/database ".*" does not exist|unknown database/i, 'NotFound', 'the database does not exist'],
  [/already exists/i, 'Refused', 'it already exists'],
];

/** The error for a failed tool run: the cause in words, then the tool's first error line. */
export function toolError(run: Pick<ToolRun, 'tool' | 'what'>, stderr: string, how: string): ConnectorError {
  const line = firstErrorLine(stderr);
  for (const [pattern, kind, cause] of CAUSES) {
    if (pattern.test(stderr)) return new ConnectorError(kind, `${run.what}: ${cause} (${run.tool}: ${line})`);
  }
  return new ConnectorError('Failed', `${run.what}: ${run.tool} ${how}${line === '' ? '' : `: ${line}`}`);
}

function firstErrorLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const error = lines.find((l) => /error|fatal|denied|refused/i.test(l)) ?? lines[0] ?? '';
  return error.length > 300 ? `${error.slice(0, 297)}...` : error;
}
