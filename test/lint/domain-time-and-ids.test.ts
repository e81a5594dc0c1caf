/**
 * The lint rule for the domain's clock and ids (lint/domain-time-and-ids.grit, applied by
 * biome.jsonc): probe files in a copy of the config, linted by the project's Biome, show which
 * forms it refuses and in which rooms.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../support/temp-dir.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIOME = join(ROOT, 'node_modules', '.bin', 'biome');

interface Diagnostic {
  readonly category: string;
  readonly location: { readonly path: string; readonly start: { readonly line: number } };
}

/** Lints `files` (path -> source) with the project's biome.jsonc; the plugin's findings as "path:line". */
async function findings(dir: string, files: Readonly<Record<string, string>>): Promise<string[]> {
  await cp(join(ROOT, 'biome.jsonc'), join(dir, 'biome.jsonc'));
  await cp(join(ROOT, 'lint'), join(dir, 'lint'), { recursive: true });
  for (const [path, source] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), source);
  }
  let out: string;
  try {
    out = execFileSync(BIOME, ['lint', '--vcs-enabled=false', '--reporter=json', '--max-diagnostics=none', '.'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch (error) {
    out = (error as { stdout: string }).stdout; // exit 1 when there are errors
  }
  const report = JSON.parse(out) as { diagnostics: Diagnostic[] };
  return report.diagnostics
    .filter((d) => d.category === 'plugin')
    .map((d) => `${d.location.path}:${d.location.start.line}`)
    .sort();
}

const AMBIENT = [
  "import { randomUUID } from 'node:crypto';",
  "import * as crypto from 'node:crypto';",
  'export const a = Date.now();',
  'export const b = new Date();',
  'export const c = new Date;',
  'export const d = randomUUID();',
  'export const e = crypto.randomUUID();',
  '',
].join('\n');

const INJECTED = [
  'interface Clock { now(): Date }',
  'interface IdSource { uuid(): string }',
  'export function stamp(clock: Clock, ids: IdSource) {',
  '  return { at: clock.now(), later: new Date(clock.now().getTime() + 1000), parsed: new Date("2027-01-01T00:00:00Z"), id: ids.uuid() };',
  '}',
  '',
].join('\n');

test('Date.now(), new Date() and randomUUID() are refused in the domain rooms, each form', async (t) => {
  const dir = await tempDir(t);
  const rooms = ['src/backup', 'src/kms', 'src/iam', 'src/scheduler', 'src/jobs'];
  const found = await findings(dir, Object.fromEntries(rooms.map((room) => [`${room}/probe.ts`, AMBIENT])));
  assert.deepEqual(found, rooms.flatMap((room) => [3, 4, 5, 6, 7].map((line) => `${room}/probe.ts:${line}`)).sort());
});

test('injected clocks and ids, and dates built from a value, pass', async (t) => {
  const dir = await tempDir(t);
  assert.deepEqual(await findings(dir, { 'src/backup/probe.ts': INJECTED, 'src/jobs/probe.ts': INJECTED }), []);
});

test('outside the domain rooms, and in the files that implement the real sources, the machine is read directly', async (t) => {
  const dir = await tempDir(t);
  const files = {
    'src/cli/probe.ts': AMBIENT,
    'src/server/probe.ts': AMBIENT,
    'test/backup/probe.ts': AMBIENT,
    'src/backup/id-source.ts': AMBIENT,
    'src/kms/kms-scope.ts': AMBIENT,
  };
  assert.deepEqual(await findings(dir, files), []);
});
