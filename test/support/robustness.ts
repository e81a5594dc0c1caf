/**
 * Shared by the robustness tests (issue 12): how many rounds to run (small in `npm test`, large
 * with COFFER_ROBUSTNESS=full, which bench/robustness.ts sets), a seeded random source, killing a
 * child process at a chosen moment, and the figures line bench/robustness.ts collects.
 */
import type { ChildProcess } from 'node:child_process';
import type { TestContext } from 'node:test';

/** `small` rounds normally, `full` with COFFER_ROBUSTNESS=full. */
export function rounds(small: number, full: number): number {
  return process.env['COFFER_ROBUSTNESS'] === 'full' ? full : small;
}

/** A seeded PRNG (mulberry32): the seed is printed, so a failing round can be replayed with COFFER_ROBUSTNESS_SEED. */
export function seededRandom(t: TestContext): () => number {
  let seed = Number(process.env['COFFER_ROBUSTNESS_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
  t.diagnostic(`seed ${seed} (replay with COFFER_ROBUSTNESS_SEED=${seed})`);
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32;
  };
}

export interface Ending {
  readonly killed: boolean;
  readonly code: number | null;
  readonly stderr: string;
}

/** Waits for `child`, sending SIGKILL after `ms` unless it ended first. */
export function killAfter(child: ChildProcess, ms: number): Promise<Ending> {
  let stderr = '';
  child.stdout?.resume();
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', code, stderr });
    });
  });
}

/** The figures of a robustness test as one line bench/robustness.ts picks up. */
export function reportFigures(t: TestContext, what: string, figures: Readonly<Record<string, number | string>>): void {
  t.diagnostic(
    `robustness: ${what}: ${Object.entries(figures)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
  );
}
