// Bundles the CLI and its worker threads into dist/ with esbuild (shipped with tsx), so that
// `coffer` starts in plain Node: no TypeScript loader, ~40 MiB less memory, ~0.2 s faster.
// `ensureBuilt` rebuilds when any file under src/ is newer than the bundle.
import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const ENTRIES = [
  { src: 'src/cli/main.ts', out: 'coffer.js' },
  { src: 'src/vault/blob-codec-worker.ts', out: 'blob-codec-worker.js' },
];

function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function builtAt() {
  try {
    return Math.min(...ENTRIES.map((e) => statSync(join(dist, e.out)).mtimeMs));
  } catch {
    return -1;
  }
}

export async function build() {
  const esbuild = await import('esbuild');
  mkdirSync(dist, { recursive: true });
  for (const e of ENTRIES) {
    const result = await esbuild.build({
      entryPoints: [join(root, e.src)], bundle: true, platform: 'node', format: 'esm', target: 'node20',
      packages: 'external', write: false, logLevel: 'warning',
    });
    const tmp = join(dist, `${e.out}.${process.pid}.tmp`);
    writeFileSync(tmp, result.outputFiles[0].text);
    renameSync(tmp, join(dist, e.out));
  }
}

/** Returns the URL of the CLI bundle, rebuilding it first when sources changed. */
export async function ensureBuilt() {
  if (builtAt() < newestSource(join(root, 'src'))) await build();
  return pathToFileURL(join(dist, 'coffer.js')).href;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await build();
