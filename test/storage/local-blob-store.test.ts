/**
 * LocalBlobStore: the shared conformance suite on a fresh temp directory, plus what only a real
 * filesystem can show: temp files stay hidden, permissions, crash leftovers and their cleanup.
 */

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blobStoreConformance } from './blob-store-conformance.js';
import { LocalBlobStore, TEMP_DIR } from '../../src/storage/local-blob-store.js';

async function freshRoot(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'coffer-blob-'));
}

blobStoreConformance('LocalBlobStore', async () => {
  const root = await freshRoot();
  return { store: new LocalBlobStore(root), cleanup: () => rm(root, { recursive: true, force: true }) };
});

/** Runs `body` with a store on a fresh directory (the repository is `<dir>/repo`, not yet created). */
async function withStore(body: (store: LocalBlobStore, root: string) => Promise<void>): Promise<void> {
  const dir = await freshRoot();
  try {
    const root = join(dir, 'repo');
    await body(new LocalBlobStore(root), root);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const posixOnly = { skip: process.platform === 'win32' ? 'POSIX permissions only' : false };

describe('LocalBlobStore on disk', () => {
  test('creates a missing root lazily and lays files out like restic', () =>
    withStore(async (store, root) => {
      assert.equal(store.location, root);
      await store.write('config', Buffer.from('cfg'));
      await store.write('data/ab/abcd', Buffer.from('pack'));
      assert.equal((await stat(join(root, 'config'))).size, 3);
      assert.equal((await stat(join(root, 'data', 'ab', 'abcd'))).size, 4);
    }));

  test('temp files never appear in list, and are gone after writes', () =>
    withStore(async (store, root) => {
      const writes = Array.from({ length: 20 }, (_, i) => store.write(`index/i${i}`, Buffer.alloc(1000, i)));
      const during = await store.list('');
      await Promise.all(writes);
      assert.ok(during.every((info) => !info.name.startsWith(TEMP_DIR)));
      assert.deepEqual(await readdir(join(root, TEMP_DIR)), []);
      await writeFile(join(root, TEMP_DIR, 'stray.tmp'), 'partial');
      const names = (await store.list('')).map((info) => info.name);
      assert.equal(names.length, 20);
      assert.ok(names.every((n) => n.startsWith('index/')));
      assert.deepEqual(await store.list('.coffer'), []);
    }));

  test('the temp directory is reserved', () =>
    withStore(async (store) => {
      await assert.rejects(store.write(`${TEMP_DIR}/x`, Buffer.from('x')), /reserved/);
      await assert.rejects(store.list(`${TEMP_DIR}/`), /reserved/);
    }));

  test('files are 0600 and directories 0700', posixOnly, () =>
    withStore(async (store, root) => {
      await store.write('data/ab/abcd', Buffer.from('pack'));
      await store.write('config', Buffer.from('cfg'));
      assert.equal((await stat(join(root, 'data', 'ab', 'abcd'))).mode & 0o777, 0o600);
      assert.equal((await stat(join(root, 'config'))).mode & 0o777, 0o600);
      assert.equal((await stat(join(root, 'data', 'ab'))).mode & 0o777, 0o700);
      assert.equal((await stat(join(root, 'data'))).mode & 0o777, 0o700);
      assert.equal((await stat(join(root, TEMP_DIR))).mode & 0o777, 0o700);
    }));

  test('a crash before the rename leaves nothing visible; removeStaleTemp cleans it', () =>
    withStore(async (store, root) => {
      assert.equal(await store.removeStaleTemp(0), 0, 'no temp directory yet');
      await store.write('config', Buffer.from('cfg'));
      const stale = join(root, TEMP_DIR, 'crashed.tmp');
      const fresh = join(root, TEMP_DIR, 'in-flight.tmp');
      await writeFile(stale, Buffer.alloc(4096, 7)); // a half-written pack, never renamed
      await writeFile(fresh, Buffer.alloc(10, 7));
      const hourAgo = new Date(Date.now() - 3_600_000);
      await utimes(stale, hourAgo, hourAgo);

      assert.deepEqual((await store.list('')).map((info) => info.name), ['config']);
      assert.equal(await store.stat('data/ab/abcd'), undefined);

      assert.equal(await store.removeStaleTemp(60_000), 1);
      assert.deepEqual(await readdir(join(root, TEMP_DIR)), ['in-flight.tmp']);
      assert.equal(await store.removeStaleTemp(0), 1);
      assert.deepEqual(await readdir(join(root, TEMP_DIR)), []);
      assert.equal((await store.read('config')).toString(), 'cfg');
    }));

  test('a truncated file makes ranged reads throw, not return short data', () =>
    withStore(async (store, root) => {
      await store.write('data/ab/abcd', Buffer.alloc(100, 1));
      await truncate(join(root, 'data', 'ab', 'abcd'), 50);
      await assert.rejects(store.read('data/ab/abcd', 40, 20), RangeError);
      assert.equal((await store.read('data/ab/abcd', 40, 10)).length, 10);
    }));

  test('list walks many nested directories', () =>
    withStore(async (store) => {
      const names: string[] = [];
      for (let i = 0; i < 256; i++) names.push(`data/${i.toString(16).padStart(2, '0')}/${i}`);
      await Promise.all(names.map((n) => store.write(n, Buffer.from(n))));
      const listed = await store.list('data/');
      assert.deepEqual(listed.map((info) => info.name).sort(), [...names].sort());
      assert.ok(listed.every((info) => info.size === info.name.length));
      assert.equal((await store.list('data/f')).length, 16);
    }));
});
