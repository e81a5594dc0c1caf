/**
 * Worker thread body: the CPU stages of storing and loading blobs (SHA-256, zstd, AES-CTR,
 * Poly1305), so that they run on every core while the main thread reads and chunks files.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { decodeBlob, storeBlob } from './blob-codec.js';
import type { MasterKey } from './crypto.js';
import type { CodecRequest, CodecResponse, StoredItem } from './blob-codec-protocol.js';
import { asBuffer, transferListOf } from './blob-codec-protocol.js';

const init = workerData as { encrypt: Uint8Array; macK: Uint8Array; macR: Uint8Array };
const key: MasterKey = { encrypt: asBuffer(init.encrypt), macK: asBuffer(init.macK), macR: asBuffer(init.macR) };
const port = parentPort!;
let known: BigUint64Array | undefined;

const store = (plain: Buffer, tryCompress: boolean, force: boolean): StoredItem => storeBlob(key, plain, tryCompress, force, known);
const decode = (sealed: Buffer, compressed: boolean, id: string | undefined): Buffer => decodeBlob(key, sealed, compressed, id);

/** Writes `data` at `offset` into an existing file (restore writes from workers, in parallel). */
function writeAt(path: string, offset: number, data: Buffer): number {
  const fd = openSync(path, 'r+');
  try {
    let pos = 0;
    while (pos < data.length) pos += writeSync(fd, data, pos, data.length - pos, offset + pos);
    return data.length;
  } finally {
    closeSync(fd);
  }
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
      res = { seq: req.seq, items };
      transfer = transferListOf(...items.map((i) => i.data));
    } else if (req.op === 'write-many') {
      const span = asBuffer(req.data);
      let written = 0;
      req.blobs.forEach((b, i) => {
        const plain = decode(span.subarray(b.offset, b.offset + b.length), b.compressed, b.id);
        for (const t of req.targets[i]!) written += writeAt(t.path, t.offset, plain);
      });
      res = { seq: req.seq, written };
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
    res = { seq: req.seq, error: (err as Error).message };
  }
  port.postMessage(res, transfer);
});
