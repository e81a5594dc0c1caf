/**
 * copySnapshots: between repositories with different passwords (so different master keys),
 * restic 0.14 checks and restores the copy, a snapshot is never copied twice, and only blobs
 * the destination lacks move.
 */
import assert from 'node:assert/strict';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { LocalBlobStore } from '../../src/storage/local-blob-store.js';
import { backupPaths } from '../../src/vault/archiver.js';
import { copySnapshots } from '../../src/vault/copy.js';
import type { Id } from '../../src/vault/id.js';
import { Repository } from '../../src/vault/repository.js';
import { usedBlobs } from '../../src/vault/tree-walk.js';
import { randomData, textData } from '../support/fixtures.js';
import { resticOk } from '../support/restic.js';
import { tempDir } from '../support/temp-dir.js';
import { diffDigests, digestTree } from '../support/tree-digest.js';

const FAST = { N: 1024, r: 8, p: 1 };

async function makeRepo(dir: string, name: string, password: string): Promise<{ repo: Repository; root: string; pwFile: string }> {
  const root = join(dir, name);
  const pwFile = join(dir, `${name}.pw`);
  await writeFile(pwFile, `${password}\n`);
  return { repo: await Repository.init(new LocalBlobStore(root), Buffer.from(password), FAST), root, pwFile };
}

/** Data and tree blobs of a snapshot, as 'type:id' keys. */
async function blobKeys(repo: Repository, snapshot: Id): Promise<Set<string>> {
  const { data, tree } = await usedBlobs(repo, [(await repo.loadSnapshot(snapshot)).tree]);
  return new Set([...[...data].map((id) => `data:${id}`), ...[...tree].map((id) => `tree:${id}`)]);
}

test('copy moves snapshots between repositories with different keys, and only the missing blobs', async (t) => {
  const dir = await tempDir(t);
  const x = await makeRepo(dir, 'x', 'password of x');
  const y = await makeRepo(dir, 'y', 'password of y');
  assert.notDeepEqual(x.repo.key.encrypt, y.repo.key.encrypt);
  const src = join(dir, 'src');
  await mkdir(join(src, 'docs'), { recursive: true });
  await writeFile(join(src, 'big.bin'), randomData(4 * 1024 * 1024, 51));
  await writeFile(join(src, 'docs', 'notes.txt'), textData(400_000, 52));
  await writeFile(join(src, 'empty'), '');
  const coffer = { recoveryPoint: 'arn:aws:backup:eu-west-1:123456789012:recovery-point:abc', job: 'job-1' };
  const s1 = await backupPaths(x.repo, [src], { tags: ['daily', 'db'], coffer, hostname: 'host-x' });

  const [first, ...rest] = await copySnapshots(x.repo, y.repo);
  assert.deepEqual(rest, []);
  assert.equal(first!.sourceId, s1.snapshotId);
  assert.ok(first!.targetId);
  const all1 = await blobKeys(x.repo, s1.snapshotId);
  assert.equal(first!.blobsCopied, all1.size, 'an empty destination receives every blob');
  assert.ok(first!.bytesCopied > 4 * 1024 * 1024);

  const copied = await y.repo.loadSnapshot(first!.targetId!);
  const original = await x.repo.loadSnapshot(s1.snapshotId);
  assert.equal(copied.original, s1.snapshotId);
  assert.equal(copied.tree, original.tree);
  assert.equal(copied.time, original.time);
  assert.equal(copied.hostname, 'host-x');
  assert.deepEqual(copied.paths, [src]);
  assert.deepEqual(copied.tags, ['daily', 'db']);
  assert.deepEqual(copied.coffer, coffer);
  assert.equal(copied.parent, undefined);
  assert.deepEqual(await y.repo.listFiles('locks'), []);
  assert.deepEqual(await x.repo.listFiles('locks'), []);

  resticOk(y.root, y.pwFile, ['check', '--read-data']);
  const out = join(dir, 'out1');
  resticOk(y.root, y.pwFile, ['restore', first!.targetId!, '--target', out]);
  assert.deepEqual(diffDigests(await digestTree(src), await digestTree(join(out, src))), []);

  // Copying again moves nothing and writes no snapshot.
  const again = await copySnapshots(x.repo, y.repo, { snapshots: [s1.snapshotId] });
  assert.deepEqual(again, [{ sourceId: s1.snapshotId, copiedBefore: first!.targetId, blobsCopied: 0, bytesCopied: 0 }]);
  assert.equal((await y.repo.listFiles('snapshots')).length, 1);

  // A second snapshot sharing most data: only its new blobs move.
  await writeFile(join(src, 'docs', 'new.txt'), textData(50_000, 53));
  await appendFile(join(src, 'docs', 'notes.txt'), 'one more line\n');
  const s2 = await backupPaths(x.repo, [src], { tags: ['daily'], hostname: 'host-x' });
  const all2 = await blobKeys(x.repo, s2.snapshotId);
  const fresh = [...all2].filter((k) => !all1.has(k));
  const shared = [...all2].filter((k) => all1.has(k) && k.startsWith('data:'));
  assert.ok(fresh.length > 0 && shared.length >= 3, "big.bin's chunks are shared");
  const [second] = await copySnapshots(x.repo, y.repo, { snapshots: [s2.snapshotId] });
  assert.equal(second!.blobsCopied, fresh.length, 'exactly the blobs the destination lacked');
  assert.ok(second!.bytesCopied < 1024 * 1024, 'big.bin did not move again');

  resticOk(y.root, y.pwFile, ['check', '--read-data']);
  const out2 = join(dir, 'out2');
  resticOk(y.root, y.pwFile, ['restore', second!.targetId!, '--target', out2]);
  assert.deepEqual(diffDigests(await digestTree(src), await digestTree(join(out2, src))), []);

  // Copying everything now finds both snapshots already there.
  const none = await copySnapshots(x.repo, y.repo);
  assert.deepEqual(none.map((r) => r.copiedBefore).sort(), [first!.targetId, second!.targetId].sort());
  assert.ok(none.every((r) => r.targetId === undefined && r.blobsCopied === 0));

  // A copy of a copy keeps pointing at the first original (restic's persistent ID).
  const z = await makeRepo(dir, 'z', 'password of z');
  const fromY = await copySnapshots(y.repo, z.repo, { snapshots: [first!.targetId!] });
  assert.equal((await z.repo.loadSnapshot(fromY[0]!.targetId!)).original, s1.snapshotId);
  resticOk(z.root, z.pwFile, ['check', '--read-data']);
});

test('restic copy recognizes snapshots Coffer copied', async (t) => {
  const dir = await tempDir(t);
  const x = await makeRepo(dir, 'x', 'px');
  const y = await makeRepo(dir, 'y', 'py');
  const src = join(dir, 'src');
  await mkdir(src);
  await writeFile(join(src, 'f.bin'), randomData(700_000, 61));
  await backupPaths(x.repo, [src]);
  await copySnapshots(x.repo, y.repo);
  const out = resticOk(y.root, y.pwFile, ['copy', '--repo2', x.root, '--password-file2', x.pwFile, '--no-cache']);
  assert.match(out, /already copied/);
  assert.equal((await y.repo.listFiles('snapshots')).length, 1);
});
