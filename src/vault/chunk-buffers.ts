/**
 * Reusable buffers for chunks on their way to the codec workers. A fresh ~1 MiB buffer per chunk
 * cost more in page faults than hashing it (profile of a database backup: 30% kernel time); the
 * workers hand each chunk's memory back once sealed, and the next chunk is copied into it.
 *
 * Buffers come in size classes (quarter steps between powers of two, so at most 25% is unused);
 * a chunk is a view of the first bytes of its class-sized ArrayBuffer. Only ArrayBuffers this
 * pool made or received back are ever reused, and idle ones are capped, so memory stays bounded.
 */

/** Chunks below this are left to Node's allocator (they travel in batches; few and small). */
export const MIN_POOLED = 256 * 1024;
/** Idle bytes kept for reuse; the in-flight limit of the saver is about as much. */
const DEFAULT_IDLE_LIMIT = 16 * 1024 * 1024;

/** The smallest class size holding `n` bytes: 2^k times 1, 1.25, 1.5 or 1.75. */
export function classSize(n: number): number {
  const pow = 2 ** Math.floor(Math.log2(n));
  for (const f of [1, 1.25, 1.5, 1.75]) if (pow * f >= n) return pow * f;
  return pow * 2;
}

export class ChunkBuffers {
  private readonly idle = new Map<number, ArrayBuffer[]>();
  private readonly owned = new WeakSet<ArrayBuffer>();
  private idleBytes = 0;
  /** Counters for tests and profiling: buffers made and reused. */
  readonly stats = { made: 0, reused: 0 };

  constructor(private readonly idleLimit = DEFAULT_IDLE_LIMIT) {}

  /** A Buffer of `n` bytes (contents undefined) that owns its memory: safe to transfer. */
  take(n: number): Buffer {
    if (n < MIN_POOLED) return Buffer.allocUnsafeSlow(n);
    const size = classSize(n);
    const ab = this.idle.get(size)?.pop();
    if (ab) {
      this.idleBytes -= size;
      this.stats.reused++;
      return Buffer.from(ab, 0, n);
    }
    const fresh = Buffer.allocUnsafeSlow(size).buffer as ArrayBuffer; // not zero-filled
    this.owned.add(fresh);
    this.stats.made++;
    return Buffer.from(fresh, 0, n);
  }

  /** Whether `view`'s memory is one of this pool's buffers (so it may be transferred whole). */
  owns(view: Uint8Array): boolean {
    return view.buffer instanceof ArrayBuffer && this.owned.has(view.buffer);
  }

  /**
   * Adopts memory nobody else references any more (a worker handed it back) as pool memory;
   * returns it to the idle list when its size is a class size.
   */
  adopt(view: Uint8Array): void {
    const ab = view.buffer;
    if (this.stats.made === 0) return; // nobody takes chunks from here (a restore, a copy): keep nothing
    if (!(ab instanceof ArrayBuffer) || ab.byteLength < MIN_POOLED || classSize(ab.byteLength) !== ab.byteLength) return;
    this.owned.add(ab);
    this.release(view);
  }

  /** Returns a buffer made by `take` (or adopted) for reuse; the caller must not touch it again. */
  release(view: Uint8Array): void {
    const ab = view.buffer;
    if (!(ab instanceof ArrayBuffer) || !this.owned.has(ab) || ab.byteLength === 0) return;
    if (this.idleBytes + ab.byteLength > this.idleLimit) return;
    const list = this.idle.get(ab.byteLength) ?? [];
    if (list.includes(ab)) return;
    list.push(ab);
    this.idle.set(ab.byteLength, list);
    this.idleBytes += ab.byteLength;
  }
}
