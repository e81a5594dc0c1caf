/**
 * `check`: verifies a repository the way restic 0.14's checker does, and says precisely what is
 * damaged and which snapshots (and files in them) it hurts.
 *
 * Structure check (always): every index file loads; every pack the index names exists with the
 * size its index entries imply; packs no index names are reported as orphaned (a warning, as in
 * restic); every snapshot loads; every tree reachable from a snapshot loads and obeys restic's
 * node rules; every data blob a file names and every subtree a directory names is in the index.
 * With `readData` every pack is also read whole: its SHA-256 must equal its name, its header
 * must agree with the index, and every blob must decrypt and hash to its ID.
 *
 * Locking: restic's `check` takes an exclusive lock, mainly so that a concurrent backup's packs,
 * written before their index, do not show up as orphaned. Coffer takes a shared lock instead:
 * check only reads, backups (shared too) may go on meanwhile, and prune (exclusive) is kept out,
 * which is what matters, since prune deletes files check is reading. The price is that a pack a
 * running backup has not indexed yet is reported as orphaned; that is a warning only, and its
 * message says so.
 */
import type { BlobType, PackedBlob } from './blob.js';
import { mapLimit } from './concurrency.js';
import { CRYPTO_OVERHEAD } from './crypto.js';
import { idOf, isId, shortId } from './id.js';
import type { Id } from './id.js';
import { decodeIndex } from './index-file.js';
import { RepositoryLock } from './lock.js';
import { MasterIndex } from './master-index.js';
import { encodeHeader, parsePackTail } from './pack.js';
import { packName } from './repository.js';
import type { Repository } from './repository.js';
import { byTimeDescending } from './snapshot.js';
import type { Snapshot } from './snapshot.js';
import type { TreeNode } from './tree.js';
import { walkTrees } from './tree-walk.js';
import type { AffectedSnapshot, CheckOptions, CheckPhase, CheckProblem, CheckReport, CheckStats } from './check-report.js';
import { blobKey, DamageFinder } from './damage-finder.js';

export type { AffectedSnapshot, CheckOptions, CheckProblem, CheckProblemKind, CheckProgress, CheckReport, CheckStats } from './check-report.js';

export function indexedPackSize(blobs: readonly PackedBlob[]): number {
  let end = 0;
  for (const b of blobs) end = Math.max(end, b.offset + b.length);
  return end + encodeHeader(blobs).length + CRYPTO_OVERHEAD + 4;
}

