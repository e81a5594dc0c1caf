/**
 * Deduplication: identical content is stored once, an unchanged tree is not read again, and a
 * small change to a large file stores little more than the change.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { LocalBlobStore } from '../../src/storage/local-blob-store.js';
import { backupPaths } from '../../src/vault/archiver.js';
import { newProgress } from '../../src/vault/progress.js';
import { Repository } from '../../src/vault/repository.js';
import { randomData } from '../support/fixtures.js';
import { tempDir } from '../support/temp-dir.js';

const FAST_KDF = { N: 1024, r: 8, p: 1 };
const MiB = 1024 * 1024;

async function freshRepo(dir: string): Promise<Repository> {
  return Repository.init(new LocalBlobStore(join(dir, 'repo')), Buffer.from('pw'), FAST_KDF);
}

test('identical files are stored once', async (t) => {
  const dir = await tempDir(t);
  const src = join(dir, 'src');
  await mkdir(join(src, 'copies'), { recursive: true });
  await writeFile(join(src, 'original.bin'), randomData(6 * MiB, 31));
  for (let i = 0; i < 3; i++) await copyFile(join(src, 'original.bin'), join(src, 'copies', `copy-${i}.bin`));
  const repo = await freshRepo(dir);
  const result = await backupPaths(repo, [src]);
  assert.ok(result.stats.newBytes < 6 * MiB + 64 * 1024, `stored ${result.stats.newBytes} bytes for 24 MiB of four identical files`);
  assert.ok(result.stats.dedupBlobs >= 3);
});

test('an unchanged tree is not read again; a 1% change stores about 1%', async (t) => {
  const dir = await tempDir(t);
  const src = join(dir, 'src');
  await mkdir(src);
  const size = 128 * MiB;
  await writeFile(join(src, 'large.bin'), randomData(size, 32));
  await writeFile(join(src, 'other.bin'), randomData(4 * MiB, 33));
  const repo = await freshRepo(dir);
  await backupPaths(repo, [src]);

  const unchanged = newProgress();
  const second = await backupPaths(repo, [src], { progress: unchanged });
  assert.equal(unchanged.unchangedFiles, 2, 'both files come from the parent snapshot');
  assert.equal(second.stats.newDataBlobs, 0, 'no data blob is new');

  // Overwrite 1% of the large file in one region, in place.
  const fh = await open(join(src, 'large.bin'), 'r+');
  const change = Math.floor(size / 100);
  await fh.write(randomData(change, 34), 0, change, 50 * MiB);
  await fh.close();
  const third = await backupPaths(repo, [src]);
  const ratio = third.stats.newBytes / size;
  t.diagnostic(`1% changed: new data ${(ratio * 100).toFixed(2)}% of the file (${third.stats.newBytes} bytes)`);
  assert.ok(ratio < 0.04, `a 1% change stored ${(ratio * 100).toFixed(2)}% of the file`);
});

test('an insertion shifts only nearby chunks', async (t) => {
  const dir = await tempDir(t);
  const src = join(dir, 'src');
  await mkdir(src);
  const data = randomData(64 * MiB, 35);
  await writeFile(join(src, 'f.bin'), data);
  const repo = await freshRepo(dir);
  await backupPaths(repo, [src]);
  await writeFile(join(src, 'f.bin'), Buffer.concat([data.subarray(0, 20 * MiB), Buffer.from('inserted bytes'), data.subarray(20 * MiB)]));
  const second = await backupPaths(repo, [src]);
  assert.ok(second.stats.newBytes < 10 * MiB, `an insertion stored ${second.stats.newBytes} bytes`);
});
