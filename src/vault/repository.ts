/**
 * A restic repository (format v1 read, v2 read/write) on a BlobStore: config, keys, unpacked
 * files (index, snapshots, locks), packs and the in-memory master index.
 */
import { createHash } from 'node:crypto';
import type { BlobStore } from '../storage/blob-store.js';
import type { BlobLocation, BlobType } from './blob.js';
import { randomIrreduciblePolynomial } from './chunker-polynomial.js';
import { decodeUnpacked, decompress, encodeUnpacked } from './compression.js';
import { open, randomMasterKey, seal } from './crypto.js';
import type { MasterKey } from './crypto.js';
import { NotARepositoryError, SnapshotNotFoundError, VaultError, WrongPasswordError } from './errors.js';
import { idOf, isId } from './id.js';
import type { Id } from './id.js';
import { decodeIndex, encodeIndex, MAX_BLOBS_PER_INDEX_FILE } from './index-file.js';
import type { IndexedPack } from './index-file.js';
import { createKeyFile, openKeyFile } from './key-file.js';
import type { ScryptParams } from './key-file.js';
import { MasterIndex } from './master-index.js';
import { headerReadGuess, parsePackTail } from './pack.js';
import type { PackedBlob } from './blob.js';
import { byTimeDescending, decodeSnapshot, encodeSnapshot } from './snapshot.js';
import type { Snapshot, SnapshotJson } from './snapshot.js';
import { mapLimit } from './concurrency.js';

export type FileKind = 'keys' | 'index' | 'snapshots' | 'locks' | 'data';

export interface RepositoryConfig {
  readonly version: number;
  readonly id: Id;
  readonly chunkerPolynomial: string;
}

/** restic tries at most this many key files before giving up. */
const MAX_KEYS_TRIED = 20;

export function packName(id: Id): string {
  return `data/${id.slice(0, 2)}/${id}`;
}

export class Repository {
  private currentIndex = new MasterIndex();
  /** Storage IDs of the index files loaded into `index`. */
  readonly indexFiles = new Set<Id>();

  private constructor(
    readonly store: BlobStore,
    readonly key: MasterKey,
    readonly config: RepositoryConfig,
  ) {}

  /** The in-memory index: replaced as a whole by `reloadIndex` and `replaceIndex`. */
  get index(): MasterIndex {
    return this.currentIndex;
  }

  /**
   * Makes `index` (read from the index files `files`) the current one. Prune needs this: after
   * it rewrote the index, the old in-memory one names deleted packs, and deduplicating against
   * it would make later backups reference blobs that no longer exist.
   */
  replaceIndex(index: MasterIndex, files: Iterable<Id>): void {
    this.currentIndex = index;
    this.indexFiles.clear();
    for (const id of files) this.indexFiles.add(id);
  }

  get compression(): boolean {
    return this.config.version >= 2;
  }

  static async init(store: BlobStore, password: Buffer, scrypt?: ScryptParams): Promise<Repository> {
    if (await store.stat('config')) throw new VaultError('AlreadyInitialized', `${store.location} already holds a repository`);
    const key = randomMasterKey();
    const keyFile = await createKeyFile(key, password, scrypt);
    await store.write(`keys/${idOf(keyFile)}`, keyFile);
    const config: RepositoryConfig = {
      version: 2,
      id: idOf(Buffer.from(`${Date.now()}-${Math.random()}-${process.pid}`)),
      chunkerPolynomial: randomIrreduciblePolynomial().toString(16),
    };
    const json = { version: config.version, id: config.id, chunker_polynomial: config.chunkerPolynomial };
    await store.write('config', seal(key, Buffer.from(JSON.stringify(json))));
    return new Repository(store, key, config);
  }

  /**
   * Opens with the first key file `password` unlocks. `keyCache` (a process-wide map) keeps the
   * master keys already derived, keyed by a digest of the key file and the password, so that a
   * service opening the same repository for every job pays for scrypt once.
   */
  static async open(store: BlobStore, password: Buffer, keyCache?: Map<string, MasterKey>): Promise<Repository> {
    if (!(await store.stat('config'))) throw new NotARepositoryError(store.location);
    const keys = (await store.list('keys/')).slice(0, MAX_KEYS_TRIED);
    for (const k of keys) {
      const keyFile = await store.read(k.name);
      const cacheKey = keyCache === undefined ? '' : createHash('sha256').update(keyFile).update(password).digest('hex');
      const master = keyCache?.get(cacheKey) ?? (await openKeyFile(keyFile, password));
      if (master && keyCache !== undefined) keyCache.set(cacheKey, master);
      if (!master) continue;
      const json = JSON.parse(open(master, await store.read('config')).toString('utf8')) as {
        version: number;
        id: string;
        chunker_polynomial: string;
      };
      if (json.version !== 1 && json.version !== 2) {
        throw new VaultError('UnsupportedVersion', `repository version ${json.version} is not supported (1 and 2 are)`);
      }
      return new Repository(store, master, { version: json.version, id: json.id, chunkerPolynomial: json.chunker_polynomial });
    }
    throw new WrongPasswordError(store.location);
  }

  /** Adds another key file (password) to the repository. */
  async addKey(password: Buffer, scrypt?: ScryptParams): Promise<Id> {
    const keyFile = await createKeyFile(this.key, password, scrypt);
    const id = idOf(keyFile);
    await this.store.write(`keys/${id}`, keyFile);
    return id;
  }

  async listFiles(kind: FileKind): Promise<Id[]> {
    const infos = await this.store.list(`${kind}/`);
    return infos.map((i) => i.name.slice(i.name.lastIndexOf('/') + 1)).filter(isId);
  }

