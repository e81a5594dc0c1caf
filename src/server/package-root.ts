/**
 * The directory of Coffer's package.json, found above this module whether it runs from the
 * sources (src/server/) or from the bundle (dist/).
 */
import { readFile } from 'node:fs/promises';

export interface PackageRoot {
  /** The directory, as a file: URL ending in `/`. */
  readonly url: URL;
  readonly version: string;
}

let found: Promise<PackageRoot | undefined> | undefined;

export function packageRoot(): Promise<PackageRoot | undefined> {
  return (found ??= (async () => {
    for (const rel of ['../', '../../']) {
      const url = new URL(rel, import.meta.url);
      try {
        const pkg = JSON.parse(await readFile(new URL('package.json', url), 'utf8')) as { name?: string; version: string };
        if (pkg.name === 'coffer') return { url, version: pkg.version };
      } catch {
        // not at this level
      }
    }
    return undefined;
  })());
}
