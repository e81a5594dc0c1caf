/**
 * ChunkBuffers: chunks reuse memory handed back by the workers, never memory someone else still
 * holds, and idle memory stays capped. Also: chunks cut into reused memory are the same chunks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { ChunkBuffers, classSize } from '../../src/vault/chunk-buffers.js';
import { Chunker } from '../../src/vault/chunker.js';

test('class sizes are quarter steps between powers of two and hold the request', () => {
  for (const n of [1, 300_000, 512 * 1024, 512 * 1024 + 1, 1_000_000, 3 * 1024 * 1024 + 7, 8 * 1024 * 1024]) {
    const c = classSize(n);
    assert.ok(c >= n && c < n * 1.26 + 1, `${n} -> ${c}`);
    assert.equal(classSize(c), c);
  }
});

test('released and adopted memory is reused; foreign memory never is', () => {
  const pool = new ChunkBuffers();
  const a = pool.take(700_000);
  assert.equal(a.length, 700_000);
  assert.equal(a.byteOffset, 0);
  assert.ok(pool.owns(a));
  pool.release(a);
  const b = pool.take(690_000);
  assert.equal(b.buffer, a.buffer);
  assert.deepEqual(pool.stats, { made: 1, reused: 1 });

  const foreign = Buffer.allocUnsafeSlow(1024 * 1024);
  pool.release(foreign); // not made here, not adopted: ignored
  assert.notEqual(pool.take(1024 * 1024).buffer, foreign.buffer);

  const handedBack = new Uint8Array(new ArrayBuffer(classSize(900_000)));
  pool.adopt(handedBack);
  assert.equal(pool.take(900_000).buffer, handedBack.buffer);
  const odd = new Uint8Array(new ArrayBuffer(classSize(900_000) + 1));
  pool.adopt(odd); // not a class size
  assert.notEqual(pool.take(900_000).buffer, odd.buffer);

  const small = pool.take(1000);
  assert.ok(!pool.owns(small));
});

test('idle memory is capped', () => {
  const pool = new ChunkBuffers(2 * 1024 * 1024);
  const bufs = [pool.take(1024 * 1024), pool.take(1024 * 1024), pool.take(1024 * 1024)];
  for (const b of bufs) pool.release(b);
  pool.take(1024 * 1024);
  pool.take(1024 * 1024);
  pool.take(1024 * 1024);
  assert.deepEqual(pool.stats, { made: 4, reused: 2 }); // the third released buffer was dropped
});

test('a chunker on reused memory cuts the same chunks', () => {
  const data = randomBytes(12 * 1024 * 1024);
  const hashes = (alloc?: ChunkBuffers): string[] => {
    const chunker = new Chunker(undefined, alloc);
    const out: string[] = [];
    for (let at = 0; at < data.length; at += 65536) {
      for (const c of chunker.push(data.subarray(at, at + 65536))) {
        out.push(createHash('sha256').update(c).digest('hex'));
        alloc?.release(c); // as the workers hand memory back: the next chunk overwrites it
      }
    }
    const last = chunker.finish();
    if (last) out.push(createHash('sha256').update(last).digest('hex'));
    return out;
  };
  const pool = new ChunkBuffers();
  assert.deepEqual(hashes(pool), hashes());
  assert.ok(pool.stats.reused > 0);
});
