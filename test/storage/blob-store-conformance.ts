/**
 * The BlobStore contract as node:test tests, shared by every implementation: each store's test
 * file calls `blobStoreConformance` with a factory, so all stores are held to the same rules.
 */

import { createHash, randomBytes } from 'node:crypto';
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { NotFoundError } from '../../src/storage/blob-store.js';
import type { BlobInfo, BlobStore } from '../../src/storage/blob-store.js';

export interface StoreFixture {
  store: BlobStore;
  cleanup(): Promise<void>;
}

const INVALID_NAMES = ['', '/abs', '/', '../x', 'a/../b', 'a/..', '.', 'a/./b', 'a\\b', 'a//b', 'a/', 'a\0b'];

/** Sorted `name:size` strings, for order-independent comparison of listings. */
function summary(infos: BlobInfo[]): string[] {
  return infos.map((info) => `${info.name}:${info.size}`).sort();
}

export function blobStoreConformance(name: string, make: () => Promise<StoreFixture>): void {
  /** Registers a test that gets a fresh store and always cleans it up. */
  function storeTest(title: string, body: (store: BlobStore) => Promise<void>): void {
    test(title, async () => {
      const { store, cleanup } = await make();
      try {
        await body(store);
      } finally {
        await cleanup();
      }
    });
  }

  describe(`BlobStore conformance: ${name}`, () => {
    storeTest('has a location', async (store) => {
      assert.equal(typeof store.location, 'string');
      assert.ok(store.location.length > 0);
    });

    storeTest('write then read returns the same bytes', async (store) => {
      const data = randomBytes(1000);
      await store.write('config', data);
      assert.deepEqual(await store.read('config'), data);
      await store.write('data/ab/abcdef', data);
      assert.deepEqual(await store.read('data/ab/abcdef'), data);
    });

    storeTest('writes and reads copy data (no aliasing)', async (store) => {
      const data = Buffer.from('hello world');
      await store.write('keys/k1', data);
      data.fill(0);
      const first = await store.read('keys/k1');
      assert.equal(first.toString(), 'hello world');
      first.fill(0);
      assert.equal((await store.read('keys/k1')).toString(), 'hello world');
    });

    storeTest('accepts a plain Uint8Array view into a larger buffer', async (store) => {
      const backing = new Uint8Array([9, 9, 1, 2, 3, 9]);
      await store.write('index/i1', backing.subarray(2, 5));
      assert.deepEqual([...(await store.read('index/i1'))], [1, 2, 3]);
    });

    storeTest('empty file', async (store) => {
      await store.write('locks/empty', new Uint8Array(0));
      assert.equal((await store.read('locks/empty')).length, 0);
      assert.deepEqual(await store.stat('locks/empty'), { name: 'locks/empty', size: 0 });
      assert.equal((await store.read('locks/empty', 0, 0)).length, 0);
    });

    storeTest('overwrite replaces the whole content (longer, then shorter)', async (store) => {
      await store.write('snapshots/s1', Buffer.from('short'));
      await store.write('snapshots/s1', Buffer.from('a much longer content'));
      assert.equal((await store.read('snapshots/s1')).toString(), 'a much longer content');
      await store.write('snapshots/s1', Buffer.from('tiny'));
      assert.equal((await store.read('snapshots/s1')).toString(), 'tiny');
      assert.deepEqual(await store.stat('snapshots/s1'), { name: 'snapshots/s1', size: 4 });
      assert.deepEqual(summary(await store.list('snapshots/')), ['snapshots/s1:4']);
    });

    storeTest('write is idempotent', async (store) => {
      const data = randomBytes(64);
      await store.write('index/same', data);
      await store.write('index/same', data);
      assert.deepEqual(await store.read('index/same'), data);
      assert.deepEqual(summary(await store.list('index/')), ['index/same:64']);
    });

    storeTest('concurrent overwrites leave exactly one complete version', async (store) => {
      const versions = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => Buffer.alloc(10_000 * n, n));
      await Promise.all(versions.map((v) => store.write('data/00/race', v)));
      const got = await store.read('data/00/race');
      assert.ok(
        versions.some((v) => v.equals(got)),
        'content is one of the written versions',
      );
    });

    storeTest('concurrent writes into new directories all succeed', async (store) => {
      const names = Array.from({ length: 40 }, (_, i) => `data/${(i % 4).toString(16).padStart(2, '0')}/blob${i}`);
      await Promise.all(names.map((n, i) => store.write(n, Buffer.alloc(i + 1, i))));
      const listed = summary(await store.list('data/'));
      assert.deepEqual(listed, names.map((n, i) => `${n}:${i + 1}`).sort());
    });

    storeTest('ranged reads return exactly the requested bytes', async (store) => {
      const data = randomBytes(300_000);
      await store.write('data/12/pack', data);
      for (const [offset, length] of [
        [0, 1],
        [0, 300_000],
        [1, 10],
        [123_456, 65_536],
        [299_999, 1],
        [300_000, 0],
        [7, 0],
      ] as const) {
        const got = await store.read('data/12/pack', offset, length);
        assert.equal(got.length, length, `length at ${offset}+${length}`);
        assert.deepEqual(got, data.subarray(offset, offset + length), `bytes at ${offset}+${length}`);
      }
    });

    storeTest('offset without length reads to the end; length without offset reads from 0', async (store) => {
      await store.write('config', Buffer.from('0123456789'));
      assert.equal((await store.read('config', 4)).toString(), '456789');
      assert.equal((await store.read('config', 10)).length, 0);
      assert.equal((await store.read('config', undefined, 3)).toString(), '012');
    });

    storeTest('reads past the end throw instead of returning short data', async (store) => {
      await store.write('config', Buffer.from('0123456789'));
      await assert.rejects(store.read('config', 5, 6), RangeError);
      await assert.rejects(store.read('config', 0, 11), RangeError);
      await assert.rejects(store.read('config', 11, 0), RangeError);
      await assert.rejects(store.read('config', 11), RangeError);
      await assert.rejects(store.read('config', 100, 1), RangeError);
    });

    storeTest('invalid offsets and lengths are rejected', async (store) => {
      await store.write('config', Buffer.from('0123456789'));
      await assert.rejects(store.read('config', -1, 2), RangeError);
      await assert.rejects(store.read('config', 1.5, 2), RangeError);
      await assert.rejects(store.read('config', 0, -2), RangeError);
      await assert.rejects(store.read('config', Number.NaN), RangeError);
    });

    storeTest('reading a missing file throws NotFoundError', async (store) => {
      for (const read of [() => store.read('keys/missing'), () => store.read('keys/missing', 0, 1), () => store.read('nodir/x/y', 2)]) {
        await assert.rejects(read(), (err: unknown) => {
          assert.ok(err instanceof NotFoundError);
          assert.equal(err.code, 'NotFound');
          assert.equal(err.blobName.startsWith('keys/') || err.blobName === 'nodir/x/y', true);
          return true;
        });
      }
      await store.write('config', Buffer.from('x'));
      await assert.rejects(store.read('config/below'), NotFoundError);
    });

    storeTest('stat reports size, or undefined when missing', async (store) => {
      assert.equal(await store.stat('config'), undefined);
      assert.equal(await store.stat('data/ab/missing'), undefined);
      await store.write('data/ab/present', randomBytes(17));
      assert.deepEqual(await store.stat('data/ab/present'), { name: 'data/ab/present', size: 17 });
      assert.equal(await store.stat('data/ab/present/below'), undefined);
    });

    storeTest('list returns every file under a prefix, nested too', async (store) => {
      await store.write('config', Buffer.from('c'));
      await store.write('keys/k1', Buffer.from('kk'));
      await store.write('data/ab/ab01', Buffer.from('123'));
      await store.write('data/ab/ab02', Buffer.from('1234'));
      await store.write('data/cd/cd01', Buffer.from('12345'));
      await store.write('database', Buffer.from('not under data/'));
      assert.deepEqual(summary(await store.list('data/')), ['data/ab/ab01:3', 'data/ab/ab02:4', 'data/cd/cd01:5']);
      assert.deepEqual(summary(await store.list('data/ab/')), ['data/ab/ab01:3', 'data/ab/ab02:4']);
      assert.deepEqual(summary(await store.list('data/a')), ['data/ab/ab01:3', 'data/ab/ab02:4']);
      assert.deepEqual(summary(await store.list('data/ab/ab0')), ['data/ab/ab01:3', 'data/ab/ab02:4']);
      assert.deepEqual(summary(await store.list('keys/')), ['keys/k1:2']);
      assert.deepEqual(summary(await store.list('config')), ['config:1']);
      assert.equal((await store.list('')).length, 6);
    });

    storeTest('list of a missing prefix is empty', async (store) => {
      assert.deepEqual(await store.list('snapshots/'), []);
      assert.deepEqual(await store.list('data/ff/'), []);
      await store.write('config', Buffer.from('c'));
      assert.deepEqual(await store.list('config/'), []);
      assert.deepEqual(await store.list('locks/'), []);
    });

    storeTest('remove deletes and is idempotent', async (store) => {
      await store.write('locks/l1', Buffer.from('lock'));
      await store.write('locks/l2', Buffer.from('lock'));
      await store.remove('locks/l1');
      assert.equal(await store.stat('locks/l1'), undefined);
      await assert.rejects(store.read('locks/l1'), NotFoundError);
      assert.deepEqual(summary(await store.list('locks/')), ['locks/l2:4']);
      await store.remove('locks/l1');
      await store.remove('locks/never-existed');
      await store.remove('nodir/never-existed');
      await store.write('locks/l1', Buffer.from('again'));
      assert.equal((await store.read('locks/l1')).toString(), 'again');
    });

    storeTest('invalid names are rejected by every method', async (store) => {
      for (const bad of INVALID_NAMES) {
        const message = `name ${JSON.stringify(bad)}`;
        await assert.rejects(store.write(bad, Buffer.from('x')), /invalid blob name/, message);
        await assert.rejects(store.read(bad), /invalid blob name/, message);
        await assert.rejects(store.read(bad, 0, 1), /invalid blob name/, message);
        await assert.rejects(store.stat(bad), /invalid blob name/, message);
        await assert.rejects(store.remove(bad), /invalid blob name/, message);
      }
      for (const bad of ['/', '/data/', '../', 'data/../', 'a\\b/', 'data//']) {
        await assert.rejects(store.list(bad), /invalid blob name/, `prefix ${JSON.stringify(bad)}`);
      }
      assert.deepEqual(await store.list(''), [], 'nothing was written by the rejected calls');
    });

    storeTest('names with dots and dashes inside segments are fine', async (store) => {
      await store.write('keys/a.b-c_d..e', Buffer.from('ok'));
      assert.equal((await store.read('keys/a.b-c_d..e')).toString(), 'ok');
    });

    storeTest('a writer shows nothing until commit, then the whole file under its name', async (store) => {
      const w = await store.openWriter();
      await w.write(Buffer.from('hello '));
      await w.write(Buffer.from('world'));
      assert.equal(w.size, 11);
      assert.equal(await w.sha256(), createHash('sha256').update('hello world').digest('hex'));
      assert.deepEqual(await store.list(''), [], 'nothing visible before commit');
      await w.commit('data/ab/abc');
      assert.equal((await store.read('data/ab/abc')).toString(), 'hello world');
      await w.abort(); // a no-op after commit
      assert.equal((await store.read('data/ab/abc')).toString(), 'hello world');
      await assert.rejects(w.write(Buffer.from('x')));
    });

    storeTest('an aborted writer leaves nothing behind', async (store) => {
      const w = await store.openWriter();
      await w.write(Buffer.from('partial'));
      await w.abort();
      await w.abort();
      assert.deepEqual(await store.list(''), []);
      await assert.rejects(w.commit('data/x'));
      assert.equal(await store.stat('data/x'), undefined);
    });
  });
}
