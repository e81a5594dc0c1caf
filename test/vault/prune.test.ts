/**
 * forget + prune: data only forgotten snapshots used is deleted (whole packs, or by repacking
 * partly used packs), extra copies of duplicated blobs go, and restic 0.14 then checks every
 * byte of the repository and restores what remains byte-identical.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { LocalBlobStore } from '../../src/storage/local-blob-store.js';
import { backupPaths } from '../../src/vault/archiver.js';
import { BlobSaver } from '../../src/vault/blob-saver.js';
import { checkRepository } from '../../src/vault/checker.js';
import { seal } from '../../src/vault/crypto.js';
import { idOf } from '../../src/vault/id.js';
import type { Id } from '../../src/vault/id.js';
import { PackBuilder } from '../../src/vault/pack.js';
import { forgetSnapshots, prune } from '../../src/vault/prune.js';
import { packName, Repository } from '../../src/vault/repository.js';
import { usedBlobs } from '../../src/vault/tree-walk.js';
import { randomData } from '../support/fixtures.js';
import { resticOk } from '../support/restic.js';
import { tempDir } from '../support/temp-dir.js';
import { diffDigests, digestTree } from '../support/tree-digest.js';

const FAST = { N: 1024, r: 8, p: 1 };
const PASSWORD = 'prune test password';

interface Env {
  readonly dir: string;
  readonly root: string;
  readonly pwFile: string;
  readonly store: LocalBlobStore;
  readonly repo: Repository;
}

async function setup(t: TestContext): Promise<Env> {
  const dir = await tempDir(t);
  const root = join(dir, 'repo');
  const pwFile = join(dir, 'pw');
  await writeFile(pwFile, `${PASSWORD}\n`);
  const store = new LocalBlobStore(root);
  const repo = await Repository.init(store, Buffer.from(PASSWORD), FAST);
  return { dir, root, pwFile, store, repo };
}

async function dataBytes(store: LocalBlobStore): Promise<number> {
  return (await store.list('data/')).reduce((n, f) => n + f.size, 0);
}

async function packIds(repo: Repository): Promise<Set<Id>> {
  return new Set(await repo.listFiles('data'));
}

async function blobsOf(repo: Repository, snapshot: Id): Promise<{ data: Set<Id>; tree: Set<Id> }> {
  return usedBlobs(repo, [(await repo.loadSnapshot(snapshot)).tree]);
}

/** restic checks every byte and restores the snapshot; its files equal `src`. */
async function resticRestores(env: Env, snapshot: Id, src: string): Promise<void> {
  resticOk(env.root, env.pwFile, ['check', '--read-data']);
  const out = join(env.dir, `out-${snapshot.slice(0, 8)}`);
  resticOk(env.root, env.pwFile, ['restore', snapshot, '--target', out]);
  assert.deepEqual(diffDigests(await digestTree(src), await digestTree(join(out, src))), []);
}

/** restic's own prune planner agrees: nothing unused, no duplicates, nothing unreferenced. */
function resticFindsNothingToPrune(env: Env): void {
  const out = resticOk(env.root, env.pwFile, ['prune', '--dry-run', '-v']);
  assert.match(out, /unused:\s+0 blobs/);
  assert.match(out, /total prune:\s+0 blobs/);
  assert.doesNotMatch(out, /duplicates:|unreferenced/);
}

