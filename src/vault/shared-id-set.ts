/**
 * A set of blob IDs in shared memory that worker threads can read while the main thread adds to
 * it: workers hash a chunk and skip compressing and encrypting it when the set says it is
 * already stored. Keys are the first 8 bytes of the ID, so a hit is a strong hint, not proof:
 * the main thread confirms against the full ID and sends a false hit back to be sealed.
 */

const EMPTY = 0n;

export class SharedIdSet {
  private table: BigUint64Array;
  private count = 0;

  constructor(capacity = 1 << 16) {
    this.table = new BigUint64Array(new SharedArrayBuffer(nextPow2(capacity) * 8));
  }

  /** The memory to hand to workers; it changes when the set grows. */
  get buffer(): SharedArrayBuffer {
    return this.table.buffer as SharedArrayBuffer;
  }

  /** Adds a hex ID; returns true when the table was replaced (workers need the new buffer). */
  add(id: string): boolean {
    let grew = false;
    if ((this.count + 1) * 2 > this.table.length) {
      this.grow();
      grew = true;
    }
    if (insert(this.table, keyOf(id))) this.count++;
    return grew;
  }

  private grow(): void {
    const old = this.table;
    this.table = new BigUint64Array(new SharedArrayBuffer(old.length * 2 * 8));
    for (let i = 0; i < old.length; i++) {
      const k = old[i]!;
      if (k !== EMPTY) insert(this.table, k);
    }
  }
}

/** Reads a set built by SharedIdSet from its shared memory (worker side). */
export function sharedSetHas(table: BigUint64Array, id: Buffer): boolean {
  const key = keyOfBytes(id);
  const mask = table.length - 1;
  for (let i = Number(key & BigInt(mask)); ; i = (i + 1) & mask) {
    const k = Atomics.load(table, i);
    if (k === EMPTY) return false;
    if (k === key) return true;
  }
}

function insert(table: BigUint64Array, key: bigint): boolean {
  const mask = table.length - 1;
  for (let i = Number(key & BigInt(mask)); ; i = (i + 1) & mask) {
    const k = table[i]!;
    if (k === key) return false;
    if (k === EMPTY) {
      Atomics.store(table, i, key);
      return true;
    }
  }
}

/** The first 8 bytes of the ID as a number; 0 is reserved for empty slots. */
function keyOf(hex: string): bigint {
  return BigInt(`0x${hex.slice(0, 16)}`) || 1n;
}

function keyOfBytes(id: Buffer): bigint {
  return id.readBigUInt64BE(0) || 1n;
}

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
