/** Index files (`index/<id>`): which blobs each pack holds, in restic's JSON. */
import type { BlobType, PackedBlob } from './blob.js';
import { isId } from './id.js';
import type { Id } from './id.js';

export interface IndexedPack {
  readonly id: Id;
  readonly blobs: readonly PackedBlob[];
}

export interface IndexFile {
  readonly supersedes?: readonly Id[];
  readonly packs: readonly IndexedPack[];
}

interface BlobJson {
  id: string;
  type: string;
  offset: number;
  length: number;
  uncompressed_length?: number;
}

interface IndexJson {
  supersedes?: string[] | null;
  packs: { id: string; blobs: BlobJson[] }[] | null;
}

/** restic keeps index files below 8 MiB; this many blobs stays well below. */
export const MAX_BLOBS_PER_INDEX_FILE = 50_000;

export function encodeIndex(index: IndexFile): Buffer {
  const json: IndexJson = {
    packs: index.packs.map((p) => ({
      id: p.id,
      blobs: p.blobs.map((b) => {
        const out: BlobJson = { id: b.id, type: b.type, offset: b.offset, length: b.length };
        if (b.uncompressedLength !== undefined) out.uncompressed_length = b.uncompressedLength;
        return out;
      }),
    })),
  };
  if (index.supersedes && index.supersedes.length > 0) json.supersedes = [...index.supersedes];
  return Buffer.from(JSON.stringify(json));
}

export function decodeIndex(plain: Buffer, name: string): IndexFile {
  const json = JSON.parse(plain.toString('utf8')) as IndexJson;
  const packs: IndexedPack[] = (json.packs ?? []).map((p) => {
    if (!isId(p.id)) throw new Error(`index ${name}: invalid pack id ${JSON.stringify(p.id)}`);
    return { id: p.id, blobs: (p.blobs ?? []).map((b) => decodeBlob(b, name)) };
  });
  return { supersedes: json.supersedes ?? [], packs };
}

function decodeBlob(b: BlobJson, name: string): PackedBlob {
  if (!isId(b.id)) throw new Error(`index ${name}: invalid blob id ${JSON.stringify(b.id)}`);
  if (b.type !== 'data' && b.type !== 'tree') throw new Error(`index ${name}: invalid blob type ${JSON.stringify(b.type)}`);
  const type: BlobType = b.type;
  return b.uncompressed_length === undefined || b.uncompressed_length === 0
    ? { id: b.id, type, offset: b.offset, length: b.length }
    : { id: b.id, type, offset: b.offset, length: b.length, uncompressedLength: b.uncompressed_length };
}
