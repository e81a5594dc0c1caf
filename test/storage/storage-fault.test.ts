/**
 * Storage faults (issue 12): a full disk, a read-only file system, a root that is gone and an
 * unwritable directory each fail with a StorageFaultError naming the owner, the location and
 * what to do; the repository stays consistent and the next backup, once fixed, succeeds.
 */
import assert from 'node:assert/strict';
import { chmod, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { LocalBlobStore } from '../../src/storage/local-blob-store.js';
import { asStorageFault, StorageFaultError, storageFaultKind } from '../../src/storage/storage-fault.js';
import { backupPaths } from '../../src/vault/archiver.js';
import { checkRepository } from '../../src/vault/checker.js';
import { Repository } from '../../src/vault/repository.js';
import { randomData } from '../support/fixtures.js';
import { tempDir } from '../support/temp-dir.js';
import { mountTmpfs } from '../support/tmpfs.js';

const PASSWORD = Buffer.from('faults');
const FAST_SCRYPT = { N: 1024, r: 8, p: 1 };

async function consistent(root: string): Promise<void> {
  const report = await checkRepository(await Repository.open(new LocalBlobStore(root), PASSWORD), { readData: true });
  assert.deepEqual(report.errors, [], 'the repository is consistent after the fault');
}

describe('the storage-fault mapping', () => {
  test('errno codes and S3 error names map to one fault each; others are not faults', () => {
    assert.equal(storageFaultKind('ENOSPC'), 'StorageFull');
    assert.equal(storageFaultKind('EDQUOT'), 'StorageFull');
    assert.equal(storageFaultKind('EACCES'), 'StoragePermissionDenied');
    assert.equal(storageFaultKind('EPERM'), 'StoragePermissionDenied');
    assert.equal(storageFaultKind('EROFS'), 'StorageReadOnly');
    assert.equal(storageFaultKind('EIO'), 'StorageIOError');
    assert.equal(storageFaultKind('NoSuchBucket'), 'StorageGone');
    assert.equal(storageFaultKind('AccessDenied'), 'StoragePermissionDenied');
    assert.equal(storageFaultKind('ENOENT'), undefined, 'a missing file is a fault only when the store says its root is gone');
    assert.equal(storageFaultKind('ECONNRESET'), undefined);
    assert.equal(storageFaultKind('toString'), undefined);
  });

  test('the message names the owner, the location, what was done and the fix', () => {
    const err = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const fault = asStorageFault(err, { location: '/srv/vaults/a/repo', owner: 'backup vault daily', action: 'writing data/ab/cd' });
    assert.ok(fault instanceof StorageFaultError);
    assert.equal(fault.code, 'StorageFull');
    assert.equal(fault.cause, err);
    assert.equal(fault.message, 'the storage of backup vault daily at /srv/vaults/a/repo is full (no space left on device) while writing data/ab/cd: free space there (delete or expire old recovery points and prune, or grow the disk), then run it again; nothing half-written was kept');
    assert.equal(asStorageFault(new Error('boom'), { location: '/x' }), undefined);
  });
});

describe('LocalBlobStore storage faults', () => {
  test('a root that vanished is "gone", never recreated; a fresh root is still made on first write', async (t) => {
    const dir = await tempDir(t);
    const root = join(dir, 'repo');
    const repo = await Repository.init(new LocalBlobStore(root, { owner: 'backup vault gone' }), PASSWORD, FAST_SCRYPT);
    await mkdir(join(dir, 'src'));
    await writeFile(join(dir, 'src', 'a.bin'), randomData(100_000));
    await backupPaths(repo, [join(dir, 'src')]);
    await rm(root, { recursive: true });
    const err = await backupPaths(repo, [join(dir, 'src')]).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof StorageFaultError, String(err));
    assert.equal(err.code, 'StorageGone');
    assert.match(err.message, new RegExp(`^the storage of backup vault gone at ${root} is gone .*: mount or restore it at that path`));
    await assert.rejects(readdir(root), /ENOENT/, 'the vanished root was not recreated');
  });

  test('a directory the store may not write (as another user) is "permission denied"', { skip: process.getuid?.() === 0 ? 'runs as root, who may write anywhere (the CLI test covers it as another user)' : false }, async (t) => {
    const dir = await tempDir(t);
    const root = join(dir, 'repo');
    const store = new LocalBlobStore(root, { owner: 'backup vault ro' });
    await Repository.init(store, PASSWORD, FAST_SCRYPT);
    await chmod(root, 0o500);
    t.after(() => chmod(root, 0o700));
    await assert.rejects(store.write('data/00/x', Buffer.from('x')), (e: unknown) => e instanceof StorageFaultError && e.code === 'StoragePermissionDenied');
  });

  test('a full disk: the backup fails naming the store, the repository stays consistent, and the next backup after freeing space succeeds', async (t) => {
    const fs = await mountTmpfs(8);
    if (typeof fs === 'string') return t.skip(fs);
    t.after(() => fs.unmount());
    const dir = await tempDir(t);
    const root = join(fs.dir, 'repo');
    const repo = await Repository.init(new LocalBlobStore(root, { owner: 'backup vault small' }), PASSWORD, FAST_SCRYPT);
    await mkdir(join(dir, 'small'));
    await writeFile(join(dir, 'small', 'a.bin'), randomData(1_000_000, 3));
    await backupPaths(repo, [join(dir, 'small')]);
    const filler = join(fs.dir, 'filler');
    await writeFile(filler, randomData(5 * 1024 * 1024, 4));
    await mkdir(join(dir, 'big'));
    await writeFile(join(dir, 'big', 'b.bin'), randomData(6 * 1024 * 1024, 5));

    const err = await backupPaths(repo, [join(dir, 'big')]).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof StorageFaultError, String(err));
    assert.equal(err.code, 'StorageFull');
    assert.match(err.message, new RegExp(`^the storage of backup vault small at ${root} is full \\(no space left on device\\) while .*: free space there`));
    assert.deepEqual(await readdir(join(root, '.coffer-tmp')), [], 'no temp file of the failed backup stays');
    await consistent(root);

    await rm(filler);
    await backupPaths(repo, [join(dir, 'big')]);
    await consistent(root);
    assert.equal((await repo.snapshots()).length, 2);
  });

  test('a read-only file system: the backup fails saying so and nothing changes; read-write again, it succeeds', async (t) => {
    const fs = await mountTmpfs(8);
    if (typeof fs === 'string') return t.skip(fs);
    t.after(() => fs.unmount());
    const dir = await tempDir(t);
    const root = join(fs.dir, 'repo');
    const repo = await Repository.init(new LocalBlobStore(root, { owner: 'backup vault ro' }), PASSWORD, FAST_SCRYPT);
    await mkdir(join(dir, 'src'));
    await writeFile(join(dir, 'src', 'a.bin'), randomData(200_000, 6));
    fs.remount(true);
    const err = await backupPaths(repo, [join(dir, 'src')]).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof StorageFaultError, String(err));
    assert.equal(err.code, 'StorageReadOnly');
    assert.match(err.message, /is read-only \(read-only file system\) while .*: remount it read-write/);
    fs.remount(false);
    await consistent(root);
    await backupPaths(repo, [join(dir, 'src')]);
    await consistent(root);
  });
});
