/**
 * checkRepository: a clean repository checks clean; damaged, missing and orphaned packs are
 * reported precisely, naming the pack, the blob and the snapshots (and files) they hurt.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { LocalBlobStore } from '../../src/storage/local-blob-store.js';
import { backupPaths } from '../../src/vault/archiver.js';
import { checkRepository } from '../../src/vault/checker.js';
import type { CheckProblem } from '../../src/vault/checker.js';
import { idOf } from '../../src/vault/id.js';
import type { Id } from '../../src/vault/id.js';
import { packName, Repository } from '../../src/vault/repository.js';
import { randomData, textData } from '../support/fixtures.js';
import { tempDir } from '../support/temp-dir.js';

const FAST = { N: 1024, r: 8, p: 1 };

interface Setup {
  readonly root: string;
  readonly repo: Repository;
  /** Snapshot of `one/` (a single random file) and of `two/` (other data). */
  readonly one: { id: Id; dir: string };
  readonly two: { id: Id; dir: string };
}

async function setup(t: TestContext): Promise<Setup> {
  const dir = await tempDir(t);
  const root = join(dir, 'repo');
  const repo = await Repository.init(new LocalBlobStore(root), Buffer.from('secret'), FAST);
  const one = join(dir, 'one');
  const two = join(dir, 'two');
  await mkdir(one);
  await mkdir(join(two, 'sub'), { recursive: true });
  await writeFile(join(one, 'a.bin'), randomData(2 * 1024 * 1024, 11));
  await writeFile(join(two, 'sub', 'b.txt'), textData(300_000, 12));
  await writeFile(join(two, 'c.bin'), randomData(600_000, 13));
  const s1 = await backupPaths(repo, [one]);
  const s2 = await backupPaths(repo, [two]);
  return { root, repo, one: { id: s1.snapshotId, dir: one }, two: { id: s2.snapshotId, dir: two } };
}

function kinds(problems: readonly CheckProblem[]): string[] {
  return problems.map((p) => p.kind).sort();
}

test('a clean repository checks clean, also when reading all data', async (t) => {
  const { repo } = await setup(t);
  const report = await checkRepository(repo);
  assert.deepEqual(report.errors, []);
  assert.deepEqual(report.warnings, []);
  assert.equal(report.stats.snapshots, 2);
  assert.ok(report.stats.trees >= 4);
  assert.ok(report.stats.dataBlobs >= 3);
  assert.ok(report.stats.packs >= 4);
  assert.equal(report.stats.bytesRead, 0);

  const full = await checkRepository(repo, { readData: true });
  assert.deepEqual(full.errors, []);
  assert.deepEqual(full.warnings, []);
  assert.ok(full.stats.bytesRead > 2 * 1024 * 1024);
  assert.deepEqual(await repo.listFiles('locks'), []);
});

test('a flipped byte in a data pack names the pack, the blob, the snapshot and the file', async (t) => {
  const { root, repo, one, two } = await setup(t);
  await repo.reloadIndex();
  // The first data pack written belongs to snapshot `one`: find the pack holding a.bin's blobs.
  const s1 = await repo.loadSnapshot(one.id);
  const packs = [...repo.index.packIds()].filter((p) => repo.index.packBlobs(p)![0]!.type === 'data');
  const target = await findPackOfFile(repo, s1.tree, 'a.bin', packs);
  const file = join(root, packName(target.pack));
  const bytes = await readFile(file);
  bytes[target.offset + 40]! ^= 0x01;
  await writeFile(file, bytes);

  const quick = await checkRepository(repo);
  assert.deepEqual(quick.errors, [], 'the structure is intact: only reading the data finds the damage');

  const report = await checkRepository(repo, { readData: true });
  assert.deepEqual(kinds(report.errors), ['blob-damaged', 'pack-damaged']);
  const packErr = report.errors.find((e) => e.kind === 'pack-damaged')!;
  const blobErr = report.errors.find((e) => e.kind === 'blob-damaged')!;
  assert.equal(packErr.pack, target.pack);
  assert.equal(blobErr.pack, target.pack);
  assert.equal(blobErr.blob, target.blob);
  assert.match(packErr.message, /does not match its name/);
  assert.match(blobErr.message, new RegExp(target.blob));
  for (const e of [packErr, blobErr]) {
    assert.deepEqual(
      e.snapshots!.map((s) => s.id),
      [one.id],
      'only snapshot one uses the damaged blob',
    );
    assert.deepEqual(e.snapshots![0]!.paths, [one.dir]);
    assert.deepEqual(e.snapshots![0]!.files, [`${one.dir}/a.bin`]);
    assert.match(e.message, new RegExp(one.id.slice(0, 8)));
    assert.ok(!e.message.includes(two.id.slice(0, 8)));
  }
});

