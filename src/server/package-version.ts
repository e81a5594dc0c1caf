/** Coffer's version, from its package.json. */
import { packageRoot } from './package-root.js';

export async function packageVersion(): Promise<string> {
  return (await packageRoot())?.version ?? 'unknown';
}
