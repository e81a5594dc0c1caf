/**
 * Restore testing of directory resources: the restored directory's file tree against the
 * snapshot's (every regular file at the same relative path with the same size, no file more or
 * less; with ItemsToRestore, only below those items), and its removal.
 */
import { lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { findNode, walkFiles } from '../../vault/virtual-tree.js';
import { ConnectorError } from '../connector.js';
import type { RestoreCheck, RestoredResource } from '../connector.js';
import { parseItemsToRestore } from './items-to-restore.js';

function restoredPath(restored: Pick<RestoredResource, 'createdResourceArn' | 'metadata'>): string {
  const path = restored.createdResourceArn?.startsWith('file:') ? restored.createdResourceArn.slice('file:'.length) : restored.metadata['RestorePath'];
  if (path === undefined) throw new ConnectorError('NotFound', 'the restore job names no restored directory');
  return path;
}

async function filesBelow(root: string, base = ''): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const entry of await readdir(join(root, base), { withFileTypes: true })) {
    const rel = base === '' ? entry.name : `${base}/${entry.name}`;
    if (entry.isDirectory()) for (const [p, s] of await filesBelow(root, rel)) out.set(p, s);
    else if (entry.isFile()) out.set(rel, (await lstat(join(root, rel))).size);
  }
  return out;
}

export async function checkRestoredDirectory(restored: RestoredResource): Promise<RestoreCheck> {
  const path = restoredPath(restored);
  const source = restored.snapshot.paths[0] ?? '';
  const root = await findNode(restored.repo, restored.snapshot, source);
  if (root?.subtree === undefined) throw new ConnectorError('Failed', `the snapshot does not hold ${source}`);
  const items = parseItemsToRestore(restored.metadata['ItemsToRestore'])?.map((i) => i.replace(/^\/+|\/+$/g, ''));
  const wanted = (rel: string) => items === undefined || items.some((i) => rel === i || rel.startsWith(`${i}/`));
  const expected = new Map<string, number>();
  for await (const { path: rel, node } of walkFiles(restored.repo, root.subtree)) if (wanted(rel)) expected.set(rel, node.size ?? 0);
  const found = await filesBelow(path).catch((err: NodeJS.ErrnoException) => {
    throw new ConnectorError('NotFound', `directory ${path} cannot be read (${err.code ?? err.message})`);
  });
  const missing = [...expected.keys()].filter((p) => !found.has(p));
  const extra = [...found.keys()].filter((p) => !expected.has(p));
  const resized = [...expected].filter(([p, size]) => found.has(p) && found.get(p) !== size).map(([p]) => p);
  const bytes = [...found.values()].reduce((a, b) => a + b, 0);
  if (missing.length + extra.length + resized.length === 0) {
    return { ok: true, message: `${path} holds the recovery point's ${expected.size} files (${bytes} bytes), each at its path with its size.` };
  }
  const first = (label: string, list: readonly string[]) => (list.length === 0 ? [] : [`${list.length} ${label} (first: ${list[0]})`]);
  return {
    ok: false,
    message: `${path} differs from the recovery point (${expected.size} files): ${[...first('missing', missing), ...first('not in the recovery point', extra), ...first('of another size', resized)].join(', ')}.`,
  };
}

export async function deleteRestoredDirectory(restored: Pick<RestoredResource, 'createdResourceArn' | 'metadata'>): Promise<string> {
  const path = restoredPath(restored);
  await rm(path, { recursive: true, force: true });
  return `Directory ${path} was deleted.`;
}
