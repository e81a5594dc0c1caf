/**
 * ECDSA over a message digest the caller already computed (Sign and Verify with MessageType
 * DIGEST). node:crypto signs only messages it hashes itself, so this is the textbook algorithm
 * (SEC 1, 4.1) over the four curves Coffer's keys use, with the curves' published parameters and
 * affine BigInt arithmetic; signatures are DER `SEQUENCE { r, s }`, the same as node:crypto's, so
 * each side verifies the other's. Not constant-time: acceptable for a self-hosted KMS whose callers
 * are already authorized to sign, and the nonce is fresh from the CSPRNG on every signature.
 */
import { randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

interface Curve {
  readonly p: bigint;
  readonly a: bigint;
  readonly n: bigint;
  readonly g: Point;
}
type Point = { readonly x: bigint; readonly y: bigint } | null;

const hex = (text: string): bigint => BigInt(`0x${text}`);
const generator = (x: string, y: string): Point => ({ x: hex(x), y: hex(y) });

const CURVES: Readonly<Record<string, Curve>> = {
  'P-256': {
    p: hex('ffffffff00000001000000000000000000000000ffffffffffffffffffffffff'),
    a: hex('ffffffff00000001000000000000000000000000fffffffffffffffffffffffc'),
    n: hex('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551'),
    g: generator('6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296', '4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5'),
  },
  'P-384': {
    p: hex('fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff'),
    a: hex('fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000fffffffc'),
    n: hex('ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973'),
    g: generator(
      'aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7',
      '3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f',
    ),
  },
  'P-521': {
    p: (1n << 521n) - 1n,
    a: (1n << 521n) - 4n,
    n: hex('1fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409'),
    g: generator(
      '00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66',
      '011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650',
    ),
  },
  secp256k1: {
    p: hex('fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f'),
    a: 0n,
    n: hex('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141'),
    g: generator('79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798', '483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8'),
  },
};

const mod = (a: bigint, m: bigint): bigint => ((a % m) + m) % m;

function invert(a: bigint, m: bigint): bigint {
  let [r0, r1] = [mod(a, m), m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return mod(s0, m);
}

function add(c: Curve, P: Point, Q: Point): Point {
  if (P === null) return Q;
  if (Q === null) return P;
  let slope: bigint;
  if (P.x === Q.x) {
    if (mod(P.y + Q.y, c.p) === 0n) return null;
    slope = mod((3n * P.x * P.x + c.a) * invert(2n * P.y, c.p), c.p);
  } else {
    slope = mod((Q.y - P.y) * invert(Q.x - P.x, c.p), c.p);
  }
  const x = mod(slope * slope - P.x - Q.x, c.p);
  return { x, y: mod(slope * (P.x - x) - P.y, c.p) };
}

function multiply(c: Curve, k: bigint, P: Point): Point {
  let result: Point = null;
  let addend = P;
  for (let e = k; e > 0n; e >>= 1n) {
    if (e & 1n) result = add(c, result, addend);
    addend = add(c, addend, addend);
  }
  return result;
}

const toBig = (buf: Buffer): bigint => (buf.length === 0 ? 0n : BigInt(`0x${buf.toString('hex')}`));

/** The digest as an integer, cut to the bit length of the curve's order (SEC 1 4.1.3 step 5). */
function digestInteger(c: Curve, digest: Buffer): bigint {
  const nBits = c.n.toString(2).length;
  const e = toBig(digest);
  const extra = digest.length * 8 - nBits;
  return extra > 0 ? e >> BigInt(extra) : e;
}

function derInteger(v: bigint): Buffer {
  let h = v.toString(16);
  if (h.length % 2 === 1) h = `0${h}`;
  let bytes = Buffer.from(h, 'hex');
  if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
}

function derLength(n: number): Buffer {
  return n < 0x80 ? Buffer.from([n]) : Buffer.from([0x81, n]);
}

function encodeSignature(r: bigint, s: bigint): Buffer {
  const body = Buffer.concat([derInteger(r), derInteger(s)]);
  return Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
}

/** (r, s) of a DER signature, or undefined when it is not one. */
function decodeSignature(sig: Buffer): { r: bigint; s: bigint } | undefined {
  let at = 0;
  const length = (): number | undefined => {
    const first = sig[at++];
    if (first === undefined) return undefined;
    if (first < 0x80) return first;
    if (first !== 0x81) return undefined;
    return sig[at++];
  };
  if (sig[at++] !== 0x30) return undefined;
  const total = length();
  if (total === undefined || at + total !== sig.length) return undefined;
  const ints: bigint[] = [];
  for (let i = 0; i < 2; i++) {
    if (sig[at++] !== 0x02) return undefined;
    const len = length();
    if (len === undefined || len === 0 || at + len > sig.length) return undefined;
    ints.push(toBig(sig.subarray(at, at + len)));
    at += len;
  }
  return at === sig.length ? { r: ints[0]!, s: ints[1]! } : undefined;
}

function curveOf(key: KeyObject): Curve {
  const name = key.asymmetricKeyDetails?.namedCurve;
  const byOid: Readonly<Record<string, string>> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521', secp256k1: 'secp256k1' };
  const curve = CURVES[byOid[name ?? ''] ?? name ?? ''];
  if (curve === undefined) throw new Error(`no ECDSA parameters for curve ${String(name)}`);
  return curve;
}

const jwkInt = (text: string | undefined): bigint => toBig(Buffer.from(text ?? '', 'base64url'));

export function signDigest(privateKey: KeyObject, digest: Buffer): Buffer {
  const c = curveOf(privateKey);
  const d = jwkInt(privateKey.export({ format: 'jwk' }).d);
  const e = digestInteger(c, digest);
  const size = Math.ceil(c.n.toString(2).length / 8) + 8;
  for (;;) {
    const k = mod(toBig(randomBytes(size)), c.n - 1n) + 1n;
    const R = multiply(c, k, c.g);
    const r = mod(R!.x, c.n);
    if (r === 0n) continue;
    const s = mod(invert(k, c.n) * (e + r * d), c.n);
    if (s !== 0n) return encodeSignature(r, s);
  }
}

export function verifyDigest(publicKey: KeyObject, digest: Buffer, signature: Buffer): boolean {
  const c = curveOf(publicKey);
  const decoded = decodeSignature(signature);
  if (decoded === undefined) return false;
  const { r, s } = decoded;
  if (r <= 0n || r >= c.n || s <= 0n || s >= c.n) return false;
  const jwk = publicKey.export({ format: 'jwk' });
  const Q: Point = { x: jwkInt(jwk.x), y: jwkInt(jwk.y) };
  const w = invert(s, c.n);
  const e = digestInteger(c, digest);
  const X = add(c, multiply(c, mod(e * w, c.n), c.g), multiply(c, mod(r * w, c.n), Q));
  return X !== null && mod(X.x, c.n) === r;
}
