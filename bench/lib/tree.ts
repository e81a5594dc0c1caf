/**
 * bench/lib/tree.ts: walking directory trees for the benchmark: a sha256 manifest of every entry
 * (to prove a restore is byte-identical to its source), a comparison of two manifests, and the
 * apparent size of a tree (what `du -sb` reports: the sum of file sizes).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';

export interface Entry {
  readonly type: 'file' | 'dir' | 'symlink' | 'other';
  readonly size: number;
  readonly mtimeS: number;
  /** sha256 of a file's bytes, or a symlink's target. */
  readonly digest: string;
}

export type Manifest = Map<string, Entry>;

/** Relative paths (slash-separated) of everything below `root`, with lstat results. */
async function walk(root: string, visit: (rel: string, abs: string, st: Awaited<ReturnType<typeof lstat>>) => void): Promise<void> {
  const pending = [''];
  while (pending.length > 0) {
    const rel = pending.pop()!;
    const entries = await readdir(join(root, rel), { withFileTypes: true });
    for (const e of entries) {
      const childRel = rel === '' ? e.name : `${rel}/${e.name}`;
      const abs = join(root, childRel);
      const st = await lstat(abs);
      visit(childRel, abs, st);
      if (st.isDirectory()) pending.push(childRel);
    }
  }
}

function hashFile(path: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const h = createHash('sha256');
    createReadStream(path, { highWaterMark: 1024 * 1024 })
      .on('data', (chunk) => h.update(chunk))
      .on('error', reject)
      .on('end', () => resolvePromise(h.digest('hex')));
  });
}

/** Runs `jobs` with at most `limit` in flight. */
async function pool(jobs: Array<() => Promise<void>>, limit: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) await jobs[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
}

/** Every entry below `root` (not `root` itself) with its type, size, mtime and content digest. */
export async function manifest(root: string): Promise<Manifest> {
  const out: Manifest = new Map();
  const jobs: Array<() => Promise<void>> = [];
  await walk(root, (rel, abs, st) => {
    const base = { size: Number(st.size), mtimeS: Math.floor(Number(st.mtimeMs) / 1000) };
    if (st.isFile()) {
      jobs.push(async () => {
        out.set(rel, { type: 'file', ...base, digest: await hashFile(abs) });
      });
    } else if (st.isSymbolicLink()) {
      jobs.push(async () => {
        out.set(rel, { type: 'symlink', ...base, digest: await readlink(abs) });
      });
    } else {
      out.set(rel, { type: st.isDirectory() ? 'dir' : 'other', ...base, size: 0, digest: '' });
    }
  });
  await pool(jobs, 8);
  return out;
}

export interface Comparison {
  readonly missing: string[];
  readonly extra: string[];
  /** Different type, size or bytes. */
  readonly differ: string[];
  /** Same bytes, different modification time (files only). */
  readonly mtime: string[];
}

export function compareManifests(expected: Manifest, actual: Manifest): Comparison {
  const c: Comparison = { missing: [], extra: [], differ: [], mtime: [] };
  for (const [path, want] of expected) {
    const got = actual.get(path);
    if (!got) c.missing.push(path);
    else if (got.type !== want.type || got.size !== want.size || got.digest !== want.digest) c.differ.push(path);
    else if (want.type === 'file' && got.mtimeS !== want.mtimeS) c.mtime.push(path);
  }
  for (const path of actual.keys()) if (!expected.has(path)) c.extra.push(path);
  return c;
}

export function identical(c: Comparison): boolean {
  return c.missing.length === 0 && c.extra.length === 0 && c.differ.length === 0;
}

/** One line for a report: "identical" or the counts and first few offenders. */
export function describeComparison(c: Comparison): string {
  if (identical(c)) return c.mtime.length ? `identical bytes; ${c.mtime.length} mtime(s) differ` : 'identical';
  const parts: string[] = [];
  for (const [name, list] of [
    ['missing', c.missing],
    ['extra', c.extra],
    ['differ', c.differ],
  ] as const) {
    if (list.length) parts.push(`${list.length} ${name} (e.g. ${list.slice(0, 3).join(', ')})`);
  }
  return parts.join('; ');
}

/** Apparent size of a tree in bytes (sum of file sizes, like `du -sb`); 0 if it does not exist. */
export async function treeBytes(root: string): Promise<number> {
  let total = 0;
  try {
    await walk(root, (_rel, _abs, st) => {
      if (!st.isDirectory()) total += Number(st.size);
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  return total;
}
