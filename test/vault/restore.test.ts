/**
 * The restore path (restorer.ts, restore-span.ts): small files created and finished by the
 * workers, large files spread over several spans, one blob written into several files, the
 * pack read by the worker itself (local store) or through the store (any other), a worker that
 * cannot read the pack file, and damage that fails the restore and leaves nothing behind.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { chmod, mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { BlobStore } from '../../src/storage/blob-store.js';
import { LocalBlobStore } from '../../src/storage/local-blob-store.js';
import { MemoryBlobStore } from '../../src/storage/memory-blob-store.js';
import { backupPaths } from '../../src/vault/archiver.js';
import { BlobCodecPool } from '../../src/vault/blob-codec-pool.js';
import { packName, Repository } from '../../src/vault/repository.js';
import { restoreSnapshot } from '../../src/vault/restorer.js';
import { makeMixedTree, randomData, textData } from '../support/fixtures.js';
import { tempDir } from '../support/temp-dir.js';
import { diffDigests, digestTree } from '../support/tree-digest.js';

const FAST_KDF = { N: 1024, r: 8, p: 1 };
const MiB = 1024 * 1024;

/** Many small files (some identical, in several directories), two identical 9 MiB files, the mixed tree. */
async function makeTree(src: string): Promise<void> {
  await makeMixedTree(src);
  for (let d = 0; d < 6; d++) {
    const dir = join(src, 'small', `d${d}`);
    await mkdir(dir, { recursive: true });
    for (let f = 0; f < 60; f++) {
      const path = join(dir, `f${f}.txt`);
      await writeFile(path, f % 10 === 0 ? 'the same bytes in several files\n' : textData(1000 + f * 97, d * 100 + f));
      await utimes(path, new Date(1_600_000_000_000 + f * 1_234_567), new Date(1_600_000_000_000 + f * 7_654_321));
      if (f % 7 === 0) await chmod(path, 0o640);
    }
  }
  await writeFile(join(src, 'large.bin'), randomData(9 * MiB + 5, 77));
  await writeFile(join(src, 'large-copy.bin'), randomData(9 * MiB + 5, 77));
}

async function backUp(dir: string, store: BlobStore): Promise<{ repo: Repository; src: string }> {
  const src = join(dir, 'src');
  await makeTree(src);
  const repo = await Repository.init(store, Buffer.from('pw'), FAST_KDF);
  await backupPaths(repo, [src]);
  return { repo, src };
}

async function restoresIdentically(repo: Repository, src: string, target: string, pool?: BlobCodecPool): Promise<void> {
  const [snapshot] = await repo.snapshots();
  const result = await restoreSnapshot(repo, snapshot!, { target, ...(pool ? { pool } : {}) });
  assert.deepEqual(diffDigests(await digestTree(src), await digestTree(join(target, src))), []);
  assert.equal(result.files, 6 * 60 + 2 + 6, 'every file is counted once');
  assert.deepEqual(result.warnings, []);
}

test('a restore from a local store (workers read the packs) is identical: bytes, modes, times', async (t) => {
  const dir = await tempDir(t);
  const { repo, src } = await backUp(dir, new LocalBlobStore(join(dir, 'repo')));
  await restoresIdentically(repo, src, join(dir, 'out'));
});

test('a restore from a store without local files (the main thread reads) is identical', async (t) => {
  const dir = await tempDir(t);
  const { repo, src } = await backUp(dir, new MemoryBlobStore('restore'));
  await restoresIdentically(repo, src, join(dir, 'out'));
});

test('a worker that cannot read a pack file falls back to reading it through the store', async (t) => {
  const dir = await tempDir(t);
  const local = new LocalBlobStore(join(dir, 'repo'));
  const misleading: BlobStore = Object.assign(Object.create(local) as LocalBlobStore, {
    localPath: (name: string) => join(dir, 'nowhere', name),
  });
  const { repo, src } = await backUp(dir, misleading);
  const pool = new BlobCodecPool(repo.key);
  try {
    await restoresIdentically(repo, src, join(dir, 'out'), pool);
  } finally {
    await pool.close();
  }
});

test('a damaged pack fails the restore, names the blob and leaves nothing behind', async (t) => {
  const dir = await tempDir(t);
  const { repo } = await backUp(dir, new LocalBlobStore(join(dir, 'repo')));
  // Flip a byte inside the first data blob of the largest pack.
  let victim: { id: string; offset: number; length: number } | undefined;
  for (const id of repo.index.packIds()) {
    const blob = repo.index.packBlobs(id)!.find((b) => b.type === 'data');
    if (blob && (!victim || blob.length > victim.length)) victim = { id, offset: blob.offset, length: blob.length };
  }
  const path = join(dir, 'repo', packName(victim!.id));
  const bytes = await readFile(path);
  bytes[victim!.offset + 40]! ^= 0xff;
  await writeFile(path, bytes);
  const out = join(dir, 'out');
  const [snapshot] = await repo.snapshots();
  await assert.rejects(restoreSnapshot(repo, snapshot!, { target: out }), /verification failed|damaged/);
  assert.deepEqual(
    readdirSync(dir).filter((n) => n !== 'repo' && n !== 'src'),
    [],
    'no staging directory and no target are left',
  );
});
