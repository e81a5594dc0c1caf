/**
 * Coffer writes, restic reads: restic 0.14 checks every byte of a Coffer-written repository,
 * lists its snapshots and restores byte-identical files.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { randomData, makeMixedTree, textData } from '../support/fixtures.js';
import { cofferOk, resticOk } from '../support/restic.js';
import { tempDir } from '../support/temp-dir.js';
import { diffDigests, digestTree } from '../support/tree-digest.js';

async function setup(t: Parameters<typeof tempDir>[0]): Promise<{ dir: string; repo: string; pw: string }> {
  const dir = await tempDir(t);
  const pw = join(dir, 'pw');
  await writeFile(pw, 'correct horse battery staple\n');
  const repo = join(dir, 'repo');
  cofferOk(['vault', 'init', repo, '--password-file', pw]);
  return { dir, repo, pw };
}

test('restic checks, lists and restores a tree Coffer backed up', async (t) => {
  const { dir, repo, pw } = await setup(t);
  const src = join(dir, 'src');
  await makeMixedTree(src);
  const id = cofferOk(['vault', 'backup', repo, '--password-file', pw, '--tag', 'daily', src]).trim();
  assert.match(id, /^[0-9a-f]{64}$/);

  resticOk(repo, pw, ['check', '--read-data']);
  const listed = JSON.parse(resticOk(repo, pw, ['snapshots', '--json'])) as Array<{ id: string; paths: string[]; tags: string[] }>;
  assert.equal(listed.length, 1);
  assert.equal(listed[0]!.id, id);
  assert.deepEqual(listed[0]!.paths, [src]);
  assert.deepEqual(listed[0]!.tags, ['daily']);

  const out = join(dir, 'out');
  resticOk(repo, pw, ['restore', id, '--target', out]);
  assert.deepEqual(diffDigests(await digestTree(src), await digestTree(join(out, src))), []);
});

test('many small files (over 10,000) and a large file (over 100 MiB) round-trip through restic', async (t) => {
  const { dir, repo, pw } = await setup(t);
  const src = join(dir, 'src');
  const small = join(src, 'small');
  for (let d = 0; d < 100; d++) {
    await mkdir(join(small, `d${d}`), { recursive: true });
    await Promise.all(
      Array.from({ length: 101 }, (_, f) =>
        writeFile(join(small, `d${d}`, `f${f}.txt`), f % 10 === 0 ? '' : `file ${d}/${f}\n${'x'.repeat((d * 101 + f) % 3000)}`),
      ),
    );
  }
  await writeFile(join(src, 'large.bin'), randomData(105 * 1024 * 1024, 7));
  const id = cofferOk(['vault', 'backup', repo, '--password-file', pw, src]).trim();
  resticOk(repo, pw, ['check', '--read-data']);
  const out = join(dir, 'out');
  resticOk(repo, pw, ['restore', id, '--target', out]);
  const restored = await digestTree(join(out, src));
  assert.equal([...restored.values()].filter((e) => e.type === 'file').length, 100 * 101 + 1);
  assert.deepEqual(diffDigests(await digestTree(src), restored), []);
});

test('a stream backup is a file restic restores', async (t) => {
  const { dir, repo, pw } = await setup(t);
  const data = Buffer.concat([textData(3_000_000, 3), randomData(2_000_000, 4)]);
  const id = cofferOk(['vault', 'backup', repo, '--password-file', pw, '--stdin-name', 'orders.pg_dump'], data).trim();
  resticOk(repo, pw, ['check', '--read-data']);
  const out = join(dir, 'out');
  resticOk(repo, pw, ['restore', id, '--target', out]);
  assert.deepEqual(await readFile(join(out, 'orders.pg_dump')), data);
});
