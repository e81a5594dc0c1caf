/**
 * A backup that fails part-way (a dump stream that dies) leaves nothing inconsistent: the packs
 * it wrote are indexed, the next backup reuses them, and check finds no missing blob.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { LocalBlobStore } from '../../src/storage/local-blob-store.js';
import { backupStream } from '../../src/vault/archiver.js';
import { checkRepository } from '../../src/vault/checker.js';
import { Repository } from '../../src/vault/repository.js';
import { randomData } from '../support/fixtures.js';
import { resticOk } from '../support/restic.js';
import { tempDir } from '../support/temp-dir.js';
import { writeFile } from 'node:fs/promises';

const MiB = 1024 * 1024;

async function* dyingStream(data: Buffer, failAt: number): AsyncGenerator<Buffer> {
  for (let pos = 0; pos < data.length; pos += MiB) {
    if (pos >= failAt) throw new Error('pg_dump: connection lost');
    yield data.subarray(pos, Math.min(pos + MiB, data.length));
  }
}

test('a failed stream backup leaves an indexed, reusable and consistent repository', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'repo');
  await writeFile(join(dir, 'pw'), 'pw');
  const repo = await Repository.init(new LocalBlobStore(path), Buffer.from('pw'), { N: 1024, r: 8, p: 1 });
  const data = randomData(200 * MiB, 41);

  await assert.rejects(backupStream(repo, 'db.dump', dyingStream(data, 150 * MiB)), /connection lost/);
  assert.equal((await repo.listFiles('snapshots')).length, 0);

  const again = await backupStream(repo, 'db.dump', dyingStream(data, Infinity));
  assert.ok(again.stats.newBytes < 120 * MiB, `the data of the failed run was reused (${again.stats.newBytes} new bytes)`);

  const report = await checkRepository(repo, { readData: true });
  assert.deepEqual(report.errors, []);
  resticOk(path, join(dir, 'pw'), ['check', '--read-data']);
});

test('an aborted backup rejects with the reason, writes no snapshot, and the next one reuses its data', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'repo');
  await writeFile(join(dir, 'pw'), 'pw');
  const repo = await Repository.init(new LocalBlobStore(path), Buffer.from('pw'), { N: 1024, r: 8, p: 1 });
  const data = randomData(200 * MiB, 43);
  const stop = new AbortController();
  async function* stopping(): AsyncGenerator<Buffer> {
    for (let pos = 0; pos < data.length; pos += MiB) {
      if (pos === 150 * MiB) stop.abort(new Error('stopped by the test'));
      yield data.subarray(pos, pos + MiB);
    }
  }
  await assert.rejects(backupStream(repo, 'db.dump', stopping(), { signal: stop.signal }), /stopped by the test/);
  assert.equal((await repo.listFiles('snapshots')).length, 0);
  const again = await backupStream(repo, 'db.dump', dyingStream(data, Infinity));
  assert.ok(again.stats.newBytes < 120 * MiB, `the data written before the stop was reused (${again.stats.newBytes} new bytes)`);
  assert.deepEqual((await checkRepository(repo, { readData: true })).errors, []);
});
