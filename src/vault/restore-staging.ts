/**
 * Restoring without ever writing over anything. The tree is written into a staging directory,
 * `.coffer-restore-<id>/` in the deepest directory of the target's path that exists (so on the
 * target's file system), then moved into place by one rename of a directory. The kernel makes
 * that move no-replace where it matters: it fails when the target has meanwhile become a file
 * or a non-empty directory, and replaces only an empty directory; so whether the target is new
 * or empty is decided at the moment of writing, not at the earlier check. (Node offers no
 * renameat2 RENAME_NOREPLACE; for a directory this gives the same guarantee.) Before the move,
 * every directory of the path is checked to be the one the checks saw (no symlink swapped in).
 *
 * The staging directory is made with mkdir (which fails if it exists), mode 0700, and holds
 * `restore.json` (its holder, the target, the parents it created, and the identity of the tree
 * it moved) and `tree/`. A failed restore removes exactly what it created: the staging
 * directory, the parents it made (if still empty) and, had the move happened, the moved tree
 * (recognised by its inode). A restore killed mid-way is cleaned up by its job's restart
 * (`cleanUpStaging`) or by the next restore next to it (`sweepDeadStaging`).
 */
import { lstatSync, mkdirSync, openSync, fsyncSync, closeSync, readdirSync, readFileSync, renameSync, rmdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { holderGone, thisProcess } from '../storage/process-holder.js';
import type { Holder } from '../storage/process-holder.js';
import { canonicalTarget, chainChanged, RestoreTargetError } from './restore-target.js';
import type { ResolvedTarget, SeenDirectory } from './restore-target.js';

export const STAGING_PREFIX = '.coffer-restore-';
const MARKER = 'restore.json';

interface Marker {
  readonly holder: Holder;
  readonly target: string;
  readonly createdParents: string[];
  /** The tree's root as it was moved: a target with this identity is this restore's. */
  moved?: { readonly dev: number; readonly ino: number };
}

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

function writeMarker(dir: string, marker: Marker): void {
  const temp = join(dir, `${MARKER}.new`);
  writeFileSync(temp, JSON.stringify(marker), { mode: 0o600 });
  renameSync(temp, join(dir, MARKER));
}

function readMarker(dir: string): Marker | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, MARKER), 'utf8')) as Marker;
  } catch {
    return undefined;
  }
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } catch {
    // Some file systems cannot fsync a directory; the rename itself has happened.
  } finally {
    closeSync(fd);
  }
}

function isOurs(path: string, moved: Marker['moved']): boolean {
  if (moved === undefined) return false;
  try {
    const info = lstatSync(path);
    return info.isDirectory() && info.dev === moved.dev && info.ino === moved.ino;
  } catch {
    return false;
  }
}

/** Removes what a staging directory's restore created (see the file comment); returns what went. */
async function undo(staging: string, marker: Marker | undefined): Promise<string[]> {
  const removed: string[] = [];
  if (marker !== undefined && isOurs(marker.target, marker.moved)) {
    await rm(marker.target, { recursive: true, force: true });
    removed.push(marker.target);
  }
  await rm(staging, { recursive: true, force: true });
  for (const dir of [...(marker?.createdParents ?? [])].reverse()) {
    try {
      rmdirSync(dir);
      removed.push(dir);
    } catch {
      // Not empty any more (someone else put something there), or already gone: it stays.
    }
  }
  return removed;
}

export class RestoreStaging {
  private constructor(
    private readonly target: ResolvedTarget,
    readonly dir: string,
    private readonly marker: Marker,
    private readonly seen: SeenDirectory[],
  ) {}

  /** Where the restorer writes. */
  get tree(): string {
    return join(this.dir, 'tree');
  }

  /** Makes the staging directory, then the target's missing parents; `id` names it (a job id). */
  static async create(target: ResolvedTarget, id: string = randomUUID()): Promise<RestoreStaging> {
    const base = target.chain[target.chain.length - 1]!.path;
    const dir = join(base, `${STAGING_PREFIX}${id}`);
    try {
      mkdirSync(dir, { mode: 0o700 });
    } catch (err) {
      throw new RestoreTargetError(
        `${target.label} ${target.path}: the staging directory ${dir} cannot be made (${code(err) ?? String(err)})${code(err) === 'EEXIST' ? '; another restore with the same id is running' : ''}.`,
      );
    }
    const marker: Marker = { holder: thisProcess(), target: target.path, createdParents: [] };
    const staging = new RestoreStaging(target, dir, marker, []);
    try {
      writeMarker(dir, marker);
      mkdirSync(staging.tree);
      for (const parent of target.missingParents) staging.makeParent(parent);
    } catch (err) {
      await undo(dir, marker);
      throw err;
    }
    return staging;
  }

