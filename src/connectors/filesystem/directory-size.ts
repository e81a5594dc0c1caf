/** Bytes and files below a directory (regular files, symlinks not followed): a job's expected total. */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export async function directorySize(root: string): Promise<{ bytes: number; files: number }> {
  let bytes = 0;
  let files = 0;
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) {
        files += 1;
        bytes += (await lstat(path).catch(() => undefined))?.size ?? 0;
      }
    }
  };
  await walk(root);
  return { bytes, files };
}
