/**
 * A comparable description of a directory tree: every entry's relative path, type, permission
 * bits, size, mtime (to the microsecond), symlink target and content hash.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';

export interface EntryDigest {
  readonly type: string;
  readonly mode: number;
  readonly size?: number;
  readonly mtimeUs?: bigint;
  readonly target?: string;
  readonly sha256?: string;
}

async function hashFile(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

export async function digestTree(root: string, options: { mtimes?: boolean } = {}): Promise<Map<string, EntryDigest>> {
  const out = new Map<string, EntryDigest>();
  const visit = async (rel: string): Promise<void> => {
    const path = rel ? join(root, rel) : root;
    const st = await lstat(path, { bigint: true });
    const mode = Number(st.mode) & 0o7777;
    const mtimeUs = options.mtimes === false ? undefined : st.mtimeNs / 1000n;
    if (st.isDirectory()) {
      if (rel) out.set(rel, { type: 'dir', mode, mtimeUs });
      for (const name of (await readdir(path)).sort()) await visit(rel ? `${rel}/${name}` : name);
    } else if (st.isSymbolicLink()) {
      out.set(rel, { type: 'symlink', mode: 0, target: await readlink(path) });
    } else if (st.isFile()) {
      out.set(rel, { type: 'file', mode, size: Number(st.size), mtimeUs, sha256: await hashFile(path) });
    } else {
      out.set(rel, { type: 'other', mode });
    }
  };
  await visit('');
  return out;
}

/** Lists the differences between two digests (empty when identical). */
export function diffDigests(a: Map<string, EntryDigest>, b: Map<string, EntryDigest>): string[] {
  const diffs: string[] = [];
  for (const [path, ea] of a) {
    const eb = b.get(path);
    if (!eb) diffs.push(`missing: ${path}`);
    else if (JSON.stringify(ea, replacer) !== JSON.stringify(eb, replacer))
      diffs.push(`differs: ${path} ${JSON.stringify(ea, replacer)} vs ${JSON.stringify(eb, replacer)}`);
  }
  for (const path of b.keys()) if (!a.has(path)) diffs.push(`extra: ${path}`);
  return diffs;
}

function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
