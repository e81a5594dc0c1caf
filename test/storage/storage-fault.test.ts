/**
 * Storage faults (issue 12): the mapping from low-level errors to StorageFaultError, a root that
 * is gone and an unwritable directory, each failing naming the owner, the location and what to
 * do. The full disk and the read-only file system, on a real tmpfs: full-disk.test.ts.
 */
import assert from 'node:assert/strict';
import { chmod, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { LocalBlobStore } from '../../src/storage/local-blob-store.js';
import { asStorageFault, StorageFaultError, storageFaultKind } from '../../src/storage/storage-fault.js';
import { backupPaths } from '../../src/vault/archiver.js';
import { Repository } from '../../src/vault/repository.js';
import { randomData } from '../support/fixtures.js';
import { tempDir } from '../support/temp-dir.js';

const PASSWORD = Buffer.from('faults');
const FAST_SCRYPT = { N: 1024, r: 8, p: 1 };

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
    assert.equal(
      fault.message,
      'the storage of backup vault daily at /srv/vaults/a/repo is full (no space left on device) while writing data/ab/cd: free space there (delete or expire old recovery points and prune, or grow the disk), then run it again; nothing half-written was kept',
    );
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
    const err = await backupPaths(repo, [join(dir, 'src')]).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof StorageFaultError, String(err));
    assert.equal(err.code, 'StorageGone');
    assert.match(err.message, new RegExp(`^the storage of backup vault gone at ${root} is gone .*: mount or restore it at that path`));
    await assert.rejects(readdir(root), /ENOENT/, 'the vanished root was not recreated');
  });

  test('a directory the store may not write (as another user) is "permission denied"', {
    skip: process.getuid?.() === 0 ? 'runs as root, who may write anywhere (the CLI test covers it as another user)' : false,
  }, async (t) => {
    const dir = await tempDir(t);
    const root = join(dir, 'repo');
    const store = new LocalBlobStore(root, { owner: 'backup vault ro' });
    await Repository.init(store, PASSWORD, FAST_SCRYPT);
    await chmod(root, 0o500);
    t.after(() => chmod(root, 0o700));
    await assert.rejects(store.write('data/00/x', Buffer.from('x')), (e: unknown) => e instanceof StorageFaultError && e.code === 'StoragePermissionDenied');
  });
});
