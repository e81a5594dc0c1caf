/**
 * The format's building blocks on their own: sealing, Poly1305-AES, key files, pack headers,
 * unpacked-file encoding, file modes, timestamps and the chunker polynomial.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isIrreducible, randomIrreduciblePolynomial } from '../../src/vault/chunker-polynomial.js';
import { compressionLevel, decodeUnpacked, encodeUnpacked } from '../../src/vault/compression.js';
import { AuthenticationError, keyFromBytes, open, randomMasterKey, seal } from '../../src/vault/crypto.js';
import { goModeFromPosix, posixPermissionsFromGo } from '../../src/vault/file-mode.js';
import { createKeyFile, openKeyFile } from '../../src/vault/key-file.js';
import { decodeHeader, encodeHeader } from '../../src/vault/pack.js';
import { formatNanos, parseMicros, parseNanos } from '../../src/vault/time-format.js';
import { idOf } from '../../src/vault/id.js';

test('sealing round-trips and any changed byte is detected', () => {
  const key = randomMasterKey();
  const plain = Buffer.from('the quick brown fox');
  const sealed = seal(key, plain);
  assert.equal(sealed.length, plain.length + 32);
  assert.deepEqual(open(key, sealed), plain);
  assert.notDeepEqual(seal(key, plain), sealed, 'a fresh IV each time');
  for (const at of [0, 16, sealed.length - 1]) {
    const bad = Buffer.from(sealed);
    bad[at] = bad[at]! ^ 1;
    assert.throws(() => open(key, bad), AuthenticationError);
  }
  assert.throws(() => open(randomMasterKey(), sealed), AuthenticationError);
});

test("Poly1305-AES matches the test vector of Bernstein's paper", () => {
  // The paper's first example: MAC = Poly1305_r(msg) + AES_k(nonce). In restic's layout the
  // MAC covers the ciphertext and the IV is the nonce, so IV || msg || MAC must verify.
  const r = Buffer.from('851fc40c3467ac0be05cc20404f3f700', 'hex');
  const k = Buffer.from('ec074c835580741701425b623235add6', 'hex');
  const nonce = Buffer.from('fb447350c4e868c52ac3275cf9d4327e', 'hex');
  const msg = Buffer.from('f3f6', 'hex');
  const key = keyFromBytes(Buffer.concat([Buffer.alloc(32), k, r]));
  const sealedShape = Buffer.concat([nonce, msg, Buffer.from('f4c633c3044fc145f84f335cb81953de', 'hex')]);
  // open() verifies the MAC over the ciphertext before decrypting: it must accept this tag.
  assert.doesNotThrow(() => open(key, sealedShape));
});

test('key files open with the right password only', async () => {
  const master = randomMasterKey();
  const file = await createKeyFile(master, Buffer.from('secret'), { N: 1024, r: 8, p: 1 });
  const json = JSON.parse(file.toString()) as Record<string, unknown>;
  assert.equal(json.kdf, 'scrypt');
  assert.equal(Buffer.from(json.salt as string, 'base64').length, 64);
  const opened = await openKeyFile(file, Buffer.from('secret'));
  assert.deepEqual(opened?.encrypt, master.encrypt);
  assert.equal(await openKeyFile(file, Buffer.from('wrong')), undefined);
});

test('pack headers encode and decode, offsets follow the lengths', () => {
  const id = (s: string) => idOf(Buffer.from(s));
  const blobs = [
    { id: id('a'), type: 'data' as const, offset: 0, length: 100 },
    { id: id('b'), type: 'data' as const, offset: 100, length: 50, uncompressedLength: 400 },
    { id: id('c'), type: 'tree' as const, offset: 150, length: 70 },
  ];
  const header = encodeHeader(blobs);
  assert.equal(header.length, 37 + 41 + 37);
  assert.deepEqual(decodeHeader(header), blobs);
  assert.throws(() => decodeHeader(Buffer.from([7, 0, 0])), /invalid blob type/);
});

test('unpacked files: v2 is 0x02 + zstd; plain JSON is still read', () => {
  const json = Buffer.from(JSON.stringify({ packs: [], hello: 'x'.repeat(1000) }));
  const enc = encodeUnpacked(json);
  assert.equal(enc[0], 2);
  assert.ok(enc.length < json.length);
  assert.deepEqual(decodeUnpacked(enc), json);
  assert.deepEqual(decodeUnpacked(json), json);
  assert.throws(() => decodeUnpacked(Buffer.from([9, 1, 2])), /unknown encoding version/);
});

test('compression level comes from COFFER_ZSTD_LEVEL and is validated', () => {
  assert.equal(compressionLevel({}), 1);
  assert.equal(compressionLevel({ COFFER_ZSTD_LEVEL: '3' }), 3);
  assert.equal(compressionLevel({ COFFER_ZSTD_LEVEL: '1' }), 1);
  assert.throws(() => compressionLevel({ COFFER_ZSTD_LEVEL: 'fast' }), /not a zstd level/);
});

test('file modes translate between POSIX and Go', () => {
  assert.equal(goModeFromPosix(0o100644), 0o644);
  assert.equal(goModeFromPosix(0o040755), 2 ** 31 + 0o755);
  assert.equal(goModeFromPosix(0o120777), 2 ** 27 + 0o777);
  assert.equal(goModeFromPosix(0o104755), 2 ** 23 + 0o755);
  assert.equal(posixPermissionsFromGo(2 ** 31 + 2 ** 20 + (0o1777 % 0o1000)), 0o1777);
  assert.equal(posixPermissionsFromGo(2 ** 23 + 0o755), 0o4755);
});

test('timestamps keep nanoseconds the way Go writes them', () => {
  const ns = 1_700_000_000_123_456_789n;
  assert.equal(formatNanos(ns), '2023-11-14T22:13:20.123456789Z');
  assert.equal(formatNanos(1_700_000_000_000_000_000n), '2023-11-14T22:13:20Z');
  assert.equal(formatNanos(1_700_000_000_120_000_000n), '2023-11-14T22:13:20.12Z');
  assert.equal(parseNanos('2023-11-14T22:13:20.123456789Z'), ns);
  assert.equal(parseNanos('2023-11-14T23:13:20.123456789+01:00'), ns);
  assert.equal(formatNanos(-1n), '1969-12-31T23:59:59.999999999Z');
  assert.equal(formatNanos(1_700_000_000_000_000_001n), '2023-11-14T22:13:20.000000001Z');
  assert.equal(formatNanos(-1_500_000_000n), '1969-12-31T23:59:58.5Z');
  assert.equal(parseMicros('2023-11-14T23:13:20.123456789+01:00'), 1_700_000_000_123_456);
  assert.equal(parseMicros('1969-12-31T23:59:58.5Z'), -1_500_000);
  assert.equal(parseMicros('2023-11-14T22:13:20Z'), 1_700_000_000_000_000);
  // The same second formatted again (cached) and many times round-trip exactly.
  for (let i = 0; i < 10_000; i++) {
    const t = 1_600_000_000_000_000_000n + BigInt(i) * 123_456_789n;
    const text = formatNanos(t);
    assert.equal(parseNanos(text), t, text);
    assert.equal(text, `${new Date(Number(t / 1_000_000n)).toISOString().slice(0, 19)}${text.slice(19)}`);
    assert.equal(parseMicros(text), Number(t / 1000n), text);
  }
});

test('chunker polynomials are irreducible of degree 53', () => {
  assert.ok(isIrreducible(0x3da3358b4dc173n), "restic's test polynomial");
  const p = randomIrreduciblePolynomial();
  assert.equal(p.toString(2).length, 54);
  assert.ok(isIrreducible(p));
  assert.ok(!isIrreducible(0x3da3358b4dc172n), 'divisible by x');
});
