/**
 * Chunker tests: chunk boundaries must be exact, stable across versions and independent of how the
 * input is split into pushes, or deduplication silently degrades.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';

import type { ChunkerOptions } from '../../src/vault/chunker.js';
import { Chunker, DEFAULT_PARAMS, findCutPoint, gearTable, resolveParams } from '../../src/vault/chunker.js';

const MiB = 1024 * 1024;
const SMALL: ChunkerOptions = { minSize: 2048, avgSize: 8192, maxSize: 32768 };

/** Deterministic pseudo-random bytes (xorshift32), so failures reproduce. */
function seededBytes(length: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let x = seed | 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x >>> 24;
  }
  return out;
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** One-shot chunking through `findCutPoint`: the reference the streaming API must match. */
function cutPoints(buf: Uint8Array, options?: ChunkerOptions): number[] {
  const params = resolveParams(options);
  const cuts: number[] = [];
  for (let start = 0; start < buf.length; ) {
    start = findCutPoint(buf, start, buf.length, params);
    cuts.push(start);
  }
  return cuts;
}

function chunkStream(pieces: Iterable<Uint8Array>, options?: ChunkerOptions): Buffer[] {
  const chunker = new Chunker(options);
  const chunks: Buffer[] = [];
  for (const piece of pieces) chunks.push(...chunker.push(piece));
  const last = chunker.finish();
  if (last) chunks.push(last);
  return chunks;
}

function chunkOneShot(buf: Buffer, options?: ChunkerOptions): Buffer[] {
  return chunkStream([buf], options);
}

function lengths(chunks: readonly Uint8Array[]): number[] {
  return chunks.map((c) => c.length);
}

/** Splits `buf` into pieces of random sizes in [1, maxPiece] (biased towards small ones too). */
function* randomPieces(buf: Uint8Array, maxPiece: number, seed: number): Generator<Uint8Array> {
  let x = seed;
  const next = (n: number): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x % n;
  };
  for (let pos = 0; pos < buf.length; ) {
    const limit = next(4) === 0 ? 16 : next(2) === 0 ? 4096 : maxPiece;
    const size = 1 + next(limit);
    yield buf.subarray(pos, pos + size);
    pos += size;
  }
}

// 64 MiB of random data, shared by the big tests (generated once).
let bigInput: Buffer | undefined;
function big(): Buffer {
  bigInput ??= randomBytes(64 * MiB);
  return bigInput;
}

test('gear table and masks are frozen (changing them breaks dedup with existing repositories)', () => {
  const gear = gearTable();
  assert.equal(gear.length, 256);
  assert.equal(sha256(Buffer.from(gear.buffer)), GOLDEN_GEAR_SHA256);
  assert.deepEqual([...gear.subarray(0, 4)], [2481719263, 1511405336, 3257715216, 2731186660]);
  assert.equal(DEFAULT_PARAMS.maskS >>> 0, 0x1fffff80);
  assert.equal(DEFAULT_PARAMS.maskL >>> 0, 0x1ffff800);
});

test('golden cut points on seeded data (default and small parameters)', () => {
  const data = seededBytes(24 * MiB, 42);
  assert.deepEqual(cutPoints(data), GOLDEN_DEFAULT_CUTS);
  assert.deepEqual(cutPoints(data.subarray(0, 200_000), SMALL), GOLDEN_SMALL_CUTS);
});

/** The FastCDC definition, byte at a time, without the 4-byte unrolling of the real scanner. */
function referenceCuts(buf: Uint8Array, options?: ChunkerOptions): number[] {
  const { minSize, avgSize, maxSize, maskS, maskL } = resolveParams(options);
  const gear = gearTable();
  const cuts: number[] = [];
  for (let start = 0; start < buf.length; ) {
    let cut = Math.min(buf.length, start + maxSize);
    let h = 0;
    for (let i = start + minSize; i < cut; i++) {
      h = ((h << 1) + gear[buf[i]!]!) >>> 0;
      if ((h & (i - start < avgSize ? maskS : maskL)) === 0) cut = i + 1;
    }
    cuts.push(cut);
    start = cut;
  }
  return cuts;
}