  async removeFile(kind: FileKind, id: Id): Promise<void> {
    await this.store.remove(kind === 'data' ? packName(id) : `${kind}/${id}`);
  }

  async saveUnpacked(kind: 'index' | 'snapshots' | 'locks', json: Buffer): Promise<Id> {
    const sealed = seal(this.key, this.compression ? encodeUnpacked(json) : json);
    const id = idOf(sealed);
    await this.store.write(`${kind}/${id}`, sealed);
    return id;
  }

  async loadUnpacked(kind: 'index' | 'snapshots' | 'locks', id: Id): Promise<Buffer> {
    const raw = await this.store.read(`${kind}/${id}`);
    if (idOf(raw) !== id) throw new VaultError('Damaged', `${kind}/${id} is damaged: its content does not match its name`);
    return decodeUnpacked(open(this.key, raw));
  }

  /**
   * Brings the in-memory index up to date with the index files in the store: new files are
   * added; if any known file is gone (another process pruned), the index is rebuilt from scratch
   * so that nothing deduplicates against deleted packs. Cheap when nothing changed (one list).
   */
  async loadIndex(): Promise<void> {
    const ids = await this.listFiles('index');
    const present = new Set(ids);
    const rebuild = [...this.indexFiles].some((id) => !present.has(id));
    const todo = rebuild ? ids : ids.filter((id) => !this.indexFiles.has(id));
    if (todo.length === 0 && !rebuild) return;
    const loaded = await mapLimit(todo, 8, async (id) => decodeIndex(await this.loadUnpacked('index', id), id));
    const index = rebuild ? new MasterIndex() : this.currentIndex;
    for (const file of loaded) for (const pack of file.packs) index.addPack(pack);
    if (rebuild) this.replaceIndex(index, ids);
    else for (const id of todo) this.indexFiles.add(id);
  }

  /** Forgets the in-memory index and loads it again from the store. */
  async reloadIndex(): Promise<void> {
    this.replaceIndex(new MasterIndex(), []);
    await this.loadIndex();
  }

  /** Writes index files for the given packs (split to keep each file small). */
  async saveIndex(packs: readonly IndexedPack[], supersedes: readonly Id[] = []): Promise<Id[]> {
    const ids: Id[] = [];
    let batch: IndexedPack[] = [];
    let count = 0;
    const flush = async (): Promise<void> => {
      const id = await this.saveUnpacked('index', encodeIndex({ packs: batch, supersedes: ids.length === 0 ? supersedes : [] }));
      ids.push(id);
      this.indexFiles.add(id);
      batch = [];
      count = 0;
    };
    for (const p of packs) {
      batch.push(p);
      count += p.blobs.length;
      if (count >= MAX_BLOBS_PER_INDEX_FILE) await flush();
    }
    if (batch.length > 0 || (ids.length === 0 && supersedes.length > 0)) await flush();
    return ids;
  }

  /** Reads a pack's header from the pack file itself (for check and repair). */
  async readPackHeader(packId: Id, packSize: number): Promise<PackedBlob[]> {
    const name = packName(packId);
    const guess = Math.min(packSize, headerReadGuess());
    let tail = await this.store.read(name, packSize - guess, guess);
    let parsed = parsePackTail(this.key, tail, packSize);
    if ('need' in parsed) {
      tail = await this.store.read(name, packSize - parsed.need, parsed.need);
      parsed = parsePackTail(this.key, tail, packSize);
    }
    if ('need' in parsed) throw new Error(`pack ${packId}: header could not be read`);
    return parsed;
  }

  /** Decrypts, decompresses and verifies one sealed blob. */
  decodeBlob(loc: PackedBlob, sealed: Buffer): Buffer {
    const plain = open(this.key, sealed);
    const data = loc.uncompressedLength !== undefined ? decompress(plain) : plain;
    if (idOf(data) !== loc.id) throw new VaultError('Damaged', `blob ${loc.id} is damaged: its content does not match its ID`);
    return data;
  }

  async loadBlob(type: BlobType, id: Id): Promise<Buffer> {
    const loc = this.requireBlob(type, id);
    return this.decodeBlob(loc, await this.store.read(packName(loc.packId), loc.offset, loc.length));
  }

  requireBlob(type: BlobType, id: Id): BlobLocation {
    const loc = this.index.lookup(type, id);
    if (!loc) throw new VaultError('BlobMissing', `${type} blob ${id} is not in the index: run \`coffer vault check\``);
    return loc;
  }

  async saveSnapshot(snapshot: SnapshotJson): Promise<Id> {
    return this.saveUnpacked('snapshots', encodeSnapshot(snapshot));
  }

  async loadSnapshot(id: Id): Promise<Snapshot> {
    return decodeSnapshot(await this.loadUnpacked('snapshots', id), id);
  }

  /** All snapshots, newest first. */
  async snapshots(): Promise<Snapshot[]> {
    const ids = await this.listFiles('snapshots');
    const all = await mapLimit(ids, 8, (id) => this.loadSnapshot(id));
    return all.sort(byTimeDescending);
  }

  /** Resolves `latest`, a full ID or a unique prefix. */
  async findSnapshot(ref: string): Promise<Snapshot> {
    if (ref === 'latest') {
      const [newest] = await this.snapshots();
      if (!newest) throw new SnapshotNotFoundError(ref);
      return newest;
    }
    const matches = (await this.listFiles('snapshots')).filter((id) => id.startsWith(ref.toLowerCase()));
    if (matches.length !== 1 || ref.length < 4) {
      if (matches.length > 1) throw new VaultError('AmbiguousSnapshot', `${ref} matches ${matches.length} snapshots: give more digits`);
      throw new SnapshotNotFoundError(ref);
    }
    return this.loadSnapshot(matches[0]!);
  }
}