  private makeParent(path: string): void {
    try {
      mkdirSync(path);
      this.marker.createdParents.push(path);
      writeMarker(this.dir, this.marker);
    } catch (err) {
      if (code(err) !== 'EEXIST') throw err;
    }
    const info = lstatSync(path);
    if (!info.isDirectory() || info.isSymbolicLink()) {
      throw new RestoreTargetError(
        `${this.target.label} ${this.target.path}: ${path} appeared as ${info.isSymbolicLink() ? 'a symbolic link' : 'a file'} while the restore made it; nothing was restored.`,
      );
    }
    this.seen.push({ path, dev: info.dev, ino: info.ino });
  }

  /** Moves the staged tree's `subPath` (a snapshot path; `/`: all of it) into place; then removes the staging directory. */
  async commit(subPath = '/'): Promise<void> {
    const { path, label } = this.target;
    const changed = chainChanged(this.target, this.seen);
    if (changed !== undefined)
      throw new RestoreTargetError(
        `${label} ${path}: ${changed} while the restore ran, so nothing was moved there; check who changes that path, then restore again.`,
      );
    const from = join(this.tree, subPath);
    const info = lstatSync(from);
    this.marker.moved = { dev: info.dev, ino: info.ino };
    writeMarker(this.dir, this.marker);
    try {
      renameSync(from, path);
    } catch (err) {
      const why =
        code(err) === 'ENOTEMPTY' || code(err) === 'EEXIST'
          ? 'was made by someone else while the restore ran and is not empty'
          : code(err) === 'ENOTDIR'
            ? 'became a file while the restore ran'
            : code(err) === 'EBUSY' || code(err) === 'EXDEV'
              ? 'is a mount point'
              : undefined;
      if (why === undefined) throw err;
      throw new RestoreTargetError(
        `${label} ${path} ${why}; nothing in it was changed and the restored files were removed: name a new directory${code(err) === 'EBUSY' || code(err) === 'EXDEV' ? ' inside it' : ''}.`,
      );
    }
    syncDir(dirname(path));
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Removes what this restore created (the target too, if the move had happened). */
  async abort(): Promise<void> {
    await undo(this.dir, this.marker);
  }
}

/** Staging directories of `id` that could hold a restore into `target`: in any directory of its path. */
function stagingCandidates(target: string, id: string): string[] {
  const out: string[] = [];
  for (let dir = dirname(target); ; dir = dirname(dir)) {
    out.push(join(dir, `${STAGING_PREFIX}${id}`));
    if (dir === '/') return out;
  }
}

/**
 * After a restore whose process died: removes what it created (its staging directory, its
 * parents, a moved tree). Returns the paths removed. Follows no symbolic link: a staging
 * directory reached through one is left alone.
 */
export async function cleanUpStaging(targetInput: string, id: string): Promise<string[]> {
  let target: string;
  try {
    target = canonicalTarget(targetInput);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const dir of stagingCandidates(target, id)) {
    const info = (() => {
      try {
        return lstatSync(dir);
      } catch {
        return undefined;
      }
    })();
    if (info === undefined || !info.isDirectory()) continue;
    const marker = readMarker(dir);
    if (marker !== undefined && marker.target !== target) continue;
    removed.push(...(await undo(dir, marker)), dir);
  }
  return removed;
}

/** Removes the staging directories that dead processes on this host left next to `target`'s path. */
export async function sweepDeadStaging(target: ResolvedTarget): Promise<number> {
  const dir = target.chain[target.chain.length - 1]!.path;
  let swept = 0;
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.startsWith(STAGING_PREFIX));
  } catch {
    return 0;
  }
  for (const name of names) {
    const staging = join(dir, name);
    const marker = readMarker(staging);
    if (marker === undefined || !holderGone(marker.holder)) continue;
    await undo(staging, marker);
    swept++;
  }
  return swept;
}
