/**
 * restic writes, Coffer reads: repositories made by `restic init` + `restic backup`, with and
 * without compression, restore byte-identical through Coffer and pass Coffer's own check.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeMixedTree, textData } from '../support/fixtures.js';
import { cofferOk, resticOk } from '../support/restic.js';
import { tempDir } from '../support/temp-dir.js';
import { diffDigests, digestTree } from '../support/tree-digest.js';

for (const compression of ['auto', 'off', 'max'] as const) {
  test(`Coffer restores and checks a restic repository (compression ${compression})`, async (t) => {
    const dir = await tempDir(t);
    const pw = join(dir, 'pw');
    await writeFile(pw, 'restic-made\n');
    const repo = join(dir, 'repo');
    const src = join(dir, 'src');
    await makeMixedTree(src);
    await writeFile(join(src, 'big-text.log'), textData(12_000_000, 9));
    resticOk(repo, pw, ['init', '--repository-version', '2']);
    resticOk(repo, pw, ['backup', '--compression', compression, src]);

    const snaps = JSON.parse(cofferOk(['vault', 'snapshots', repo, '--password-file', pw, '--json'])) as Array<{ id: string; paths: string[] }>;
    assert.equal(snaps.length, 1);
    assert.deepEqual(snaps[0]!.paths, [src]);

    const out = join(dir, 'out');
    cofferOk(['vault', 'restore', repo, '--password-file', pw, 'latest', '--target', out]);
    assert.deepEqual(diffDigests(await digestTree(src), await digestTree(join(out, src))), []);
    const check = cofferOk(['vault', 'check', repo, '--password-file', pw, '--read-data']);
    assert.match(check, /no errors were found/);
  });
}

test('Coffer reads a restic format version 1 repository', async (t) => {
  const dir = await tempDir(t);
  const pw = join(dir, 'pw');
  await writeFile(pw, 'v1\n');
  const repo = join(dir, 'repo');
  const src = join(dir, 'src');
  await makeMixedTree(src);
  resticOk(repo, pw, ['init', '--repository-version', '1']);
  resticOk(repo, pw, ['backup', src]);
  const out = join(dir, 'out');
  cofferOk(['vault', 'restore', repo, '--password-file', pw, 'latest', '--target', out, '--include', join(src, 'docs')]);
  const restored = await digestTree(join(out, src));
  assert.ok(restored.has('docs/readme.txt'));
  assert.ok(!restored.has('random.bin'), 'only the included sub-path is restored');
  const expected = new Map([...(await digestTree(src))].filter(([p]) => p === 'docs' || p.startsWith('docs/')));
  const got = new Map([...restored].filter(([p]) => p === 'docs' || p.startsWith('docs/')));
  assert.deepEqual(diffDigests(expected, got), []);
});