test('findCutPoint matches a naive byte-at-a-time reference', () => {
  const options: (ChunkerOptions | undefined)[] = [
    undefined,
    SMALL,
    { minSize: 0, avgSize: 64, maxSize: 64 },
    { minSize: 0, avgSize: 64, maxSize: 1000 },
    { minSize: 13, avgSize: 256, maxSize: 999 },
    { minSize: 4096, avgSize: 4096, maxSize: 4096 },
  ];
  for (const opts of options) {
    for (const [size, seed] of [
      [opts ? 300_000 : 20 * MiB, 1],
      [opts ? 5 : 1000, 2],
      [opts ? 4099 : MiB, 3],
    ] as const) {
      const input = seededBytes(size, seed);
      assert.deepEqual(cutPoints(input, opts), referenceCuts(input, opts), JSON.stringify(opts));
    }
  }
});

test('concatenation of chunks equals the input; sizes within [min, max] except the last', () => {
  for (const [options, size] of [
    [undefined, 40 * MiB],
    [SMALL, 3 * MiB],
  ] as const) {
    const input = seededBytes(size, 7);
    const chunks = chunkOneShot(input, options);
    assert.ok(chunks.length > 1);
    assert.ok(Buffer.concat(chunks).equals(input));
    const { minSize, maxSize } = resolveParams(options);
    for (const chunk of chunks.slice(0, -1)) {
      assert.ok(chunk.length >= minSize && chunk.length <= maxSize, `chunk of ${chunk.length}`);
    }
    assert.ok(chunks.at(-1)!.length <= maxSize);
  }
});

test('chunks are cut at maxSize when no cut point is found (constant input)', () => {
  const input = Buffer.alloc(3 * 32768 + 100, 0);
  assert.deepEqual(lengths(chunkOneShot(input, SMALL)), [32768, 32768, 32768, 100]);
});

test('deterministic: same input, same chunks, also across instances and after finish()', () => {
  const input = seededBytes(5 * MiB, 3);
  const first = chunkOneShot(input, SMALL).map(sha256);
  assert.deepEqual(chunkOneShot(input, SMALL).map(sha256), first);
  const reused = new Chunker(SMALL);
  for (let round = 0; round < 2; round++) {
    const chunks = [...reused.push(input)];
    const last = reused.finish();
    if (last) chunks.push(last);
    assert.deepEqual(chunks.map(sha256), first);
  }
});

test('streaming with random push sizes equals one-shot (small parameters, many cuts)', () => {
  const input = seededBytes(4 * MiB, 11);
  const expected = cutPoints(input, SMALL);
  for (const maxPiece of [1, 7, 1000, 40_000, 300_000]) {
    const chunks = chunkStream(randomPieces(input, maxPiece, maxPiece), SMALL);
    assert.deepEqual(ends(chunks), expected, `maxPiece ${maxPiece}`);
    assert.ok(Buffer.concat(chunks).equals(input));
  }
});

test('streaming with random push sizes (1 byte .. several MiB) equals one-shot (defaults)', () => {
  const input = big().subarray(0, 48 * MiB);
  const expected = cutPoints(input);
  for (const [maxPiece, seed] of [
    [9 * MiB, 1],
    [3 * MiB, 2],
    [700_000, 3],
  ] as const) {
    const chunks = chunkStream(randomPieces(input, maxPiece, seed));
    assert.deepEqual(ends(chunks), expected, `maxPiece ${maxPiece}`);
    assert.ok(Buffer.concat(chunks).equals(input));
  }
});

test('returned chunks own their memory: reusing the pushed buffer does not change them', () => {
  const input = seededBytes(300_000, 5);
  const expected = chunkOneShot(input, SMALL).map(sha256);
  const chunker = new Chunker(SMALL);
  const scratch = Buffer.alloc(10_000);
  const chunks: Buffer[] = [];
  for (let pos = 0; pos < input.length; pos += scratch.length) {
    const n = input.copy(scratch, 0, pos);
    chunks.push(...chunker.push(scratch.subarray(0, n)));
    scratch.fill(0xa5);
  }
  chunks.push(chunker.finish()!);
  assert.deepEqual(chunks.map(sha256), expected);
  const one = chunkOneShot(input, SMALL);
  for (const chunk of one) {
    assert.equal(chunk.byteOffset, 0);
    assert.equal(chunk.buffer.byteLength, chunk.length, 'a chunk has an ArrayBuffer of its own');
  }
  input.fill(0);
  assert.deepEqual(one.map(sha256), expected);
});

