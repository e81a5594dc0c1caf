/**
 * Counts files and bytes below the backup paths while the backup runs, so the progress line can
 * show an ETA. Best effort: unreadable entries are skipped silently (the backup reports them).
 */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Progress } from '../vault/progress.js';

export async function scanTotals(paths: readonly string[], progress: Progress): Promise<void> {
  let files = 0;
  let bytes = 0;
  const visit = async (p: string): Promise<void> => {
    const st = await lstat(p).catch(() => undefined);
    if (!st) return;
    if (st.isFile()) {
      files++;
      bytes += st.size;
    } else if (st.isDirectory()) {
      const names = await readdir(p).catch(() => [] as string[]);
      for (const n of names) await visit(join(p, n));
    }
  };
  for (const p of paths) await visit(p);
  progress.totalFiles = files;
  progress.totalBytes = bytes;
}
