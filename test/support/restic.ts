/** Runs the real restic 0.14 (the format oracle) and Coffer's own CLI from tests. */
// test-needs: restic, coffer
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const COFFER_BIN = fileURLToPath(new URL('../../bin/coffer', import.meta.url));

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(cmd: string, args: readonly string[], input?: Buffer | string, env: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync(cmd, args, { input, env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

export function restic(repo: string, passwordFile: string, args: readonly string[]): Run {
  return run('restic', ['-r', repo, '--password-file', passwordFile, '--no-cache', ...args]);
}

/** Runs restic and fails with its output when it does not exit 0. */
export function resticOk(repo: string, passwordFile: string, args: readonly string[]): string {
  const r = restic(repo, passwordFile, args);
  if (r.status !== 0) throw new Error(`restic ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

export function coffer(args: readonly string[], input?: Buffer | string): Run {
  return run(process.execPath, [COFFER_BIN, ...args], input);
}

export function cofferOk(args: readonly string[], input?: Buffer | string): string {
  const r = coffer(args, input);
  if (r.status !== 0) throw new Error(`coffer ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

export function cofferSpawn(args: readonly string[]): ChildProcess {
  return spawn(process.execPath, [COFFER_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}
