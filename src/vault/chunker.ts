/**
 * Content-defined chunking (FastCDC with a gear hash): cut points depend on content alone, so an
 * insertion shifts only the chunks around it and the rest still deduplicate against old snapshots.
 */

/** Sizes in bytes. `avgSize` must be a power of two; `minSize <= avgSize <= maxSize`. */
export interface ChunkerOptions {
  minSize?: number;
  avgSize?: number;
  maxSize?: number;
}

/** Validated sizes plus the two normalized-chunking masks derived from them. */
export interface ChunkerParams {
  readonly minSize: number;
  readonly avgSize: number;
  readonly maxSize: number;
  /** Stricter mask (log2(avg) + 2 bits), used from `minSize` up to `avgSize`. */
  readonly maskS: number;
  /** Looser mask (log2(avg) - 2 bits), used from `avgSize` up to `maxSize`. */
  readonly maskL: number;
}

/** Rolling-hash state carried between calls to `scanForCut` while a chunk spans several buffers. */
export interface ScanState {
  hash: number;
}

export const DEFAULT_MIN_SIZE = 512 * 1024;
export const DEFAULT_AVG_SIZE = 1024 * 1024;
export const DEFAULT_MAX_SIZE = 8 * 1024 * 1024;

/** FastCDC normalization level 2: masks have log2(avg) ± 2 bits. */
const NORMALIZATION = 2;

/** Seed of the gear table. FROZEN: see `GEAR`. */
const GEAR_SEED = 0x636f6666; // "coff"

/** mulberry32: a tiny 32-bit PRNG, good enough to fill a gear table; returns uint32 values. */
function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

function makeGearTable(seed: number): Int32Array {
  const next = mulberry32(seed);
  const table = new Int32Array(256);
  for (let i = 0; i < 256; i++) table[i] = next() | 0;
  return table;
}

/**
 * The gear table: 256 uint32 values from `mulberry32(GEAR_SEED)`, stored as their int32 bit
 * patterns so the hot loop stays in int32 arithmetic (same bits, same hashes).
 *
 * FROZEN FOREVER: the seed, the PRNG, the mask layout (`highMask`) and the cut rule in
 * `scanForCut` define every cut point. Any change re-chunks all data and breaks deduplication
 * against every existing repository. The golden tests in test/vault/chunker.test.ts pin them.
 */
const GEAR: Int32Array = makeGearTable(GEAR_SEED);
/** GEAR[b] << k, for rolling four bytes per step (derived, not separately frozen). */
const GEAR_SHL1 = GEAR.map((g) => g << 1);
const GEAR_SHL2 = GEAR.map((g) => g << 2);
const GEAR_SHL3 = GEAR.map((g) => g << 3);

/** The gear table as uint32 values (a copy), for tests and tooling. */
export function gearTable(): Uint32Array {
  return new Uint32Array(GEAR);
}

/** Highest hash bit a mask may use: masks shifted left by 3 (see `rollBlocks`) must still fit. */
const MASK_TOP_BIT = 28;

/**
 * `bits` one-bits ending at bit 28. The hash is `h = (h << 1) + GEAR[b]`, so bit k depends on the
 * last k + 1 bytes: high bits give a wide window (29 bytes). FROZEN, like `GEAR`.
 */
