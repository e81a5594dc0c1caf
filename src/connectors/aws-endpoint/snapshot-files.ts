/** Reading a connector's own files back out of a snapshot: whole (small JSON) or line by line. */
import type { Repository } from '../../vault/repository.js';
import type { Snapshot } from '../../vault/snapshot.js';
import { findNode, readFile } from '../../vault/virtual-tree.js';
import type { TreeNode } from '../../vault/tree.js';

export async function fileNode(repo: Repository, snapshot: Pick<Snapshot, 'tree'>, path: string): Promise<TreeNode | undefined> {
  const node = await findNode(repo, snapshot, path);
  return node?.type === 'file' ? node : undefined;
}

export async function readWholeFile(repo: Repository, node: TreeNode): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of readFile(repo, node)) parts.push(part);
  return Buffer.concat(parts);
}

/** The lines of a file (without their newline), split across blob boundaries; empty lines skipped. */
export async function* readLines(repo: Repository, node: TreeNode, onBytes?: (n: number) => void): AsyncGenerator<string> {
  let rest = '';
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for await (const part of readFile(repo, node)) {
    onBytes?.(part.length);
    const text = rest + decoder.decode(part, { stream: true });
    const lines = text.split('\n');
    rest = lines.pop()!;
    for (const line of lines) if (line !== '') yield line;
  }
  rest += decoder.decode();
  if (rest !== '') yield rest;
}
