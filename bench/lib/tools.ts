/**
 * bench/lib/tools.ts: how the benchmark drives each backup tool. Every tool gets the same steps
 * (init, backup, restore of the latest snapshot) and an isolated HOME / cache / config directory,
 * so runs start clean and a tool's local cache can be measured.
 *
 *   restic: repository v2 (compression "auto", zstd level ~3), RESTIC_PASSWORD_FILE.
 *   borg:   repokey-blake2 encryption, compression lz4 by default (borg's default), BORG_PASSPHRASE.
 *   coffer: its CLI contract, `coffer vault init|backup|restore <repo> --password-file F ...`.
 */
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from './proc.js';
import { capture } from './proc.js';

export type ToolName = 'restic' | 'borg' | 'coffer';
export const TOOL_NAMES: readonly ToolName[] = ['restic', 'borg', 'coffer'];

/** Where one tool's run lives. */
export interface ToolContext {
  readonly repo: string;
  /** HOME, XDG_CACHE_HOME and BORG_BASE_DIR live here: the tool's local state. */
  readonly home: string;
  readonly passwordFile: string;
}

export interface Tool {
  readonly name: ToolName;
  /** undefined when usable, or why not. */
  unavailable(): Promise<string | undefined>;
  version(): Promise<string>;
  init(ctx: ToolContext): Command;
  /** `label` names the snapshot/archive (borg needs one; restic and coffer ignore it). */
  backup(ctx: ToolContext, source: string, label: string): Command;
  /** Restores the snapshot made by the backup called `label` (the latest one) into `target`. */
  restore(ctx: ToolContext, target: string, label: string): Command;
}

/** The caller's environment without other tools' settings, plus an isolated home. */
function baseEnv(ctx: ToolContext): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('RESTIC_') && !k.startsWith('BORG_')) env[k] = v;
  }
  return {
    ...env,
    HOME: ctx.home,
    XDG_CACHE_HOME: join(ctx.home, '.cache'),
    XDG_CONFIG_HOME: join(ctx.home, '.config'),
  };
}

export function restic(): Tool {
  const env = (ctx: ToolContext): NodeJS.ProcessEnv => ({ ...baseEnv(ctx), RESTIC_PASSWORD_FILE: ctx.passwordFile });
  const cmd = (ctx: ToolContext, ...args: string[]): Command => ({ argv: ['restic', '-r', ctx.repo, ...args], env: env(ctx) });
  return {
    name: 'restic',
    unavailable: async () => ((await capture(['restic', 'version'])).code === 0 ? undefined : 'restic not found'),
    version: async () => (await capture(['restic', 'version'])).out,
    init: (ctx) => cmd(ctx, 'init', '--repository-version', '2'),
    backup: (ctx, source) => cmd(ctx, 'backup', source),
    restore: (ctx, target) => cmd(ctx, 'restore', 'latest', '--target', target),
  };
}

export function borg(compression: string): Tool {
  const env = (ctx: ToolContext): NodeJS.ProcessEnv => ({
    ...baseEnv(ctx),
    BORG_BASE_DIR: ctx.home,
    BORG_PASSPHRASE: readFileSync(ctx.passwordFile, 'utf8').trim(),
    BORG_DISPLAY_PASSPHRASE: 'no',
    BORG_RELOCATED_REPO_ACCESS_IS_OK: 'yes',
    BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK: 'yes',
  });
  return {
    name: 'borg',
    unavailable: async () => ((await capture(['borg', '--version'])).code === 0 ? undefined : 'borg not found'),
    version: async () => `${(await capture(['borg', '--version'])).out} (compression ${compression})`,
    init: (ctx) => ({ argv: ['borg', 'init', '-e', 'repokey-blake2', ctx.repo], env: env(ctx) }),
    backup: (ctx, source, label) => ({
      argv: ['borg', 'create', '--compression', compression, `${ctx.repo}::${label}`, source],
      env: env(ctx),
    }),
    restore: (ctx, target, label) => ({ argv: ['borg', 'extract', `${ctx.repo}::${label}`], cwd: target, env: env(ctx) }),
  };
}

/** Coffer through `bin/coffer` (run directly when executable, else with node). */
export function coffer(bin: string): Tool {
  const prefix = (): string[] => (isExecutable(bin) ? [bin] : [process.execPath, bin]);
  const cmd = (ctx: ToolContext, verb: string, ...args: string[]): Command => ({
    argv: [...prefix(), 'vault', verb, ctx.repo, '--password-file', ctx.passwordFile, ...args],
    env: baseEnv(ctx),
  });
  return {
    name: 'coffer',
    unavailable: async () => {
      if (!existsSync(bin)) return `${bin} does not exist`;
      const probe = await capture([...prefix(), 'vault', '--help']);
      if (probe.code === 0) return undefined;
      const lines = probe.out.split('\n');
      const line = lines.find((l) => /error/i.test(l)) ?? lines[0] ?? '';
      return `\`${bin} vault --help\` exited ${probe.code}: ${line.trim()}`;
    },
    version: async () => `coffer ${packageVersion(join(dirname(bin), '..', 'package.json'))} (${bin})`,
    init: (ctx) => cmd(ctx, 'init'),
    backup: (ctx, source) => cmd(ctx, 'backup', source),
    restore: (ctx, target) => cmd(ctx, 'restore', 'latest', '--target', target),
  };
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function packageVersion(file: string): string {
  try {
    return String((JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version ?? '?');
  } catch {
    return '?';
  }
}
