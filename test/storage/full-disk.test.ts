/**
 * A full disk and a read-only file system, for real, on a small tmpfs (issue 12): the backup fails
 * with a StorageFaultError naming the owner, the location and what to do; the repository stays
 * consistent (Coffer's check and restic's `check --read-data`); the next backup, once space is
 * freed or the file system is writable again, succeeds. Skipped, saying why, where mount is not
 * permitted.
 */
// test-needs: restic
import assert from 'node:assert/strict';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { LocalBlobStore } from '../../src/storage/local-blob-store.js';
import { StorageFaultError } from '../../src/storage/storage-fault.js';
import { backupPaths } from '../../src/vault/archiver.js';
import { checkRepository } from '../../src/vault/checker.js';
import { Repository } from '../../src/vault/repository.js';
import { randomData } from '../support/fixtures.js';
import { resticOk } from '../support/restic.js';
import { tempDir } from '../support/temp-dir.js';
import { mountTmpfs } from '../support/tmpfs.js';

const PASSWORD = 'faults';
const FAST_SCRYPT = { N: 1024, r: 8, p: 1 };

async function consistent(root: string, passwordFile: string): Promise<void> {
  const report = await checkRepository(await Repository.open(new LocalBlobStore(root), Buffer.from(PASSWORD)), { readData: true });
  assert.deepEqual(report.errors, [], 'the repository is consistent after the fault');
  resticOk(root, passwordFile, ['check', '--read-data']);
}

describe('storage faults on a real file system', () => {
  test('a full disk: the backup fails naming the store, the repository stays consistent, and the next backup after freeing space succeeds', async (t) => {
    const fs = await mountTmpfs(8);
    if (typeof fs === 'string') return t.skip(fs);
    t.after(() => fs.unmount());
    const dir = await tempDir(t);
    const pw = join(dir, 'pw');
    await writeFile(pw, PASSWORD);
    const root = join(fs.dir, 'repo');
    const repo = await Repository.init(new LocalBlobStore(root, { owner: 'backup vault small' }), Buffer.from(PASSWORD), FAST_SCRYPT);
    await mkdir(join(dir, 'small'));
    await writeFile(join(dir, 'small', 'a.bin'), randomData(1_000_000, 3));
    await backupPaths(repo, [join(dir, 'small')]);
    const filler = join(fs.dir, 'filler');
    await writeFile(filler, randomData(5 * 1024 * 1024, 4));
    await mkdir(join(dir, 'big'));
    await writeFile(join(dir, 'big', 'b.bin'), randomData(6 * 1024 * 1024, 5));

    const err = await backupPaths(repo, [join(dir, 'big')]).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof StorageFaultError, String(err));
    assert.equal(err.code, 'StorageFull');
    assert.match(err.message, new RegExp(`^the storage of backup vault small at ${root} is full \\(no space left on device\\) while .*: free space there`));
    assert.deepEqual(await readdir(join(root, '.coffer-tmp')), [], 'no temp file of the failed backup stays');
    await consistent(root, pw);

    await rm(filler);
    await backupPaths(repo, [join(dir, 'big')]);
    await consistent(root, pw);
    assert.equal((await repo.snapshots()).length, 2);
  });

  test('a read-only file system: the backup fails saying so and nothing changes; read-write again, it succeeds', async (t) => {
    const fs = await mountTmpfs(8);
    if (typeof fs === 'string') return t.skip(fs);
    t.after(() => fs.unmount());
    const dir = await tempDir(t);
    const pw = join(dir, 'pw');
    await writeFile(pw, PASSWORD);
    const root = join(fs.dir, 'repo');
    const repo = await Repository.init(new LocalBlobStore(root, { owner: 'backup vault ro' }), Buffer.from(PASSWORD), FAST_SCRYPT);
    await mkdir(join(dir, 'src'));
    await writeFile(join(dir, 'src', 'a.bin'), randomData(200_000, 6));
    fs.remount(true);
    const err = await backupPaths(repo, [join(dir, 'src')]).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof StorageFaultError, String(err));
    assert.equal(err.code, 'StorageReadOnly');
    assert.match(err.message, /is read-only \(read-only file system\) while .*: remount it read-write/);
    fs.remount(false);
    await consistent(root, pw);
    await backupPaths(repo, [join(dir, 'src')]);
    await consistent(root, pw);
  });
});
