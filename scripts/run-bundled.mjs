#!/usr/bin/env node
// Runs a TypeScript entry (a benchmark) the way `coffer` itself runs: bundled by esbuild into
// dist/ and started with plain Node, without tsx's loader, whose own memory would otherwise be
// counted in the figures. Usage: node scripts/run-bundled.mjs bench/scheduler-scale.ts [args...]
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [entry, ...args] = process.argv.slice(2);
if (entry === undefined) {
  process.stderr.write('usage: node scripts/run-bundled.mjs ENTRY.ts [args...]\n');
  process.exit(2);
}
const esbuild = await import('esbuild');
mkdirSync(join(root, 'dist'), { recursive: true });
const out = join(root, 'dist', `${basename(entry, '.ts')}.bundle.mjs`);
await esbuild.build({
  entryPoints: [join(root, entry)],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outfile: out,
  logLevel: 'warning',
});
const result = spawnSync(process.execPath, [out, ...args], { stdio: 'inherit' });
process.exit(result.status ?? 1);
