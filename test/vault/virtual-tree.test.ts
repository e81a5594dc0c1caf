/**
 * Virtual trees: entries named by path become a snapshot restic reads; reused nodes are kept
 * without reading; findNode and readFile bring the bytes back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile as readDisk, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { LocalBlobStore } from '../../src/storage/local-blob-store.js';
import { newProgress } from '../../src/vault/progress.js';
import { Repository } from '../../src/vault/repository.js';
import { backupEntries, findNode, readFile, walkFiles } from '../../src/vault/virtual-tree.js';
import type { VirtualEntry } from '../../src/vault/virtual-tree.js';
import { resticOk } from '../support/restic.js';
import { tempDir } from '../support/temp-dir.js';

async function collect(source: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of source) parts.push(b);
  return Buffer.concat(parts);
}

test('entries by path: a snapshot restic restores; reuse skips reading; find and read back', async (t) => {
  const dir = await tempDir(t);
  const repo = await Repository.init(new LocalBlobStore(join(dir, 'repo')), Buffer.from('pw'), { N: 1024, r: 8, p: 1 });
  const big = randomBytes(5 * 1024 * 1024 + 3);
  const entries: VirtualEntry[] = [
    { path: 'table.json', type: 'file', open: () => [Buffer.from('{"name":"Orders"}')] },
    { path: 'objects', type: 'dir', mode: 0o750 },
    { path: 'objects/2024/report.csv', type: 'file', mtime: new Date('2024-02-03T04:05:06Z'), open: () => [big.subarray(0, 100), big.subarray(100)] },
    { path: 'objects/empty', type: 'file', open: () => [] },
  ];
  const first = await backupEntries(repo, entries, { hostname: 'coffer', tags: ['x'] });
  const snapshot = await repo.loadSnapshot(first.snapshotId);
  const report = await findNode(repo, snapshot, 'objects/2024/report.csv');
  assert.equal(report?.size, big.length);
  assert.equal(report?.mtime, '2024-02-03T04:05:06Z');
  assert.ok((await collect(readFile(repo, report!))).equals(big));
  assert.equal(await findNode(repo, snapshot, 'objects/nope'), undefined);
  assert.deepEqual((await collectPaths(walkFiles(repo, snapshot.tree))).sort(), ['objects/2024/report.csv', 'objects/empty', 'table.json']);

  // Second backup: the big file is reused (its open would throw), one file changes.
  const progress = newProgress();
  const second = await backupEntries(
    repo,
    [
      { path: 'table.json', type: 'file', open: () => [Buffer.from('{"name":"Orders","v":2}')] },
      {
        path: 'objects/2024/report.csv',
        type: 'file',
        reuse: report!,
        open: () => {
          throw new Error('must not be read');
        },
      },
    ],
    { hostname: 'coffer', parent: snapshot, progress },
  );
  assert.equal(second.reusedFiles, 1);
  assert.equal(second.snapshot.parent, snapshot.id);
  assert.ok(second.stats.storedBytes < 10_000, `only the changed file is stored (${second.stats.storedBytes} B)`);

  await writeFile(join(dir, 'pw'), 'pw');
  resticOk(join(dir, 'repo'), join(dir, 'pw'), ['check', '--read-data']);
  resticOk(join(dir, 'repo'), join(dir, 'pw'), ['restore', second.snapshotId, '--target', join(dir, 'out')]);
  assert.ok((await readDisk(join(dir, 'out/objects/2024/report.csv'))).equals(big));
  assert.equal(await readDisk(join(dir, 'out/table.json'), 'utf8'), '{"name":"Orders","v":2}');
});

async function collectPaths(source: AsyncIterable<{ path: string }>): Promise<string[]> {
  const out: string[] = [];
  for await (const e of source) out.push(e.path);
  return out;
}
