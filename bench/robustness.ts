/**
 * bench/robustness.ts: the robustness tests of issue 12 with their large counts
 * (COFFER_ROBUSTNESS=full): kill -9 of the CLI (backup, copy, prune, restore) and of the server
 * (backup, restore, copy jobs, DeleteRecoveryPoint), the bounded fuzz of every implemented
 * operation, and the full-disk tests. Runs each file through scripts/run-tests.mjs, collects the
 * `robustness:` figure lines the tests print and writes them, with pass/fail and the seeds, to
 * bench/results/robustness-<date>.md (and stdout). Exit 1 when any file failed.
 *
 *   node --import tsx bench/robustness.ts                # everything, full counts (about 30-60 minutes on 2 cores)
 *   node --import tsx bench/robustness.ts --only fuzz    # files whose name contains "fuzz"
 *   COFFER_ROBUSTNESS_SEED=123 node --import tsx bench/robustness.ts --only kill   # replay a seed
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FILES = [
  'test/vault/kill-robustness.test.ts',
  'test/server/kill-robustness.test.ts',
  'test/server/fuzz.test.ts',
  'test/storage/full-disk.test.ts',
  'test/cli/storage-faults.test.ts',
  'test/server/storage-faults.test.ts',
];

const onlyAt = process.argv.indexOf('--only');
const only = onlyAt < 0 ? undefined : process.argv[onlyAt + 1];
const rows: string[] = [];
let failed = false;
for (const file of FILES.filter((f) => only === undefined || f.includes(only))) {
  const started = Date.now();
  const run = spawnSync(process.execPath, ['scripts/run-tests.mjs', file], {
    cwd: ROOT,
    env: { ...process.env, COFFER_ROBUSTNESS: 'full' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const out = `${run.stdout}${run.stderr}`;
  const ok = run.status === 0;
  failed ||= !ok;
  const figures = [...out.matchAll(/robustness: (.+)$/gm)].map((m) => m[1]!.trim());
  const seeds = [...out.matchAll(/seed (\d+) \(replay/g)].map((m) => m[1]);
  const skips = [...out.matchAll(/# (cannot mount[^\n]*|needs root[^\n]*)/g)].map((m) => m[1]);
  const line = `| ${file} | ${ok ? 'pass' : '**FAIL**'} | ${((Date.now() - started) / 1000).toFixed(0)} s | ${figures.join('<br>') || '-'} | ${seeds.join(', ') || '-'} | ${skips.join('; ') || '-'} |`;
  rows.push(line);
  process.stdout.write(`${line}\n`);
  if (!ok)
    process.stdout.write(
      `${out
        .split('\n')
        .filter((l) => /✖|Error|assert/i.test(l))
        .slice(0, 20)
        .join('\n')}\n`,
    );
}
const date = new Date().toISOString().slice(0, 10);
const report = `# Robustness (issue 12), full counts, ${new Date().toISOString()}

Command: \`node --import tsx bench/robustness.ts${only === undefined ? '' : ` --only ${only}`}\` (COFFER_ROBUSTNESS=full).

| file | result | time | figures | seeds | skipped |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}
`;
const dir = join(ROOT, 'bench', 'results');
mkdirSync(dir, { recursive: true });
let out = join(dir, `robustness-${date}.md`);
for (let n = 2; existsSync(out); n++) out = join(dir, `robustness-${date}-${n}.md`);
writeFileSync(out, report);
process.stdout.write(`\nreport: ${out}\n`);
process.exitCode = failed ? 1 : 0;