/** Gaps or overlaps between a pack's indexed blobs (restic reports those too). */
function indexHasGaps(blobs: readonly PackedBlob[]): boolean {
  const sorted = [...blobs].sort((a, b) => a.offset - b.offset);
  let end = 0;
  for (const b of sorted) {
    if (b.offset !== end) return true;
    end = b.offset + b.length;
  }
  return false;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** At most this many file paths per affected snapshot in a problem. */
const FILES_PER_SNAPSHOT = 20;
const PACK_READS = 4;

const REBUILD_ADVICE = 'if no copy of the repository has this file, run `restic rebuild-index` and then back up again so the lost data is stored anew';

/** The size a pack must have if the index describes it correctly: blobs, sealed header, length. */

/** A problem found during the check, before the affected snapshots are known. */
interface Draft {
  readonly severity: 'error' | 'warning';
  readonly problem: Omit<CheckProblem, 'message' | 'snapshots'>;
  /** The finding; the affected snapshots and the advice are appended. */
  readonly what: string;
  readonly advice: string;
  /** Blobs whose loss this problem means ('type:id'); the snapshots using them are affected. */
  readonly damages: readonly string[];
  /** Snapshots this problem hurts directly (a snapshot file that does not load). */
  readonly direct?: readonly AffectedSnapshot[];
}

class Check {
  readonly drafts: Draft[] = [];
  readonly stats: CheckStats = { snapshots: 0, trees: 0, dataBlobs: 0, packs: 0, bytesRead: 0 };
  readonly snapshots: Snapshot[] = [];
  /** Sizes of the pack files in data/. */
  packSizes = new Map<Id, number>();
  private readonly reportedMissing = new Set<string>();

  constructor(
    private readonly repo: Repository,
    private readonly options: CheckOptions,
  ) {}

  error(d: Omit<Draft, 'severity'>): void {
    this.drafts.push({ severity: 'error', ...d });
  }

  warning(d: Omit<Draft, 'severity' | 'damages'>): void {
    this.drafts.push({ severity: 'warning', damages: [], ...d });
  }

  progress(phase: CheckPhase, done: number, total?: number): void {
    this.options.onProgress?.(total === undefined ? { phase, done } : { phase, done, total });
  }

  /** Loads every index file that can be loaded; the repository then uses exactly those. */
  async loadIndex(): Promise<void> {
    const ids = await this.repo.listFiles('index');
    const index = new MasterIndex();
    const loaded: Id[] = [];
    const indexesOfPack = new Map<Id, Id[]>();
    let done = 0;
    const files = await mapLimit(ids, 8, async (id) => {
      try {
        return { id, packs: decodeIndex(await this.repo.loadUnpacked('index', id), id).packs };
      } catch (err) {
        this.error({
          problem: { kind: 'index-damaged', index: id },
          what: `index file ${id} cannot be read (${errorText(err)})`,
          advice: 'run `restic rebuild-index` to rewrite the index from the packs',
          damages: [],
        });
        return undefined;
      } finally {
        this.progress('index', ++done);
      }
    });
    for (const file of files) {
      if (!file) continue;
      loaded.push(file.id);
      for (const pack of file.packs) {
        index.addPack(pack);
        const list = indexesOfPack.get(pack.id) ?? [];
        list.push(file.id);
        indexesOfPack.set(pack.id, list);
      }
    }
    this.repo.replaceIndex(index, loaded);
    this.indexHints(indexesOfPack);
  }

  /** restic's hints: a pack named by several index files, a pack holding both blob types. */
  private indexHints(indexesOfPack: ReadonlyMap<Id, readonly Id[]>): void {
    for (const [pack, files] of indexesOfPack) {
      if (files.length > 1) {
        this.warning({
          problem: { kind: 'index-duplicate-pack', pack },
          what: `pack ${pack} is listed in ${files.length} index files (${files.map(shortId).join(', ')})`,
          advice: 'this is harmless; the next prune writes a clean index',
        });
      }
      const blobs = this.repo.index.packBlobs(pack) ?? [];
      if (blobs.some((b) => b.type === 'tree') && blobs.some((b) => b.type === 'data')) {
        this.warning({
          problem: { kind: 'pack-mixed', pack },
          what: `pack ${pack} holds both data and tree blobs`,
          advice: 'this is harmless, though restic 0.14 never writes such packs',
        });
      }
    }
  }

  /** Missing packs, packs whose size disagrees with the index, and orphaned packs. */
  async checkPacks(): Promise<void> {
    for (const info of await this.repo.store.list('data/')) {
      const id = info.name.slice(info.name.lastIndexOf('/') + 1);
      if (isId(id)) this.packSizes.set(id, info.size);
    }
    let done = 0;
    for (const pack of this.repo.index.packIds()) {
      this.stats.packs++;
      const blobs = this.repo.index.packBlobs(pack) ?? [];
      const size = this.packSizes.get(pack);
      if (size === undefined) this.packMissing(pack, blobs);
      else this.packSize(pack, blobs, size);
      this.progress('packs', ++done);
    }
    for (const [pack, size] of this.packSizes) {
      if (this.repo.index.hasPack(pack)) continue;
      this.warning({
        problem: { kind: 'pack-orphaned', pack },
        what: `pack ${pack} (${size} bytes) is not referenced by any index`,
        advice: 'it was left by an interrupted backup (or belongs to one running now); `coffer vault prune` removes it',
      });
    }
  }

  private packMissing(pack: Id, blobs: readonly PackedBlob[]): void {
    this.error({
      problem: { kind: 'pack-missing', pack },
      what: `pack ${pack} is named by the index (${blobs.length} blobs) but does not exist in the repository`,
      advice: `restore ${packName(pack)} from a copy of the repository if there is one; ${REBUILD_ADVICE}`,
      damages: blobs.map((b) => blobKey(b.type, b.id)),
    });
  }

  private packSize(pack: Id, blobs: readonly PackedBlob[], size: number): void {
    const expected = indexedPackSize(blobs);
    const gaps = indexHasGaps(blobs);
    if (expected === size && !gaps) return;
    const what = gaps
      ? `the index entries of pack ${pack} leave gaps or overlap`
      : `pack ${pack} has ${size} bytes, but its ${blobs.length} index entries describe ${expected}`;
    this.error({
      problem: { kind: 'pack-damaged', pack },
      what,
      advice: `check with readData to find the damaged blobs; restore ${packName(pack)} from a copy of the repository if there is one; ${REBUILD_ADVICE}`,
      damages: blobs.map((b) => blobKey(b.type, b.id)),
    });
  }

  async loadSnapshots(): Promise<void> {
    const ids = await this.repo.listFiles('snapshots');
    let done = 0;
    await mapLimit(ids, 8, async (id) => {
      try {
        this.snapshots.push(await this.repo.loadSnapshot(id));
        this.stats.snapshots++;
      } catch (err) {
        this.error({
          problem: { kind: 'snapshot-damaged', snapshot: id },
          what: `snapshot ${id} cannot be read (${errorText(err)})`,
          advice: `remove snapshots/${id} (\`coffer vault forget ${shortId(id)}\`) and back up again`,
          damages: [],
          direct: [{ id, paths: [], files: [] }],
        });
      } finally {
        this.progress('snapshots', ++done);
      }
    });
    this.snapshots.sort(byTimeDescending);
  }

  /** Loads every reachable tree once and checks its nodes. */
  async checkTrees(): Promise<void> {
    const roots: Id[] = [];
    for (const s of this.snapshots) {
      if (this.repo.index.has('tree', s.tree)) roots.push(s.tree);
      else this.blobMissing('tree', s.tree, `the root tree of snapshot ${s.id}`);
    }
    const dataBlobs = new Set<Id>();
    let done = 0;
    await walkTrees(this.repo, roots, {
      tree: (id, nodes) => {
        this.stats.trees++;
        this.checkNodes(id, nodes, dataBlobs);
        this.progress('trees', ++done);
      },
      treeError: (id, err) => {
        this.stats.trees++;
        // A tree the index lacks was reported as missing where it is named (snapshot or directory).
        if (!this.repo.index.has('tree', id)) return;
        this.error({
          problem: { kind: 'tree-damaged', tree: id, blob: id, blobType: 'tree' },
          what: `tree ${id} cannot be loaded (${err.message})`,
          advice: 'the snapshots listed lose this directory and everything below it; fix the pack it lives in (see the other errors) or forget them',
          damages: [blobKey('tree', id)],
        });
      },
    });
    this.stats.dataBlobs = dataBlobs.size;
  }

  /** restic 0.14's node rules, plus: every blob a node names is in the index. */
  private checkNodes(tree: Id, nodes: readonly TreeNode[], dataBlobs: Set<Id>): void {
    if (!Array.isArray(nodes)) {
      this.invalidNode(tree, 'its "nodes" is not a list');
      return;
    }
    for (const node of nodes) {
      const name = JSON.stringify(node?.name ?? '');
      if (!node || typeof node !== 'object') {
        this.invalidNode(tree, 'it holds a node that is not an object');
        continue;
      }
      if (!node.name) this.invalidNode(tree, 'it holds a node with an empty name');
      switch (node.type) {
        case 'file':
          this.checkFileNode(tree, node, name, dataBlobs);
          break;
        case 'dir':
          if (!isId(node.subtree)) this.invalidNode(tree, `directory ${name} has no subtree`);
          else if (!this.repo.index.has('tree', node.subtree)) this.blobMissing('tree', node.subtree, `directory ${name} in tree ${tree}`);
          break;
        case 'symlink':
        case 'socket':
        case 'chardev':
        case 'dev':
        case 'fifo':
          break;
        default:
          this.invalidNode(tree, `node ${name} has the invalid type ${JSON.stringify(node.type)}`);
      }
    }
  }

  private checkFileNode(tree: Id, node: TreeNode, name: string, dataBlobs: Set<Id>): void {
    if (!Array.isArray(node.content)) {
      this.invalidNode(tree, `file ${name} has no content list (null)`);
      return;
    }
    node.content.forEach((blob, i) => {
      if (!isId(blob)) {
        this.invalidNode(tree, `file ${name} names an invalid blob ID at position ${i}`);
        return;
      }
      dataBlobs.add(blob);
      if (!this.repo.index.has('data', blob)) this.blobMissing('data', blob, `file ${name} in tree ${tree}`);
    });
  }

  private invalidNode(tree: Id, what: string): void {
    this.error({
      problem: { kind: 'node-invalid', tree },
      what: `tree ${tree} is invalid: ${what}`,
      advice: 'the tree was written by a faulty program; forget the snapshots listed and back up again',
      damages: [blobKey('tree', tree)],
    });
  }

  private blobMissing(type: BlobType, id: Id, user: string): void {
    const key = blobKey(type, id);
    if (this.reportedMissing.has(key)) return;
    this.reportedMissing.add(key);
    this.error({
      problem: { kind: 'blob-missing', blob: id, blobType: type, ...(type === 'tree' ? { tree: id } : {}) },
      what: `${type} blob ${id}, used by ${user}, is not in any index`,
      advice: 'if an index file is damaged, `restic rebuild-index` may find the blob again; otherwise forget the snapshots listed and back up again',
      damages: [key],
    });
  }

  /** readData: every pack named by the index and present in data/, read whole and verified. */
  async readData(): Promise<void> {
    const packs = [...this.repo.index.packIds()].filter((p) => this.packSizes.has(p));
    let done = 0;
    this.progress('read-data', 0, packs.length);
    await mapLimit(packs, PACK_READS, async (pack) => {
      await this.readPack(pack, this.repo.index.packBlobs(pack) ?? []);
      this.progress('read-data', ++done, packs.length);
    });
  }

  private async readPack(pack: Id, indexed: readonly PackedBlob[]): Promise<void> {
    let bytes: Buffer;
    try {
      bytes = await this.repo.store.read(packName(pack));
    } catch (err) {
      this.packDamaged(
        pack,
        [`it cannot be read (${errorText(err)})`],
        indexed.map((b) => blobKey(b.type, b.id)),
      );
      return;
    }
    this.stats.bytesRead += bytes.length;
    const findings: string[] = [];
    if (idOf(bytes) !== pack) findings.push('its content does not match its name (SHA-256)');
    findings.push(...this.compareHeader(pack, bytes, indexed));
    const damaged = await this.verifyBlobs(pack, bytes, indexed);
    if (damaged.length > 0) findings.push(`${damaged.length} of its ${indexed.length} blobs fail to decrypt or verify`);
    if (findings.length > 0)
      this.packDamaged(
        pack,
        findings,
        damaged.map((b) => blobKey(b.type, b.id)),
      );
  }

  /** Differences between the pack's own header and the index. */
  private compareHeader(_pack: Id, bytes: Buffer, indexed: readonly PackedBlob[]): string[] {
    let header: PackedBlob[];
    try {
      const parsed = parsePackTail(this.repo.key, bytes, bytes.length);
      if ('need' in parsed) return [`its header claims to need ${parsed.need} bytes, more than the pack holds`];
      header = parsed;
    } catch (err) {
      return [`its header cannot be read (${errorText(err)})`];
    }
    const inHeader = new Map(header.map((b) => [blobKey(b.type, b.id) + `@${b.offset}`, b]));
    const out: string[] = [];
    for (const b of indexed) {
      const h = inHeader.get(blobKey(b.type, b.id) + `@${b.offset}`);
      if (!h || h.length !== b.length || h.uncompressedLength !== b.uncompressedLength) {
        out.push(`its header does not describe ${b.type} blob ${shortId(b.id)} as the index does`);
      }
      inHeader.delete(blobKey(b.type, b.id) + `@${b.offset}`);
    }
    if (inHeader.size > 0) out.push(`its header lists ${inHeader.size} blobs that the index does not`);
    return out;
  }

  /** Decrypts and hashes every indexed blob; reports and returns the damaged ones. */
  private async verifyBlobs(pack: Id, bytes: Buffer, indexed: readonly PackedBlob[]): Promise<PackedBlob[]> {
    const damaged: PackedBlob[] = [];
    await Promise.all(
      indexed.map(async (b) => {
        try {
          if (b.offset + b.length > bytes.length) throw new Error('it extends past the end of the pack');
          const sealed = bytes.subarray(b.offset, b.offset + b.length);
          if (this.options.pool) await this.options.pool.decode(Buffer.from(sealed), b.uncompressedLength !== undefined, b.id);
          else this.repo.decodeBlob(b, sealed);
        } catch (err) {
          damaged.push(b);
          this.error({
            problem: { kind: 'blob-damaged', pack, blob: b.id, blobType: b.type, ...(b.type === 'tree' ? { tree: b.id } : {}) },
            what: `${b.type} blob ${b.id} in pack ${pack} is damaged (${errorText(err)})`,
            advice: `restore ${packName(pack)} from a copy of the repository if there is one; otherwise remove the pack, run \`restic rebuild-index\` and back up again`,
            damages: [blobKey(b.type, b.id)],
          });
        }
      }),
    );
    return damaged;
  }

  private packDamaged(pack: Id, findings: readonly string[], damages: readonly string[]): void {
    this.error({
      problem: { kind: 'pack-damaged', pack },
      what: `pack ${pack} is damaged: ${findings.join('; ')}`,
      advice: `restore ${packName(pack)} from a copy of the repository if there is one; otherwise remove it, run \`restic rebuild-index\` and back up again`,
      damages,
    });
  }

  /** Turns drafts into problems, naming the snapshots (and files) each damage hurts. */
  async finish(): Promise<CheckReport> {
    const damaged = new Set(this.drafts.flatMap((d) => d.damages));
    const usage = damaged.size > 0 ? await this.damageUsage(damaged) : new Map<Id, Map<string, string[]>>();
    const errors: CheckProblem[] = [];
    const warnings: CheckProblem[] = [];
    for (const d of this.drafts) {
      const affected = [...(d.direct ?? []), ...this.affected(d.damages, usage)];
      const problem: CheckProblem = {
        ...d.problem,
        message: `${d.what}${describeAffected(affected, d.damages.length > 0)}. ${capitalize(d.advice)}.`,
        ...(d.severity === 'error' ? { snapshots: affected } : {}),
      };
      (d.severity === 'error' ? errors : warnings).push(problem);
    }
    return { errors, warnings, stats: { ...this.stats } };
  }

  private affected(damages: readonly string[], usage: ReadonlyMap<Id, Map<string, string[]>>): AffectedSnapshot[] {
    const out: AffectedSnapshot[] = [];
    if (damages.length === 0) return out;
    for (const s of this.snapshots) {
      const hits = usage.get(s.id);
      if (!hits) continue;
      const files = new Set<string>();
      let hit = false;
      for (const key of damages) {
        const paths = hits.get(key);
        if (!paths) continue;
        hit = true;
        for (const p of paths) if (files.size < FILES_PER_SNAPSHOT) files.add(p);
      }
      if (hit) out.push({ id: s.id, paths: s.paths, files: [...files] });
    }
    return out;
  }

  /** For each snapshot: which damaged blobs it uses, and where (a few paths per blob). */
  private async damageUsage(damaged: ReadonlySet<string>): Promise<Map<Id, Map<string, string[]>>> {
    const finder = new DamageFinder(this.repo, damaged);
    const out = new Map<Id, Map<string, string[]>>();
    let done = 0;
    for (const s of this.snapshots) {
      const hits = await finder.treeHits(s.tree, '/');
      if (hits.size > 0) out.set(s.id, hits);
      this.progress('damage', ++done);
    }
    return out;
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function describeAffected(affected: readonly AffectedSnapshot[], canAffect: boolean): string {
  if (!canAffect && affected.length === 0) return '';
  if (affected.length === 0) return '; no snapshot uses it';
  const list = affected
    .slice(0, 5)
    .map((a) => `${shortId(a.id)} (${a.paths.join(', ') || 'unreadable'})`)
    .join(', ');
  const more = affected.length > 5 ? ` and ${affected.length - 5} more` : '';
  return `; it damages ${affected.length} snapshot${affected.length === 1 ? '' : 's'}: ${list}${more}`;
}

/** Checks the repository; see the file comment for what is checked and how it is locked. */
export async function checkRepository(repo: Repository, options: CheckOptions = {}): Promise<CheckReport> {
  const lock = await RepositoryLock.acquire(repo, false, { sweep: options.repair === true });
  try {
    const check = new Check(repo, options);
    await check.loadIndex();
    await check.checkPacks();
    await check.loadSnapshots();
    await check.checkTrees();
    if (options.readData) await check.readData();
    const report = await check.finish();
    return options.repair === true ? { ...report, repaired: { tempFiles: lock.swept.files, tempBytes: lock.swept.bytes } } : report;
  } finally {
    await lock.release();
  }
}
