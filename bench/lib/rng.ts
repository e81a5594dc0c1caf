/**
 * bench/lib/rng.ts: deterministic, fast pseudo-random source for the benchmark data set.
 *
 * The keystream of AES-256-CTR under a key derived from a seed string is both crypto-quality
 * (incompressible, no accidental dedup) and fast (AES-NI: several GB/s), and it is the same on
 * every machine. One Rng is one stream: derive independent streams with `fork(label)`.
 */
import { createCipheriv, createHash } from 'node:crypto';
import type { Cipher } from 'node:crypto';

const BLOCK = 64 * 1024;
const ZEROS = Buffer.alloc(4 * 1024 * 1024);

export class Rng {
  private readonly cipher: Cipher;
  private pool: Buffer = Buffer.alloc(0);
  private at = 0;

  constructor(readonly seed: string) {
    const key = createHash('sha256').update(`coffer-bench:${seed}`).digest();
    this.cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  }

  /** An independent stream, a pure function of this stream's seed and `label`. */
  fork(label: string | number): Rng {
    return new Rng(`${this.seed}/${label}`);
  }

  /** `n` fresh keystream bytes (a new Buffer). */
  bytes(n: number): Buffer {
    if (n <= ZEROS.length) return this.cipher.update(ZEROS.subarray(0, n));
    const parts: Buffer[] = [];
    for (let left = n; left > 0; left -= ZEROS.length) {
      parts.push(this.cipher.update(ZEROS.subarray(0, Math.min(left, ZEROS.length))));
    }
    return Buffer.concat(parts, n);
  }

  /** Uniform 32-bit unsigned integer. */
  u32(): number {
    if (this.at + 4 > this.pool.length) this.refill();
    const v = this.pool.readUInt32LE(this.at);
    this.at += 4;
    return v;
  }

  /** Uniform 16-bit unsigned integer (cheap: the text generator draws one per word). */
  u16(): number {
    if (this.at + 2 > this.pool.length) this.refill();
    const p = this.pool;
    const v = p[this.at]! | (p[this.at + 1]! << 8);
    this.at += 2;
    return v;
  }

  /** Uniform float in [0, 1). */
  float(): number {
    return this.u32() / 0x1_0000_0000;
  }

  /** Uniform integer in [lo, hi). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo));
  }

  /** Log-uniform integer in [lo, hi]: as many small values per decade as large ones. */
  logUniform(lo: number, hi: number): number {
    if (hi <= lo) return lo;
    return Math.round(Math.exp(Math.log(lo) + this.float() * (Math.log(hi) - Math.log(lo))));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(0, items.length)]!;
  }

  private refill(): void {
    this.pool = this.cipher.update(ZEROS.subarray(0, BLOCK));
    this.at = 0;
  }
}
