/**
 * Worker thread body: the CPU stages of storing and loading blobs (zstd, AES-CTR, Poly1305,
 * SHA-256 verification), so that they run on every core while the main thread reads files.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { compress, decompress } from './compression.js';
import { open, seal } from './crypto.js';
import type { MasterKey } from './crypto.js';
import { idOf } from './id.js';
import type { CodecRequest, CodecResponse } from './blob-codec-protocol.js';
import { asBuffer, transferListOf } from './blob-codec-protocol.js';

const init = workerData as { encrypt: Uint8Array; macK: Uint8Array; macR: Uint8Array };
const key: MasterKey = { encrypt: asBuffer(init.encrypt), macK: asBuffer(init.macK), macR: asBuffer(init.macR) };
const port = parentPort!;

function encode(plain: Buffer, tryCompress: boolean): { data: Buffer; uncompressedLength?: number } {
  if (tryCompress) {
    const z = compress(plain);
    if (z.length < plain.length) return { data: seal(key, z), uncompressedLength: plain.length };
  }
  return { data: seal(key, plain) };
}

function decode(sealed: Buffer, compressed: boolean, id: string | undefined): Buffer {
  const plain = open(key, sealed);
  const data = compressed ? decompress(plain) : plain;
  if (id !== undefined && idOf(data) !== id) throw new Error(`blob ${id} is damaged: its content does not match its ID`);
  return data;
}

port.on('message', (req: CodecRequest) => {
  let res: CodecResponse;
  try {
    const input = asBuffer(req.data);
    if (req.op === 'encode') {
      const out = encode(input, req.compress);
      res = { seq: req.seq, data: out.data, uncompressedLength: out.uncompressedLength };
    } else {
      res = { seq: req.seq, data: decode(input, req.compressed, req.id) };
    }
  } catch (err) {
    res = { seq: req.seq, error: (err as Error).message };
  }
  port.postMessage(res, 'data' in res && res.data ? transferListOf(res.data) : []);
});
