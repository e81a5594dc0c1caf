/**
 * LocalBlobStore: the shared conformance suite on a fresh temp directory, plus what only a real
 * filesystem can show: temp files stay hidden, permissions, crash leftovers and their cleanup.
 */

import { spawnSync } from 'node:child_process';
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
    }),
  );

  test('temp files are named for their writer; removeDeadTemp removes only those of writers that are gone', () =>
    withStore(async (store, root) => {
      assert.deepEqual(await store.removeDeadTemp(), { files: 0, bytes: 0 }, 'no temp directory yet');
      await store.write('config', Buffer.from('cfg'));
      const writer = await store.openWriter();
      await writer.write(Buffer.alloc(100, 1));
      const [mine] = await readdir(join(root, TEMP_DIR));
      assert.match(mine ?? '', new RegExp(`^[A-Za-z0-9-]+\\.${process.pid}\\.(\\d+|x)\\.[0-9a-f-]{36}\\.tmp$`), 'host, pid, start time, uuid');

      const dead = spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' }).pid;
      const uuid = '0b7f2b6e-3c1e-4a59-9d2f-000000000001';
      const host = mine!.split('.')[0]!;
      const dir = join(root, TEMP_DIR);
      await writeFile(join(dir, `${host}.${dead}.12345.${uuid}.tmp`), Buffer.alloc(4096, 7)); // a killed writer's half pack
      const reused = `${host}.${process.pid}.1.${uuid}.tmp`; // this pid, but another start time: a reused pid
      await writeFile(join(dir, reused), Buffer.alloc(10));
      await writeFile(join(dir, `other-host.${dead}.1.${uuid}.tmp`), Buffer.alloc(10)); // alive or not: cannot tell
      await writeFile(join(dir, `${uuid}.tmp`), Buffer.alloc(10)); // the old naming: no writer
      await writeFile(join(dir, `old-host.1.1.${uuid}.tmp`), Buffer.alloc(20));
      await writeFile(join(dir, `legacy-${uuid}.tmp`), Buffer.alloc(30));
      const hourAgo = new Date(Date.now() - 3_600_000);
      await utimes(join(dir, `old-host.1.1.${uuid}.tmp`), hourAgo, hourAgo);
      await utimes(join(dir, `legacy-${uuid}.tmp`), hourAgo, hourAgo);
      assert.deepEqual(
        (await store.list('')).map((info) => info.name),
        ['config'],
      );

      const ownStart = mine!.split('.')[2];
      const swept = await store.removeDeadTemp();
      const left = (await readdir(dir)).sort();
      const expected = [mine!, `other-host.${dead}.1.${uuid}.tmp`, `${uuid}.tmp`, ...(ownStart === 'x' ? [reused] : [])].sort();
      assert.deepEqual(left, expected, 'the live writer and the undecidable recent ones stay');
      assert.deepEqual(swept, ownStart === 'x' ? { files: 3, bytes: 4096 + 20 + 30 } : { files: 4, bytes: 4096 + 10 + 20 + 30 });
      await writer.commit('data/ab/abcd');
      assert.equal((await store.read('data/ab/abcd')).length, 100, 'the live write was never disturbed');
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
