/**
 * Where a worker thread's code comes from. From compiled JavaScript it is the sibling `.js`
 * file. From TypeScript sources (a checkout run through tsx) worker threads on Node 20 do not
 * inherit tsx's hooks, and registering tsx inside each worker costs ~0.6 s, so the worker body
 * is bundled once with esbuild (which tsx ships) into node_modules/.cache and reused.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const bundled = new Map<string, URL>();

export function workerScript(baseUrl: string, name: string): URL {
  if (!baseUrl.endsWith('.ts')) return new URL(`./${name}.js`, baseUrl);
  const source = fileURLToPath(new URL(`./${name}.ts`, baseUrl));
  const cached = bundled.get(source);
  if (cached) return cached;
  const url = bundle(source, name);
  bundled.set(source, url);
  return url;
}

function bundle(source: string, name: string): URL {
  const require = createRequire(import.meta.url);
  const esbuild = require('esbuild') as typeof import('esbuild');
  const root = findPackageRoot(dirname(source));
  const out = join(root, 'node_modules', '.cache', 'coffer', `${name}.mjs`);
  const result = esbuild.buildSync({
    entryPoints: [source],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  let current = '';
  try {
    current = readFileSync(out, 'utf8');
  } catch {
    // not bundled yet
  }
  if (current !== code) {
    mkdirSync(dirname(out), { recursive: true });
    const tmp = `${out}.${process.pid}.tmp`;
    writeFileSync(tmp, code);
    renameSync(tmp, out);
  }
  return pathToFileURL(out);
}

function findPackageRoot(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    try {
      readFileSync(join(d, 'package.json'));
      return d;
    } catch {
      if (dirname(d) === d) throw new Error(`no package.json above ${dir}`);
    }
  }
}
