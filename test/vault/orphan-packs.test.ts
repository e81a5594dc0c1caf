/**
 * Packs no index names (a backup killed between a pack and its index file) are indexed by the
 * next backup that holds the only lock, so their data is re-used instead of stored again, and
 * the repository stays one restic accepts.
 */
import assert from 'node:assert/strict';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { LocalBlobStore } from '../../src/storage/local-blob-store.js';
import { backupPaths } from '../../src/vault/archiver.js';
import { Repository } from '../../src/vault/repository.js';
import { randomData } from '../support/fixtures.js';
import { resticOk } from '../support/restic.js';
import { tempDir } from '../support/temp-dir.js';

const MiB = 1024 * 1024;

test('a backup indexes the packs no index names and re-uses their data', async (t) => {
  const dir = await tempDir(t);
  const src = join(dir, 'src');
  await mkdir(join(src, 'small'), { recursive: true });
  for (let i = 0; i < 3; i++) await writeFile(join(src, `big-${i}.bin`), randomData(8 * MiB, 60 + i));
  for (let i = 0; i < 200; i++) await writeFile(join(src, 'small', `f${i}.txt`), randomData(1000 + i * 37, 100 + i));
  const pwFile = join(dir, 'pw');
  await writeFile(pwFile, 'pw\n');
  const repoDir = join(dir, 'repo');
  const first = await backupPaths(await Repository.init(new LocalBlobStore(repoDir), Buffer.from('pw'), { N: 1024, r: 8, p: 1 }), [src]);
  // What a kill leaves: packs, but neither their index files nor a snapshot.
  for (const kind of ['index', 'snapshots']) await rm(join(repoDir, kind), { recursive: true, force: true });

  const repo = await Repository.open(new LocalBlobStore(repoDir), Buffer.from('pw'));
  const again = await backupPaths(repo, [src]);
  assert.equal(again.stats.newDataBlobs, 0, `every data blob re-used (stored ${again.stats.newDataBlobs} of ${first.stats.newDataBlobs} again)`);
  assert.ok(again.stats.newBytes < MiB / 4, `stored ${again.stats.newBytes} bytes again`);
  assert.ok((await readdir(join(repoDir, 'index'))).length >= 1);
  resticOk(repoDir, pwFile, ['check', '--read-data']);
  const restored = join(dir, 'restored');
  resticOk(repoDir, pwFile, ['restore', 'latest', '--target', restored]);
  assert.deepEqual(await readdir(join(restored, src, 'small')).then((n) => n.length), 200);
});
