/**
 * bench/lib/proc.ts: running benchmark commands. `timed` wraps a command in GNU time
 * (`/usr/bin/time -f '%e %M %U %S'`: wall seconds, peak RSS in KiB, user and system CPU seconds)
 * and sends the command's own output to a log file. Each command runs in its own process group
 * so a time-out or Ctrl-C can stop it and everything it started.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';

export const GNU_TIME = '/usr/bin/time';

export interface Command {
  readonly argv: readonly string[];
  readonly cwd?: string;
  readonly env: NodeJS.ProcessEnv;
}

export interface Measured {
  readonly exitCode: number;
  /** Wall-clock seconds (GNU time %e). */
  readonly seconds: number;
  /** Peak resident set size in KiB (GNU time %M): of the largest single process. */
  readonly maxRssKb: number;
  readonly userS: number;
  readonly sysS: number;
}

const running = new Set<number>();

/** Kills the process groups of every command still running (for Ctrl-C). */
export function killRunning(): void {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

/** Runs a command to completion, output appended to `log`; resolves with its exit code. */
export function run(cmd: Command, log: string, timeoutS = 0): Promise<number> {
  const fd = openSync(log, 'a');
  const [file, ...args] = cmd.argv;
  return new Promise<number>((resolvePromise, reject) => {
    const child = spawn(file!, args, { cwd: cmd.cwd, env: cmd.env, stdio: ['ignore', fd, fd], detached: true });
    const pid = child.pid;
    if (pid !== undefined) running.add(pid);
    const timer =
      timeoutS > 0
        ? setTimeout(() => {
            if (pid !== undefined)
              try {
                process.kill(-pid, 'SIGKILL');
              } catch {
                /* gone */
              }
          }, timeoutS * 1000)
        : undefined;
    const done = (): void => {
      if (timer) clearTimeout(timer);
      if (pid !== undefined) running.delete(pid);
      closeSync(fd);
    };
    child.on('error', (err) => {
      done();
      reject(err);
    });
    child.on('close', (code, signal) => {
      done();
      resolvePromise(code ?? (signal ? 128 : 1));
    });
  });
}

/** Runs a command under GNU time. A failed or killed command yields a non-zero exitCode. */
export async function timed(cmd: Command, log: string, timeoutS = 0): Promise<Measured> {
  const timeFile = `${log}.time`;
  const argv = [GNU_TIME, '-o', timeFile, '-f', '%e %M %U %S', ...cmd.argv];
  const exitCode = await run({ ...cmd, argv }, log, timeoutS);
  const parsed = parseTime(timeFile);
  rmSync(timeFile, { force: true });
  return { exitCode, ...parsed };
}

/** The last line of GNU time's output file (earlier lines may say "Command exited with ..."). */
function parseTime(file: string): Omit<Measured, 'exitCode'> {
  let fields: number[] = [];
  try {
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    fields = (lines[lines.length - 1] ?? '').trim().split(/\s+/).map(Number);
  } catch {
    /* killed before time wrote anything */
  }
  const [seconds, maxRssKb, userS, sysS] = fields;
  const num = (v: number | undefined): number => (v !== undefined && Number.isFinite(v) ? v : NaN);
  return { seconds: num(seconds), maxRssKb: num(maxRssKb), userS: num(userS), sysS: num(sysS) };
}

/** Runs a command and captures its stdout (for version strings and probes); never throws. */
export function capture(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, timeoutS = 60): Promise<{ code: number; out: string }> {
  const [file, ...args] = argv;
  return new Promise((resolvePromise) => {
    let out = '';
    const child = spawn(file!, args, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutS * 1000 });
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', (err) => resolvePromise({ code: 127, out: String(err) }));
    child.on('close', (code) => resolvePromise({ code: code ?? 1, out: out.trim() }));
  });
}

/** The last `n` lines of a log file, for failure messages. */
export function tail(file: string, n = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '(no output)';
  }
}