function highMask(bits: number): number {
  return ((2 ** bits - 1) * 2 ** (MASK_TOP_BIT + 1 - bits)) | 0;
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

/** Validates options and derives the masks. Throws RangeError on nonsense sizes. */
export function resolveParams(options: ChunkerOptions = {}): ChunkerParams {
  const minSize = options.minSize ?? DEFAULT_MIN_SIZE;
  const avgSize = options.avgSize ?? DEFAULT_AVG_SIZE;
  const maxSize = options.maxSize ?? DEFAULT_MAX_SIZE;
  if (!isPowerOfTwo(avgSize) || avgSize < 64 || avgSize > 2 ** (MASK_TOP_BIT - NORMALIZATION)) {
    throw new RangeError(`chunker avgSize must be a power of two in [64, 2^26], got ${avgSize}`);
  }
  if (!Number.isInteger(minSize) || minSize < 0 || minSize > avgSize) {
    throw new RangeError(`chunker minSize must be an integer in [0, avgSize], got ${minSize}`);
  }
  if (!Number.isInteger(maxSize) || maxSize < avgSize || maxSize > 2 ** 30) {
    throw new RangeError(`chunker maxSize must be an integer in [avgSize, 2^30], got ${maxSize}`);
  }
  const bits = Math.log2(avgSize);
  return {
    minSize,
    avgSize,
    maxSize,
    maskS: highMask(bits + NORMALIZATION),
    maskL: highMask(bits - NORMALIZATION),
  };
}

export const DEFAULT_PARAMS: ChunkerParams = resolveParams();

/**
 * The core scan. `buf[from]` is byte number `offset` of the current chunk and `state.hash` the
 * rolling hash before it (0 at a chunk start). Bytes before `minSize` are skipped, not hashed
 * (FastCDC cut-point skipping); up to `avgSize` the strict mask applies, then the loose one, and a
 * chunk is cut at `maxSize` regardless.
 *
 * Returns the index in `buf` just past the cut point (and resets `state.hash` to 0 for the next
 * chunk), or -1 if `to` comes first; then `state.hash` holds the hash to resume with on the next
 * buffer, whose first byte is at offset `offset + to - from`.
 */
export function scanForCut(buf: Uint8Array, from: number, to: number, offset: number, params: ChunkerParams, state: ScanState): number {
  const base = from - offset; // index of the chunk's first byte; negative if it began earlier
  const skipTo = Math.max(from, base + params.minSize);
  const avgEnd = Math.min(to, base + params.avgSize);
  let cut = gearScan(buf, skipTo, avgEnd, params.maskS, state);
  if (cut < 0) {
    const maxEnd = Math.min(to, base + params.maxSize);
    cut = gearScan(buf, Math.max(skipTo, avgEnd), maxEnd, params.maskL, state);
    if (cut < 0 && maxEnd === base + params.maxSize) cut = maxEnd;
  }
  if (cut >= 0) state.hash = 0;
  return cut;
}

/**
 * Rolls the gear hash over buf[from, to) from `state.hash`; returns the index just past the first
 * byte after which `(h & mask) === 0`, or -1 with the final hash stored back in `state.hash`.
 */
function gearScan(buf: Uint8Array, from: number, to: number, mask: number, state: ScanState): number {
  if (from >= to) return -1;
  // A plain Uint8Array view even for Buffers keeps the hot loop's element loads monomorphic.
  const view = new Uint8Array(buf.buffer, buf.byteOffset + from, to - from);
  const cut = rollBytes(view, rollBlocks(view, mask, state), mask, state);
  return cut < 0 ? -1 : from + cut;
}

/**
 * The hot loop: four bytes per step, one shift per step. With `h'` the hash after byte j - 1,
 *   h(j + 3) = (h' << 4) + (G[b0] << 3) + (G[b1] << 2) + (G[b2] << 1) + G[b3]
 * and each partial sum is h(j + k) << (3 - k), tested against mask << (3 - k) (exact, as masks
 * stay below bit 29). Stops at the first 4-byte block holding a cut, or before the last < 4
 * bytes; returns that block's index with the hash before it in `state.hash`. The exits only
 * `break`: arithmetic in a rarely taken exit lacks type feedback, and V8 then deoptimized this
 * loop again and again (measured: half speed for the first GiBs).
 */
function rollBlocks(view: Uint8Array, mask: number, state: ScanState): number {
  const g0 = GEAR,
    g1 = GEAR_SHL1,
    g2 = GEAR_SHL2,
    g3 = GEAR_SHL3;
  const m1 = mask << 1,
    m2 = mask << 2,
    m3 = mask << 3;
  const n = view.length - 3;
  let h = state.hash;
  let j = 0;
  for (; j < n; j += 4) {
    let x = ((h << 4) + g3[view[j]!]!) | 0;
    if ((x & m3) === 0) break;
    x = (x + g2[view[j + 1]!]!) | 0;
    if ((x & m2) === 0) break;
    x = (x + g1[view[j + 2]!]!) | 0;
    if ((x & m1) === 0) break;
    x = (x + g0[view[j + 3]!]!) | 0;
    if ((x & mask) === 0) break;
    h = x;
  }
  state.hash = h;
  return j;
}

/** Byte at a time from view[j]: finds the cut inside the block `rollBlocks` stopped at, or in the tail. */
function rollBytes(view: Uint8Array, j: number, mask: number, state: ScanState): number {
  const gear = GEAR;
  const n = view.length;
  let h = state.hash;
  for (; j < n; j++) {
    h = ((h << 1) + gear[view[j]!]!) | 0;
    if ((h & mask) === 0) return j + 1;
  }
  state.hash = h;
  return -1;
}

/**
 * One-shot: the end index (exclusive) of the chunk that starts at `buf[start]`, where `end` is the
 * end of the data. Chunking a whole buffer is `while (start < end) start = findCutPoint(...)`.
 */
export function findCutPoint(buf: Uint8Array, start: number, end: number, params: ChunkerParams = DEFAULT_PARAMS): number {
  const cut = scanForCut(buf, start, end, 0, params, { hash: 0 });
  return cut < 0 ? end : cut;
}

/** Where chunks get their memory: each Buffer must own it (never Node's pool slab), so it can be transferred. */
export interface ChunkAllocator {
  take(n: number): Buffer;
}

const SLOW_ALLOCATOR: ChunkAllocator = { take: (n) => Buffer.allocUnsafeSlow(n) };

const EMPTY: Buffer = Buffer.alloc(0);

/**
 * Streaming chunker. Holds at most one chunk's worth (< maxSize) of copied pending bytes, never a
 * reference to a caller's buffer, so callers may reuse their buffers after `push` returns.
 */
export class Chunker {
  readonly params: ChunkerParams;
  /** Owned copy of the current chunk's bytes seen so far: carry[0, offset). Grows up to maxSize. */
  private carry: Buffer = EMPTY;
  /** Offset of the next byte within the current chunk. */
  private offset = 0;
  private readonly state: ScanState = { hash: 0 };

  /** `alloc` gives the chunks their memory (e.g. reused ChunkBuffers); by default fresh buffers. */
  constructor(
    options?: ChunkerOptions,
    private readonly alloc: ChunkAllocator = SLOW_ALLOCATOR,
  ) {
    this.params = resolveParams(options);
  }

  /** Feeds bytes; returns the chunks completed by them (each a Buffer that it owns: safe to keep/transfer). */
  push(data: Uint8Array): Buffer[] {
    const chunks: Buffer[] = [];
    let pos = 0;
    while (pos < data.length) {
      const cut = scanForCut(data, pos, data.length, this.offset, this.params, this.state);
      if (cut < 0) {
        this.keep(data, pos);
        break;
      }
      chunks.push(this.take(data, pos, cut));
      pos = cut;
    }
    return chunks;
  }

  /** Returns the last, possibly short, chunk (or undefined if nothing is pending) and resets the chunker. */
  finish(): Buffer | undefined {
    const { carry, offset } = this;
    this.carry = EMPTY;
    this.offset = 0;
    this.state.hash = 0;
    if (offset === 0) return undefined;
    // A tail kept by a single push fills `carry` exactly: hand it over instead of copying again.
    return offset === carry.length ? carry : this.copy(carry, 0, offset);
  }

  /** Appends data[from, end) to the pending bytes; no cut point lies in them. */
  private keep(data: Uint8Array, from: number): void {
    const need = this.offset + data.length - from;
    if (need > this.carry.length) this.grow(need);
    this.carry.set(data.subarray(from), this.offset);
    this.offset = need;
  }

  /**
   * Makes room for `need` pending bytes: exactly `need` at first (so that `finish` can often hand
   * the buffer over), then doubling up to maxSize. The buffer is reused from chunk to chunk.
   */
  private grow(need: number): void {
    const { carry } = this;
    const capacity = carry.length === 0 ? need : Math.min(this.params.maxSize, Math.max(need, 2 * carry.length));
    this.carry = Buffer.allocUnsafeSlow(capacity);
    if (this.offset > 0) this.carry.set(carry.subarray(0, this.offset));
  }

  /** A copy of src[from, to) in memory from `alloc`. */
  private copy(src: Uint8Array, from: number, to: number): Buffer {
    const out = this.alloc.take(to - from);
    out.set(src.subarray(from, to));
    return out;
  }

  /** The chunk made of the pending bytes plus data[from, cut); starts a new chunk. */
  private take(data: Uint8Array, from: number, cut: number): Buffer {
    if (this.offset === 0) return this.copy(data, from, cut);
    const chunk = this.alloc.take(this.offset + cut - from);
    chunk.set(this.carry.subarray(0, this.offset));
    chunk.set(data.subarray(from, cut), this.offset);
    this.offset = 0; // `carry` is kept for the next chunk's tail; scanForCut reset the hash
    return chunk;
  }
}