test('shift resistance: 100 bytes inserted near the start change only the first chunk or two', () => {
  const input = big();
  const edited = Buffer.concat([input.subarray(0, 1000), randomBytes(100), input.subarray(1000)]);
  const before = chunkOneShot(input).map(sha256);
  const after = chunkOneShot(edited).map(sha256);
  const known = new Set(before);
  const changed = after.filter((h) => !known.has(h)).length;
  assert.ok(changed >= 1 && changed <= 2, `${changed} chunks changed`);
  assert.deepEqual(after.slice(changed), before.slice(before.length - (after.length - changed)));
});

test('average chunk size on 64 MiB of random data is within 0.7x..1.5x of avgSize', () => {
  const input = big();
  const count = cutPoints(input).length;
  const mean = input.length / count;
  const ratio = mean / DEFAULT_PARAMS.avgSize;
  assert.ok(ratio >= 0.7 && ratio <= 1.5, `mean chunk ${mean} bytes (${ratio.toFixed(2)}x avg)`);
  const small = seededBytes(16 * MiB, 9);
  const smallRatio = small.length / cutPoints(small, SMALL).length / SMALL.avgSize!;
  assert.ok(smallRatio >= 0.7 && smallRatio <= 1.5, `small params: ${smallRatio.toFixed(2)}x avg`);
});

test('empty input yields no chunks', () => {
  const chunker = new Chunker();
  assert.deepEqual(chunker.push(new Uint8Array(0)), []);
  assert.equal(chunker.finish(), undefined);
  assert.deepEqual(chunkStream([]), []);
  assert.equal(findCutPoint(new Uint8Array(0), 0, 0), 0);
});

test('input smaller than min yields one chunk', () => {
  const input = seededBytes(DEFAULT_PARAMS.minSize - 1, 13);
  const chunker = new Chunker();
  assert.deepEqual(chunker.push(input.subarray(0, 1000)), []);
  assert.deepEqual(chunker.push(input.subarray(1000)), []);
  const last = chunker.finish();
  assert.ok(last?.equals(input));
  assert.equal(chunker.finish(), undefined);
  assert.deepEqual(lengths(chunkOneShot(Buffer.from('hello'))), [5]);
});

test('invalid options are rejected', () => {
  assert.throws(() => new Chunker({ avgSize: 3000 }), RangeError);
  assert.throws(() => new Chunker({ minSize: 9000, avgSize: 8192, maxSize: 16384 }), RangeError);
  assert.throws(() => new Chunker({ minSize: 1024, avgSize: 8192, maxSize: 4096 }), RangeError);
  assert.throws(() => new Chunker({ avgSize: 2 ** 27, maxSize: 2 ** 28 }), RangeError);
});

/** Cumulative end offsets of a chunk list (comparable with `cutPoints`). */
function ends(chunks: readonly Uint8Array[]): number[] {
  let at = 0;
  return chunks.map((c) => (at += c.length));
}

const GOLDEN_GEAR_SHA256 = '16de56dea44c507138162ff297341e42dce4744845ffd11d101ddf9ace6b20ef';
// prettier-ignore
const GOLDEN_DEFAULT_CUTS = [
  1066883, 3543640, 4217526, 5287796, 7230619, 9171365, 10770711, 11873427, 13194535, 14938686, 16189363, 17490309, 19006442, 20269998, 21787280, 23140121,
  25165824,
];
// prettier-ignore
const GOLDEN_SMALL_CUTS = [
  12186, 20906, 29262, 38533, 46910, 52834, 61304, 75640, 84292, 88034, 100244, 109975, 123182, 126761, 130673, 142063, 152329, 161031, 165447, 173813, 178467,
  184042, 192326, 200000,
];
