/**
 * `restoreRoots`: the directories below which directory (EFS) restores may create their
 * RestorePath. Absent or empty: anywhere except Coffer's own directories. Paths are resolved
 * against the config file's directory; a root inside (or holding) `dataDir` or a region's storage
 * is refused, since no restore could go there.
 */
import { resolve, sep } from 'node:path';
import type { ConfigContext } from './config-context.js';
import { readList } from './raw-fields.js';

function within(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

export function readRestoreRoots(value: unknown, own: readonly OwnDirectory[], ctx: ConfigContext): readonly string[] {
  const roots: string[] = [];
  for (const [item, path] of readList(value, 'restoreRoots', ctx.issues)) {
    const root = readRestoreRoot(item, path, own, ctx);
    if (root !== undefined) roots.push(root);
  }
  return roots;
}

export type OwnDirectory = { readonly path: string; readonly what: string };

/** One directory restores may go below (also a restore target's `path`); undefined with an issue. */
export function readRestoreRoot(item: unknown, path: string, own: readonly OwnDirectory[], ctx: ConfigContext): string | undefined {
  if (typeof item !== 'string' || item.trim() === '') {
    ctx.issues.add(path, 'must name a directory (a string such as /srv/restores)');
    return undefined;
  }
  if (item.split('/').includes('..')) {
    ctx.issues.add(path, `must not contain "..": name the directory itself (${resolve(ctx.baseDir, item)})`);
    return undefined;
  }
  const root = resolve(ctx.baseDir, item);
  if (root === '/') {
    ctx.issues.add(path, 'must not be / (that allows every directory): name the directories restores go to');
    return undefined;
  }
  const clash = own.find((o) => within(root, o.path) || within(o.path, root));
  if (clash !== undefined) {
    ctx.issues.add(path, `${root} overlaps ${clash.what} (${clash.path}); restores never go there: choose a directory outside it`);
    return undefined;
  }
  return root;
}
