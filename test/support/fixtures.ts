/** Test data: deterministic pseudo-random bytes and a source tree with every kind of entry. */
import { createCipheriv } from 'node:crypto';
import { mkdir, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Deterministic incompressible bytes from an AES-CTR keystream. */
export function randomData(size: number, seed = 1): Buffer {
  const key = Buffer.alloc(32, seed);
  const c = createCipheriv('aes-256-ctr', key, Buffer.alloc(16, 0));
  return c.update(Buffer.alloc(size));
}

/** Compressible text-like bytes. */
export function textData(size: number, seed = 1): Buffer {
  const words = ['backup', 'vault', 'restore', 'region', 'account', 'policy', 'copy', 'plan', 'rule', 'key', 'lock', 'cold'];
  const r = randomData(Math.ceil(size / 4), seed);
  const parts: string[] = [];
  let len = 0;
  for (let i = 0; len < size; i++) {
    const w = `${words[r[i % r.length]! % words.length]}${r[(i + 1) % r.length]! % 7 === 0 ? '\n' : ' '}`;
    parts.push(w);
    len += w.length;
  }
  return Buffer.from(parts.join('').slice(0, size));
}

/** Files, an empty file, a symlink, unicode names, a deep chain and odd modes. */
export async function makeMixedTree(root: string): Promise<void> {
  await mkdir(join(root, 'docs', 'ünïcödé 名前'), { recursive: true });
  await writeFile(join(root, 'docs', 'readme.txt'), textData(200_000));
  await writeFile(join(root, 'docs', 'ünïcödé 名前', 'emoji 🎉.txt'), 'party\n');
  await writeFile(join(root, 'empty'), '');
  await writeFile(join(root, 'random.bin'), randomData(3 * 1024 * 1024 + 17));
  await writeFile(join(root, 'script.sh'), '#!/bin/sh\necho hi\n', { mode: 0o755 });
  await symlink('docs/readme.txt', join(root, 'link-to-readme'));
  await symlink('/nonexistent/target', join(root, 'dangling'));
  let deep = join(root, 'deep');
  for (let i = 0; i < 40; i++) deep = join(deep, `level-${i}`);
  await mkdir(deep, { recursive: true });
  await writeFile(join(deep, 'bottom.txt'), 'bottom\n');
  await utimes(join(root, 'docs', 'readme.txt'), new Date('2001-02-03T04:05:06.789Z'), new Date('2001-02-03T04:05:06.789Z'));
}
