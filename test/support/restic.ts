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

/** `env`: more environment, e.g. AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY for an s3: repository. */
export function restic(repo: string, passwordFile: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Run {
  return run('restic', ['-r', repo, '--password-file', passwordFile, '--no-cache', ...args], undefined, env);
}

/** Runs restic and fails with its output when it does not exit 0. */
export function resticOk(repo: string, passwordFile: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): string {
  const r = restic(repo, passwordFile, args, env);
  if (r.status !== 0) throw new Error(`restic ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

export function coffer(args: readonly string[], input?: Buffer | string, env: NodeJS.ProcessEnv = {}): Run {
  return run(process.execPath, [COFFER_BIN, ...args], input, env);
}

export function cofferOk(args: readonly string[], input?: Buffer | string, env: NodeJS.ProcessEnv = {}): string {
  const r = coffer(args, input, env);
  if (r.status !== 0) throw new Error(`coffer ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

export function cofferSpawn(args: readonly string[]): ChildProcess {
  return spawn(process.execPath, [COFFER_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}
