/**
 * A small tmpfs for full-disk and read-only tests (`mount -t tmpfs -o size=…`). Only root may
 * mount; where mounting is not permitted the caller skips, saying so.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Tmpfs {
  readonly dir: string;
  /** Remounts read-only (`true`) or read-write. */
  remount(readOnly: boolean): void;
  unmount(): Promise<void>;
}

function sh(args: readonly string[]): { ok: boolean; message: string } {
  const r = spawnSync(args[0]!, args.slice(1), { encoding: 'utf8' });
  return { ok: r.status === 0, message: `${r.error?.message ?? ''}${r.stderr ?? ''}`.trim() };
}

/** A fresh tmpfs of `sizeMb` MiB, or the reason none could be mounted. */
export async function mountTmpfs(sizeMb: number): Promise<Tmpfs | string> {
  const dir = await mkdtemp(join(tmpdir(), 'coffer-tmpfs-'));
  const mounted = sh(['mount', '-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0755`, 'tmpfs', dir]);
  if (!mounted.ok) {
    await rm(dir, { recursive: true, force: true });
    return `cannot mount a tmpfs here (${mounted.message || 'mount failed'}); run the tests as root where mount is permitted`;
  }
  return {
    dir,
    remount(readOnly) {
      const r = sh(['mount', '-o', `remount,${readOnly ? 'ro' : 'rw'}`, dir]);
      if (!r.ok) throw new Error(`remount ${dir}: ${r.message}`);
    },
    async unmount() {
      sh(['umount', '-l', dir]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