test('forget A and prune: the packs only A used are gone, B restores through restic', async (t) => {
  const env = await setup(t);
  const { repo, store } = env;
  const a = join(env.dir, 'a');
  const b = join(env.dir, 'b');
  await mkdir(a);
  await mkdir(b);
  await writeFile(join(a, 'a.bin'), randomData(3 * 1024 * 1024, 21));
  await writeFile(join(b, 'b.bin'), randomData(2 * 1024 * 1024, 22));
  await writeFile(join(b, 'small.txt'), 'small file\n');

  const before = await packIds(repo);
  const sa = await backupPaths(repo, [a]);
  const afterA = await packIds(repo);
  const sb = await backupPaths(repo, [b]);
  const onlyA = [...afterA].filter((p) => !before.has(p));
  assert.ok(onlyA.length >= 2, 'backup A wrote a data and a tree pack');
  const blobsA = await blobsOf(repo, sa.snapshotId);
  const sizeBefore = await dataBytes(store);

  assert.deepEqual(await forgetSnapshots(repo, [sa.snapshotId.slice(0, 8)]), [sa.snapshotId]);
  const stats = await prune(repo);
  assert.equal(stats.snapshots, 1);
  assert.equal(stats.packsDeleted, onlyA.length);
  assert.equal(stats.packsRepacked, 0);
  assert.equal(stats.blobsRemoved, blobsA.data.size + blobsA.tree.size);
  assert.ok(stats.bytesFreed > 3 * 1024 * 1024);

  const remaining = await packIds(repo);
  for (const p of onlyA) assert.ok(!remaining.has(p), `pack ${p} only A used is deleted`);
  assert.equal(await dataBytes(store), sizeBefore - stats.bytesFreed);
  assert.ok((await dataBytes(store)) < sizeBefore - 3 * 1024 * 1024);
  const fresh = await Repository.open(store, Buffer.from(PASSWORD));
  await fresh.loadIndex();
  for (const id of blobsA.data) assert.ok(!fresh.index.has('data', id), 'data only A used is gone from the index');
  assert.equal((await fresh.listFiles('index')).length, 1, 'one new full index replaced the old ones');
  assert.deepEqual(await fresh.listFiles('locks'), []);

  const report = await checkRepository(fresh, { readData: true });
  assert.deepEqual([...report.errors, ...report.warnings], []);
  await resticRestores(env, sb.snapshotId, b);
  resticFindsNothingToPrune(env);

  // The in-memory index follows the prune: backing A up again stores its data again.
  const again = await backupPaths(repo, [a]);
  assert.ok(again.stats.newBlobs >= blobsA.data.size);
  await resticRestores(env, again.snapshotId, a);
});

test('a pack used partly is repacked: the used blobs move into new packs', async (t) => {
  const env = await setup(t);
  const { repo, store } = env;
  const mix = join(env.dir, 'mix');
  await mkdir(mix);
  await writeFile(join(mix, 'gone.bin'), randomData(3 * 1024 * 1024, 31));
  await writeFile(join(mix, 'kept.bin'), randomData(3 * 1024 * 1024, 32));
  const s1 = await backupPaths(repo, [mix]);
  // S2 names only kept.bin: its data is deduplicated into S1's data pack, which it shares.
  const s2 = await backupPaths(repo, [join(mix, 'kept.bin')]);
  assert.equal(s2.stats.newBytes < 100_000, true, 'no data was stored twice');
  const kept = await blobsOf(repo, s2.snapshotId);
  const all = await blobsOf(repo, s1.snapshotId);
  const gone = [...all.data].filter((id) => !kept.data.has(id));
  assert.ok(gone.length >= 1);
  const sharedPack = repo.index.lookup('data', [...kept.data][0]!)!.packId;
  assert.ok(
    gone.some((id) => repo.index.lookup('data', id)!.packId === sharedPack),
    'the data pack mixes both files',
  );
  const sizeBefore = await dataBytes(store);

  await forgetSnapshots(repo, [s1.snapshotId]);
  const stats = await prune(repo, { packSize: 1024 * 1024 });
  assert.ok(stats.packsRepacked >= 1);
  assert.ok(stats.packsWritten >= kept.data.size, 'small target packs: about one new pack per kept blob');
  assert.ok(stats.blobsRepacked >= kept.data.size);
  assert.ok(stats.bytesFreed > 2 * 1024 * 1024);
  assert.equal(await dataBytes(store), sizeBefore - stats.bytesFreed);
  assert.ok(!(await packIds(repo)).has(sharedPack), 'the partly used pack is deleted');

  const fresh = await Repository.open(store, Buffer.from(PASSWORD));
  await fresh.loadIndex();
  for (const id of gone) assert.ok(!fresh.index.has('data', id));
  for (const id of kept.data) assert.ok(fresh.index.has('data', id));
  assert.deepEqual((await checkRepository(fresh, { readData: true })).errors, []);
  resticOk(env.root, env.pwFile, ['check', '--read-data']);
  resticFindsNothingToPrune(env);
  const out = join(env.dir, 'out');
  resticOk(env.root, env.pwFile, ['restore', s2.snapshotId, '--target', out]);
  const restored = await digestTree(join(out, mix));
  assert.deepEqual([...restored.keys()], ['kept.bin']);
  assert.deepEqual(restored.get('kept.bin'), (await digestTree(mix)).get('kept.bin'));
});

