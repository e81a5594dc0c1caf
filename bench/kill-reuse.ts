/**
 * bench/kill-reuse.ts: how much of a killed backup the next backup re-uses. For each trial: a
 * fresh repository, `coffer vault backup` of the data set killed with SIGKILL at a point between
 * 15% and 85% of an unkilled backup's time, then a backup to completion with --json. A trial
 * "stored everything again" when that backup's new bytes are >= 95% of the unkilled backup's:
 * nothing the killed one wrote was re-used. The report gives per trial the share re-stored and
 * how many bytes beyond what the killed run had not reached (the packs written but not indexed).
 *
 *   node --import tsx bench/kill-reuse.ts --size-mb 256 --trials 10
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureVariant, MiB } from './dataset.js';
import { Rng } from './lib/rng.js';

const ROOT_DIR = dirname(dirname(fileURLToPath(import.meta.url)));

const { values } = parseArgs({
  options: {
    'size-mb': { type: 'string', default: '256' },
    trials: { type: 'string', default: '10' },
    'small-files': { type: 'string', default: '2000' },
    coffer: { type: 'string' },
    work: { type: 'string' },
    seed: { type: 'string', default: 'kill-reuse' },
  },
});
const cofferBin = resolve(values.coffer ?? join(ROOT_DIR, 'bin', 'coffer'));
const trials = Number(values.trials);
const work = values.work ? resolve(values.work) : mkdtempSync(join(tmpdir(), 'coffer-kill-'));
const data = join(work, 'data');
const pw = join(work, 'password');

interface BackupJson {
  newBytes: number;
  storedBytes: number;
  packs: number;
}

function cli(...args: string[]): { code: number; out: string } {
  const r = spawnSync(cofferBin, args, { encoding: 'utf8' });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

function init(repo: string): void {
  rmSync(repo, { recursive: true, force: true });
  const r = cli('vault', 'init', repo, '--password-file', pw);
  if (r.code !== 0) throw new Error(`init failed: ${r.out}`);
}

function fullBackup(repo: string): { json: BackupJson; seconds: number } {
  const started = performance.now();
  const r = cli('vault', 'backup', repo, '--password-file', pw, '--json', data);
  if (r.code !== 0) throw new Error(`backup failed (${r.code}): ${r.out}`);
  return { json: JSON.parse(r.out.trim().split('\n').pop()!) as BackupJson, seconds: (performance.now() - started) / 1000 };
}

async function killedBackup(repo: string, afterS: number): Promise<boolean> {
  const child = spawn(cofferBin, ['vault', 'backup', repo, '--password-file', pw, data], { stdio: 'ignore' });
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const timer = setTimeout(() => child.kill('SIGKILL'), afterS * 1000);
  const code = await exited;
  clearTimeout(timer);
  return code === null; // killed before it finished
}

async function main(): Promise<void> {
  writeFileSync(pw, 'kill-reuse-password\n');
  ensureVariant(data, { sizeMb: Number(values['size-mb']), seed: values.seed, smallFiles: Number(values['small-files']) }, 'original');
  const repo = join(work, 'repo');
  init(repo);
  const whole = fullBackup(repo);
  console.log(`unkilled backup: ${(whole.json.newBytes / MiB).toFixed(1)} MiB new, ${whole.json.packs} packs, ${whole.seconds.toFixed(1)} s`);
  const rng = new Rng(`kill/${values.seed}`);
  const rows: string[] = [];
  let everything = 0;
  let counted = 0;
  for (let t = 1; t <= trials; t++) {
    init(repo);
    const at = whole.seconds * (0.15 + 0.7 * rng.float());
    if (!(await killedBackup(repo, at))) {
      rows.push(`| ${t} | ${at.toFixed(1)} | finished before the kill | | |`);
      continue;
    }
    const again = fullBackup(repo);
    const share = again.json.newBytes / whole.json.newBytes;
    counted++;
    if (share >= 0.95) everything++;
    rows.push(`| ${t} | ${at.toFixed(1)} | ${(share * 100).toFixed(1)}% | ${again.json.packs} | ${share >= 0.95 ? '**yes**' : 'no'} |`);
    console.error(rows.at(-1));
  }
  console.log(
    [
      '',
      `Killed ${counted} backups of ${(whole.json.newBytes / MiB).toFixed(1)} MiB (${whole.json.packs} packs unkilled); `
        + `${everything} of ${counted} next backups stored everything again (>= 95% of the bytes).`,
      '',
      '| trial | killed after s | next backup stored (share of all) | its packs | everything again |',
      '| ---: | ---: | ---: | ---: | --- |',
      ...rows,
    ].join('\n'),
  );
  if (!values.work) rmSync(work, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
