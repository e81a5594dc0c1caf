/**
 * restic's config names a random irreducible polynomial of degree 53 over GF(2) for its Rabin
 * chunker. Coffer chunks with a gear hash instead, but writes a valid polynomial so that restic
 * itself can still back up into a Coffer vault. Irreducibility: Ben-Or's test.
 */
import { randomBytes } from 'node:crypto';

const DEGREE = 53;

function degree(p: bigint): number {
  return p === 0n ? -1 : p.toString(2).length - 1;
}

function mod(a: bigint, m: bigint): bigint {
  const dm = degree(m);
  let da = degree(a);
  while (da >= dm) {
    a ^= m << BigInt(da - dm);
    da = degree(a);
  }
  return a;
}

function mulMod(a: bigint, b: bigint, m: bigint): bigint {
  let result = 0n;
  while (b > 0n) {
    if (b & 1n) result ^= a;
    b >>= 1n;
    a = mod(a << 1n, m);
  }
  return mod(result, m);
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, mod(a, b)];
  return a;
}

export function isIrreducible(f: bigint): boolean {
  const d = degree(f);
  let xPow = 2n; // x
  for (let i = 1; i <= Math.floor(d / 2); i++) {
    xPow = mulMod(xPow, xPow, f); // x^(2^i) mod f
    if (gcd(f, xPow ^ 2n) !== 1n) return false;
  }
  return true;
}

export function randomIrreduciblePolynomial(): bigint {
  for (;;) {
    let p = BigInt(`0x${randomBytes(7).toString('hex')}`) & ((1n << BigInt(DEGREE + 1)) - 1n);
    p |= 1n << BigInt(DEGREE);
    p |= 1n;
    if (isIrreducible(p)) return p;
  }
}
