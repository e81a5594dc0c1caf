/**
 * Where a restore may go. A target is resolved once, to a canonical absolute path, before any
 * check, and refused (RestoreTargetError, nothing written) when:
 * - a component is `..` (a path that only looks like it is inside somewhere);
 * - the path or any existing parent is a symbolic link, except a configured restore root itself
 *   and the directories above it (the operator named that root explicitly);
 * - a parent exists and is not a directory, or the target exists and is not an empty directory;
 * - it lies inside a forbidden place (Coffer's data directory, vault storage, the repository
 *   restored from), or would hold one;
 * - restore roots are configured and it is not strictly inside one of them.
 * What the checks saw (each existing directory's device and inode) is kept, so the final move
 * can make sure nothing was swapped underneath (restore-staging.ts).
 */
import { lstatSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { VaultError } from './errors.js';

export interface ForbiddenPlace {
  readonly path: string;
  /** What it is, for the message: "Coffer's data directory", "the vault storage of us-east-1". */
  readonly what: string;
}

export interface RestoreTargetRules {
  /** `restoreRoots`: directory restores go strictly below one of these; none: anywhere not forbidden. */
  readonly roots?: readonly string[];
  readonly forbidden?: readonly ForbiddenPlace[];
  /** How messages name the target: `RestorePath`, `--target`. */
  readonly label?: string;
}

/** A directory the checks looked at, by identity. */
export interface SeenDirectory {
  readonly path: string;
  readonly dev: number;
  readonly ino: number;
}

export interface ResolvedTarget {
  /** Canonical absolute path. */
  readonly path: string;
  readonly label: string;
  /** Existing directories from `/` down to the deepest existing parent, as the checks saw them. */
  readonly chain: readonly SeenDirectory[];
  /** Parents that do not exist yet, top-down (the restore creates them). */
  readonly missingParents: readonly string[];
  /** The target exists (an empty directory the final move replaces). */
  readonly exists: boolean;
  /** Directories above which symlinks are trusted (a configured root and its parents). */
  readonly trusted: readonly string[];
}

/** A restore target refused before anything was written; the message says what to do. */
export class RestoreTargetError extends VaultError {
  constructor(message: string) {
    super('TargetRefused', message);
    this.name = 'RestoreTargetError';
  }
}

export function isInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/** Parents of `path`, top-down, `/` first, `path` last. */
function prefixes(path: string): string[] {
  const out = ['/'];
  let at = '';
  for (const part of path.split('/').filter(Boolean)) out.push((at = `${at}/${part}`));
  return out;
}

function code(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? 'error';
}

/** The lexical checks: a canonical absolute path, or the reason it cannot be one. */
export function canonicalTarget(input: string, label = 'the target', cwd = process.cwd()): string {
  if (typeof input !== 'string' || input.trim() === '') throw new RestoreTargetError(`${label} is empty: name a new or empty directory.`);
  if (input.includes('\0')) throw new RestoreTargetError(`${label} contains a NUL byte: name a new or empty directory.`);
  if (input.split(/[\\/]/).includes('..')) {
    throw new RestoreTargetError(
      `${label} ${input} contains "..": name the directory without ".." components (${resolve(cwd, input)}, if that is the one you mean).`,
    );
  }
  const path = isAbsolute(input) ? resolve(input) : resolve(cwd, input);
  if (path === '/') throw new RestoreTargetError(`${label} is the root directory: name a new or empty directory below it.`);
  return path;
}

/** The real location of a path whose existing part is `existing` (realpath) plus what is missing. */
function realLocation(path: string, deepestExisting: string): string {
  const real = realpathSync(deepestExisting);
  return path === deepestExisting ? real : join(real, path.slice(deepestExisting.length));
}

function realOrResolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** Resolves and checks `input` (see the file comment); writes nothing. */
export function resolveRestoreTarget(input: string, rules: RestoreTargetRules = {}): ResolvedTarget {
  const label = rules.label ?? 'the target';
  const path = canonicalTarget(input, label);
  const roots = (rules.roots ?? []).map((r) => resolve(r));
  const root = roots.find((r) => path !== r && isInside(path, r));
  if (roots.length > 0 && root === undefined) {
    throw new RestoreTargetError(
      `${label} ${path} is outside the restore roots (restoreRoots in the config: ${roots.join(', ')}): name a new directory inside one of them, or add a root to restoreRoots.`,
    );
  }
  const trusted = root === undefined ? [] : prefixes(root);
  const chain: SeenDirectory[] = [];
  const missingParents: string[] = [];
  let exists = false;
  for (const p of prefixes(path)) {
    if (missingParents.length > 0) {
      if (p !== path) missingParents.push(p);
      continue;
    }
    let info;
    try {
      info = lstatSync(p);
    } catch (err) {
      if (code(err) !== 'ENOENT')
        throw new RestoreTargetError(`${label} ${path} cannot be checked: ${p} gives ${code(err)}; name a directory Coffer can reach.`);
      if (p !== path) missingParents.push(p);
      else break;
      continue;
    }
    if (info.isSymbolicLink()) {
      if (trusted.includes(p)) {
        const target = realOrResolved(p);
        chain.push({ path: p, dev: lstatSync(target).dev, ino: lstatSync(target).ino });
        continue;
      }
      const to = (() => {
        try {
          return readlinkSync(p);
        } catch {
          return '?';
        }
      })();
      throw new RestoreTargetError(
        `${label} ${path} goes through the symbolic link ${p} (to ${to}); Coffer does not follow symbolic links in a restore target: name the real directory (${realOrResolved(p)}${path.slice(p.length)})${root === undefined ? ', or name that root in restoreRoots in the config' : ''}.`,
      );
    }
    if (p === path) {
      if (!info.isDirectory()) throw new RestoreTargetError(`${label} ${path} exists and is not a directory: name a new or empty directory.`);
      if (readdirSync(p).length > 0)
        throw new RestoreTargetError(`${label} ${path} is not empty; Coffer never restores over existing files: name a new or empty directory.`);
      exists = true;
      break;
    }
    if (!info.isDirectory()) throw new RestoreTargetError(`${label} ${path} cannot be created: ${p} exists and is not a directory.`);
    chain.push({ path: p, dev: info.dev, ino: info.ino });
  }
  const deepest = exists ? path : chain[chain.length - 1]!.path;
  const real = realLocation(path, deepest);
  for (const place of rules.forbidden ?? []) {
    const where = realOrResolved(place.path);
    if (isInside(real, where))
      throw new RestoreTargetError(
        `${label} ${path} is inside ${place.what} (${place.path}); a restore there could overwrite what Coffer keeps: name a directory outside it.`,
      );
    if (isInside(where, real)) throw new RestoreTargetError(`${label} ${path} would contain ${place.what} (${place.path}): name a directory outside it.`);
  }
  return { path, label, chain, missingParents, exists, trusted };
}

/** Whether the directories the checks saw are still the same ones (no symlink swapped in). */
export function chainChanged(target: ResolvedTarget, created: readonly SeenDirectory[]): string | undefined {
  for (const seen of [...target.chain, ...created]) {
    let info;
    try {
      info = lstatSync(seen.path);
      if (info.isSymbolicLink() && target.trusted.includes(seen.path)) info = lstatSync(realpathSync(seen.path));
    } catch (err) {
      return `${seen.path} is gone (${code(err)})`;
    }
    if (info.isSymbolicLink()) return `${seen.path} became a symbolic link`;
    if (!info.isDirectory() || info.dev !== seen.dev || info.ino !== seen.ino)
      return `${seen.path} was replaced by another ${info.isDirectory() ? 'directory' : 'file'}`;
  }
  return undefined;
}
