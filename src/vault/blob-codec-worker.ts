/**
 * Worker thread body: the CPU stages of storing and loading blobs (SHA-256, zstd, AES-CTR,
 * Poly1305), so that they run on every core while the main thread reads and chunks files.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { decodeBlob, storeBlob } from './blob-codec.js';
import { MIN_POOLED } from './chunk-buffers.js';
import type { MasterKey } from './crypto.js';
import type { CodecRequest, CodecResponse, StoredItem } from './blob-codec-protocol.js';
import { asBuffer, transferListOf } from './blob-codec-protocol.js';
import { restoreSpan, SpanReadError } from './restore-span.js';
import { storeSmallFiles } from './small-file-codec.js';

const init = workerData as { encrypt: Uint8Array; macK: Uint8Array; macR: Uint8Array };
const key: MasterKey = { encrypt: asBuffer(init.encrypt), macK: asBuffer(init.macK), macR: asBuffer(init.macR) };
const port = parentPort!;
/** Smaller plaintexts are not worth handing back (ChunkBuffers does not pool them). */
const SPARE_MIN = MIN_POOLED;
let known: BigUint64Array | undefined;

const store = (plain: Buffer, tryCompress: boolean, force: boolean): StoredItem => storeBlob(key, plain, tryCompress, force, known);
const decode = (sealed: Buffer, compressed: boolean, id: string | undefined): Buffer => decodeBlob(key, sealed, compressed, id);

/**
 * The plaintexts' memory, once sealed, goes back to the main thread to hold the next chunks.
 * Only big ArrayBuffers that no returned item uses and that appear once; they belong to this
 * thread alone (transferred, or copied by structured clone).
 */
function spareOf(plains: readonly Uint8Array[], items: readonly StoredItem[]): Uint8Array[] {
  const keep = new Set<ArrayBufferLike>(items.filter((i) => !i.sealed).map((i) => i.data.buffer));
  const out: Uint8Array[] = [];
  for (const u of plains) {
    const ab = u.buffer;
    if (!(ab instanceof ArrayBuffer) || ab.byteLength < SPARE_MIN || keep.has(ab)) continue;
    keep.add(ab);
    out.push(new Uint8Array(ab));
  }
  return out;
}

/** The distinct ArrayBuffers of views this thread alone holds (received plaintexts, whole or not). */
function ownBuffers(views: readonly Uint8Array[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const u of views) if (u.buffer instanceof ArrayBuffer) out.add(u.buffer);
  return [...out];
}

port.on('message', (req: CodecRequest) => {
  if (req.op === 'known') {
    known = new BigUint64Array(req.table);
    return;
  }
  let res: CodecResponse;
  let transfer: ArrayBuffer[] = [];
  try {
    if (req.op === 'store') {
      const items = req.items.map((u) => store(asBuffer(u), req.compress, req.force));
      const spare = spareOf(req.items, items);
      res = { seq: req.seq, items, spare };
      transfer = [
        ...transferListOf(...items.filter((i) => i.sealed).map((i) => i.data)),
        ...ownBuffers(items.filter((i) => !i.sealed).map((i) => i.data)),
        ...spare.map((u) => u.buffer as ArrayBuffer),
      ];
    } else if (req.op === 'store-files') {
      const out = storeSmallFiles(key, req.paths, req.sizes, req.compress, req.force, known, asBuffer(req.slab));
      res = { seq: req.seq, files: out.results, slab: out.slab, used: out.used };
      transfer = [out.slab.buffer as ArrayBuffer];
    } else if (req.op === 'restore-span') {
      res = { seq: req.seq, restored: restoreSpan(key, req.job, req.data === undefined ? undefined : asBuffer(req.data)) };
    } else if (req.op === 'decode-many') {
      const span = asBuffer(req.data);
      const plains = req.blobs.map((b) => decode(span.subarray(b.offset, b.offset + b.length), b.compressed, b.id));
      res = { seq: req.seq, plains };
      transfer = transferListOf(...plains);
    } else {
      const data = decode(asBuffer(req.data), req.compressed, req.id);
      res = { seq: req.seq, data };
      transfer = transferListOf(data);
    }
  } catch (err) {
    res = err instanceof SpanReadError ? { seq: req.seq, error: err.message, readFailed: true } : { seq: req.seq, error: (err as Error).message };
  }
  port.postMessage(res, transfer);
});
