/**
 * Coffer's version, from its package.json, found above this module whether it runs from the
 * sources (src/server/) or from the bundle (dist/).
 */
import { readFile } from 'node:fs/promises';

export async function packageVersion(): Promise<string> {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(await readFile(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'coffer') return pkg.version;
    } catch {
      // not at this level
    }
  }
  return 'unknown';
}
