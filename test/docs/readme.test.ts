/**
 * The README, tried as a newcomer would: its shell blocks run as written, in order, in one bash
 * session, in a fresh copy of this checkout (the files git has, plus node_modules and the built
 * dist/), with no AWS configuration of the user's. The services the README starts listen on
 * 127.0.0.1:4100-4102 as it says; as root the walkthrough runs in a network namespace of its
 * own, so those ports are its own even when another Coffer uses them on this machine (without
 * root, the test needs them free and skips, saying so, when they are not).
 *
 * Also the markers (test/docs/readme-blocks.ts): which blocks do not run, and why, is written in
 * the README itself.
 */
// test-needs: coffer, aws-cli, restic
// test-tier: full (the README's walkthrough: three servers, a year on the manual clock, ~2 minutes)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '../../scripts/build.mjs';
import { tempDir } from '../support/temp-dir.js';
import { shellBlocks, walkthroughScript } from './readme-blocks.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const PORTS = [4100, 4101, 4102];

test('the README marks the blocks it does not run, and only with known markers', () => {
  const blocks = shellBlocks(README);
  assert.ok(blocks.length >= 10, `${blocks.length} shell blocks`);
  const skipped = blocks.filter((b) => b.mode === 'skip').map((b) => b.text.split('\n')[0]);
  assert.ok(
    skipped.some((t) => t?.startsWith('npm install')),
    'npm install is the one setup step the test does itself',
  );
  assert.ok(blocks.some((b) => b.mode === 'background' && b.text.trim().startsWith('npm start')));
  for (const b of blocks.filter((x) => x.mode !== 'run')) {
    const comment = README.split('\n')
      .slice(0, b.line - 1)
      .reverse()
      .find((l) => l.trim() !== '');
    assert.match(comment ?? '', /readme-test: \w+ \(.+\)/, `README.md:${b.line}: a marker says why`);
  }
  assert.throws(() => shellBlocks('<!-- readme-test: skpi (typo) -->\n```sh\nls\n```\n'), /not skip, background or restart/);
});

/** A copy of the checkout as a fresh clone would have it, with the installed packages and the built bundle. */
async function freshCopy(dir: string): Promise<string> {
  await ensureBuilt();
  const copy = join(dir, 'coffer');
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f !== '');
  for (const file of files) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    try {
      cpSync(join(ROOT, file), join(copy, file), { preserveTimestamps: true, verbatimSymlinks: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err; // deleted in the worktree, not yet in git
    }
  }
  cpSync(join(ROOT, 'dist'), join(copy, 'dist'), { recursive: true, preserveTimestamps: true });
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
  return copy;
}

const portFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const probe = createServer()
      .once('error', () => resolve(false))
      .listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });

function ownNetwork(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('unshare', ['--net', 'sh', '-c', 'ip link set lo up'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('every shell block of the README runs as written, from a fresh copy', async (t) => {
  const isolated = ownNetwork();
  if (!isolated) {
    const busy = [];
    for (const port of PORTS) if (!(await portFree(port))) busy.push(port);
    if (busy.length > 0) {
      t.skip(`ports ${busy.join(', ')} are in use and this is not root (no network namespace of its own): stop what listens there and run again`);
      return;
    }
  }
  const dir = await tempDir(t, 'coffer-readme-');
  const copy = await freshCopy(dir);
  const logs = join(dir, 'logs');
  mkdirSync(logs);
  const script = join(dir, 'walkthrough.sh');
  writeFileSync(script, walkthroughScript(shellBlocks(README), logs));

  // The user's environment, minus any AWS configuration of theirs.
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_') && !k.startsWith('COFFER_') && !k.startsWith('npm_')) env[k] = v;
  Object.assign(env, { AWS_CONFIG_FILE: join(dir, 'no-aws-config'), AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '' });
  const [command, args] = isolated
    ? (['unshare', ['--net', 'bash', '-c', `ip link set lo up && exec bash ${script}`]] as const)
    : (['bash', [script]] as const);

  const child = spawn(command, args, { cwd: copy, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const timer = setTimeout(() => child.kill('SIGTERM'), 600_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  const services = execFileSync('sh', ['-c', `tail -n 20 ${logs}/*.log 2>/dev/null || true`], { encoding: 'utf8' });
  assert.equal(code, 0, `the walkthrough failed; its output:\n${output}\n--- the services' output (last lines):\n${services}`);
  for (const line of output.split('\n')) if (line.startsWith('### ')) t.diagnostic(line.slice(4));
  assert.match(output, /### README walkthrough done/);
  assert.match(output, /restored: the same files/);
  // The year on the manual clock kept what the plan keeps (not 0: the selection names a configured resource).
  const year = shellBlocks(README).find((b) => b.text.includes('clock advance 400d'));
  assert.ok(year !== undefined, 'the README shows a year on the manual clock');
  const section = output.split(`### README.md:${year.line} `)[1]?.split('\n### ')[0] ?? '';
  const kept = Number(section.trim().split('\n').at(-1));
  t.diagnostic(`recovery points kept after 400 days: ${kept}`);
  assert.ok(kept >= 20 && kept <= 25, `the year kept ${kept} recovery points; its output:\n${section}`);
});