test('a blob stored twice keeps one copy; unindexed packs are deleted', async (t) => {
  const env = await setup(t);
  const { repo, store } = env;
  const src = join(env.dir, 'src');
  await mkdir(src);
  await writeFile(join(src, 'f.bin'), randomData(2 * 1024 * 1024, 41));
  const s = await backupPaths(repo, [src]);
  const { data } = await blobsOf(repo, s.snapshotId);

  // A second handle with an empty index stores the same blobs again: duplicates in new packs.
  const other = await Repository.open(store, Buffer.from(PASSWORD));
  const saver = new BlobSaver(other, undefined);
  for (const id of data) saver.save('data', await repo.loadBlob('data', id), id);
  await saver.flush();
  // And a pack no index names, as an interrupted backup leaves behind.
  const plain = randomData(10_000, 42);
  const builder = new PackBuilder('data');
  builder.add(idOf(plain), seal(repo.key, plain));
  const orphan = builder.finish(repo.key);
  await store.write(packName(orphan.id), orphan.parts);
  const sizeBefore = await dataBytes(store);
  assert.throws(() => resticFindsNothingToPrune(env), 'restic sees the duplicates and the unreferenced pack');

  const stats = await prune(repo);
  assert.equal(stats.duplicatesRemoved, data.size);
  assert.equal(stats.packsDeleted, 1, 'the pack of duplicates is deleted whole');
  assert.equal(stats.unreferencedPacksDeleted, 1);
  assert.equal(
    stats.unreferencedBytesDeleted,
    orphan.parts.reduce((n, p) => n + p.length, 0),
    'prune reports what the unreferenced pack held',
  );
  assert.ok(!(await packIds(repo)).has(orphan.id));
  assert.equal(stats.blobsRemoved, data.size);
  assert.equal(await dataBytes(store), sizeBefore - stats.bytesFreed);
  const fresh = await Repository.open(store, Buffer.from(PASSWORD));
  const report = await checkRepository(fresh, { readData: true });
  assert.deepEqual([...report.errors, ...report.warnings], []);
  await resticRestores(env, s.snapshotId, src);
  resticFindsNothingToPrune(env);
});

test('prune refuses to run when data in use is missing, and forgets missing packs nobody needs', async (t) => {
  const env = await setup(t);
  const { repo, store } = env;
  const a = join(env.dir, 'a');
  const b = join(env.dir, 'b');
  await mkdir(a);
  await mkdir(b);
  await writeFile(join(a, 'a.bin'), randomData(1024 * 1024, 71));
  await writeFile(join(b, 'b.bin'), randomData(1024 * 1024, 72));
  const sa = await backupPaths(repo, [a]);
  const sb = await backupPaths(repo, [b]);
  const packA = repo.index.lookup('data', [...(await blobsOf(repo, sa.snapshotId)).data][0]!)!.packId;
  await store.remove(packName(packA));

  const indexBefore = await repo.listFiles('index');
  const packsBefore = await packIds(repo);
  await assert.rejects(prune(repo), /blobs that snapshots use are in no existing pack/);
  assert.deepEqual(await repo.listFiles('index'), indexBefore, 'nothing was changed');
  assert.deepEqual(await packIds(repo), packsBefore);
  assert.deepEqual(await repo.listFiles('locks'), []);

  await forgetSnapshots(repo, [sa.snapshotId]);
  const stats = await prune(repo);
  assert.equal(stats.missingPacksForgotten, 1);
  const report = await checkRepository(repo, { readData: true });
  assert.deepEqual([...report.errors, ...report.warnings], []);
  await resticRestores(env, sb.snapshotId, b);
  resticFindsNothingToPrune(env);
});
