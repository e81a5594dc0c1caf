/**
 * The test tiers (scripts/test-tiers.mjs, scripts/run-tests.mjs --list) and the unit tier's guard
 * (scripts/unit-tier-guard.mjs), on made-up test files: what a file needs comes from its own
 * `test-needs:` lines and those of what it imports; the guard stops outside programs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../support/temp-dir.js';

const SCRIPTS = fileURLToPath(new URL('../../scripts/', import.meta.url));

async function files(dir: string, sources: Readonly<Record<string, string>>): Promise<void> {
  for (const [path, source] of Object.entries(sources)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), source);
  }
}

function list(dir: string, paths: readonly string[]): { status: number | null; lines: string[]; stderr: string } {
  const run = spawnSync(process.execPath, [join(SCRIPTS, 'run-tests.mjs'), '--list', ...paths], { cwd: dir, encoding: 'utf8' });
  return { status: run.status, lines: run.stdout.trim().split('\n'), stderr: run.stderr };
}

test('a file needs what it and everything it imports declare; a file that needs nothing is a unit test', async (t) => {
  const dir = await tempDir(t);
  await files(dir, {
    'test/support/db.ts': '/** A database. */\n// test-needs: postgres, restic\nexport const db = 1;\n',
    'test/support/wrapper.ts': "import { db } from './db.js';\nexport const wrapped = db;\n",
    'test/support/plain.ts': 'export const plain = 1;\n',
    'test/a.test.ts': "import { wrapped } from './support/wrapper.js';\nvoid wrapped;\n",
    'test/b.test.ts': "import { plain } from './support/plain.js';\nvoid plain;\n",
    'test/c.test.ts': "// test-needs: moto\nimport { plain } from './support/plain.js';\nvoid plain;\n",
    'test/d.test.ts': '/**\n * Slow.\n */\n// test-tier: full (a minute of random input)\nexport {};\n',
  });
  const result = list(dir, []);
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(result.lines, ['full  test/a.test.ts  (postgres, restic)', 'unit  test/b.test.ts', 'full  test/c.test.ts  (moto)', 'full  test/d.test.ts']);
});

test('an unknown component is refused, naming the file and the known ones', async (t) => {
  const dir = await tempDir(t);
  await files(dir, { 'test/e.test.ts': '// test-needs: postgress\nexport {};\n' });
  const result = list(dir, ['test/e.test.ts']);
  assert.notEqual(result.status, 0);
  assert.match(result.stderr, /test\/e\.test\.ts: test-needs names "postgress", which is not one of: restic, aws-cli, botocore, postgres,/);
});

test('the unit tier guard stops outside programs and the coffer command, and lets Node and dependencies run', async (t) => {
  const dir = await tempDir(t);
  const probe = join(dir, 'probe.mjs');
  await writeFile(
    probe,
    [
      "import { execFile, spawnSync } from 'node:child_process';",
      "import { promisify } from 'node:util';",
      "const attempt = (f) => { try { f(); return 'ran'; } catch (e) { return e.message; } };",
      'console.log(JSON.stringify({',
      "  restic: attempt(() => spawnSync('restic', ['version'])),",
      "  coffer: attempt(() => spawnSync(process.execPath, ['bin/coffer', 'serve'])),",
      "  node: (await promisify(execFile)(process.execPath, ['-e', 'console.log(1)'])).stdout,",
      '}));',
    ].join('\n'),
  );
  const run = spawnSync(process.execPath, ['--import', join(SCRIPTS, 'unit-tier-guard.mjs'), probe], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const seen = JSON.parse(run.stdout) as Record<string, string>;
  assert.match(
    seen['restic']!,
    /^the unit tier runs no outside program, but this test started `restic`\. Name what it needs in a `\/\/ test-needs: \.\.\.` line/,
  );
  assert.match(seen['coffer']!, /started the coffer command/);
  assert.equal(seen['node'], '1\n');
});