test('a deleted data pack is reported missing with the snapshots that need it', async (t) => {
  const { root, repo, one } = await setup(t);
  await repo.reloadIndex();
  const s1 = await repo.loadSnapshot(one.id);
  const packs = [...repo.index.packIds()].filter((p) => repo.index.packBlobs(p)![0]!.type === 'data');
  const target = await findPackOfFile(repo, s1.tree, 'a.bin', packs);
  await rm(join(root, packName(target.pack)));

  const report = await checkRepository(repo);
  assert.deepEqual(kinds(report.errors), ['pack-missing']);
  const e = report.errors[0]!;
  assert.equal(e.pack, target.pack);
  assert.deepEqual(
    e.snapshots!.map((s) => s.id),
    [one.id],
  );
  assert.deepEqual(e.snapshots![0]!.files, [`${one.dir}/a.bin`]);
  assert.match(e.message, /does not exist/);
});

test('a deleted tree pack damages the trees and names every snapshot below them', async (t) => {
  const { root, repo, one, two } = await setup(t);
  await repo.reloadIndex();
  const s2 = await repo.loadSnapshot(two.id);
  const pack = repo.index.lookup('tree', s2.tree)!.packId;
  await rm(join(root, packName(pack)));
  const report = await checkRepository(repo);
  const missing = report.errors.find((e) => e.kind === 'pack-missing')!;
  assert.equal(missing.pack, pack);
  assert.deepEqual(
    missing.snapshots!.map((s) => s.id),
    [two.id],
  );
  assert.ok(report.errors.some((e) => e.kind === 'tree-damaged' && e.tree === s2.tree));
  assert.ok(report.errors.every((e) => e.snapshots!.every((s) => s.id !== one.id)));
});

test('an orphaned pack is a warning, not an error', async (t) => {
  const { root, repo } = await setup(t);
  const junk = randomData(5000, 99);
  const id = idOf(junk);
  await mkdir(join(root, 'data', id.slice(0, 2)), { recursive: true });
  await writeFile(join(root, packName(id)), junk);
  const report = await checkRepository(repo, { readData: true });
  assert.deepEqual(report.errors, []);
  assert.deepEqual(kinds(report.warnings), ['pack-orphaned']);
  assert.equal(report.warnings[0]!.pack, id);
  assert.match(report.warnings[0]!.message, /prune/);
});

test('a damaged index file and a damaged snapshot file are reported', async (t) => {
  const { root, repo, one } = await setup(t);
  const [index] = await repo.listFiles('index');
  const indexFile = join(root, 'index', index!);
  const bytes = await readFile(indexFile);
  bytes[20]! ^= 0xff;
  await writeFile(indexFile, bytes);
  const snapFile = join(root, 'snapshots', one.id);
  await writeFile(snapFile, Buffer.from('garbage'));
  const report = await checkRepository(repo);
  assert.ok(report.errors.some((e) => e.kind === 'index-damaged' && e.index === index));
  const snap = report.errors.find((e) => e.kind === 'snapshot-damaged')!;
  assert.equal(snap.snapshot, one.id);
  assert.deepEqual(
    snap.snapshots!.map((s) => s.id),
    [one.id],
  );
});

/** The data pack (among `packs`) that holds the first blob of file `name` in the snapshot's tree. */
async function findPackOfFile(repo: Repository, root: Id, name: string, packs: readonly Id[]): Promise<{ pack: Id; blob: Id; offset: number }> {
  const queue = [root];
  while (queue.length > 0) {
    const id = queue.shift()!;
    const tree = JSON.parse((await repo.loadBlob('tree', id)).toString()) as {
      nodes: Array<{ name: string; type: string; subtree?: string; content?: string[] }>;
    };
    for (const n of tree.nodes) {
      if (n.type === 'dir' && n.subtree) queue.push(n.subtree);
      if (n.type === 'file' && n.name === name) {
        const loc = repo.index.lookup('data', n.content![0]!)!;
        assert.ok(packs.includes(loc.packId));
        return { pack: loc.packId, blob: loc.id, offset: loc.offset };
      }
    }
  }
  throw new Error(`no file ${name}`);
}
