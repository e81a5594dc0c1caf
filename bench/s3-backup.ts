/**
 * bench/s3-backup.ts: backup and restore to the same S3-compatible endpoint, Coffer vs restic,
 * side by side (issue 13). One moto server (`python3 -m moto.server`) on a free loopback port is
 * the endpoint for both; each run and tool gets a fresh repository under its own prefix of one
 * bucket (`s3:http://127.0.0.1:PORT/bench/<tool>-<run>`, the same URL form for both tools), the
 * tool order alternates between runs, and every restore is compared byte for byte with the
 * source. Reports medians of wall time, CPU time and peak RSS, and Coffer's ratio to restic.
 *
 *   node --import tsx bench/s3-backup.ts [--size-mb 256] [--small-files 2000] [--runs 3]
 *
 * Needs restic, GNU time (/usr/bin/time) and python3 with moto. The report goes to stdout and to
 * bench/results/s3-backup-<date>.md.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { MOTO_CREDENTIALS, MOTO_REGION, startMoto } from '../test/connectors/support/moto-server.js';
import { ensureVariant } from './dataset.js';
import type { Measured } from './lib/proc.js';
import { killRunning, run, tail, timed } from './lib/proc.js';
import { markdownTable, median } from './lib/report.js';
import { coffer, restic } from './lib/tools.js';
import type { Tool } from './lib/tools.js';
import { compareManifests, describeComparison, identical, manifest } from './lib/tree.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    'size-mb': { type: 'string', default: '256' },
    'small-files': { type: 'string', default: '2000' },
    runs: { type: 'string', default: '3' },
    seed: { type: 'string', default: 'coffer' },
    work: { type: 'string' },
    results: { type: 'string', default: join(BENCH_DIR, 'results') },
  },
});
const sizeMb = Number(values['size-mb']);
const smallFiles = Number(values['small-files']);
const runs = Number(values.runs);
const work = values.work ?? mkdtempSync(join(tmpdir(), 'coffer-s3-bench-'));
mkdirSync(work, { recursive: true });
process.on('SIGINT', () => {
  killRunning();
  process.exit(130);
});

// Both tools read these (restic and Coffer's vault CLI alike).
Object.assign(process.env, {
  AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
  AWS_DEFAULT_REGION: MOTO_REGION,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
});

type Step = 'backup' | 'restore';
const tools: readonly Tool[] = [coffer(join(BENCH_DIR, '..', 'bin', 'coffer')), restic()];
const results = new Map<string, Measured[]>();
const failures: string[] = [];
const record = (tool: string, step: Step, m: Measured): void => {
  const key = `${tool}/${step}`;
  results.set(key, [...(results.get(key) ?? []), m]);
};

const source = join(work, 'data');
process.stdout.write(`data set: ${sizeMb} MiB (at least ${smallFiles} small files) in ${source}\n`);
ensureVariant(source, { sizeMb, seed: values.seed, smallFiles }, 'original');
const expected = await manifest(source);

const moto = await startMoto();
const loadBefore = loadavg();
try {
  const client = new S3Client({ endpoint: moto.endpoint, region: MOTO_REGION, forcePathStyle: true, credentials: MOTO_CREDENTIALS });
  await client.send(new CreateBucketCommand({ Bucket: 'bench' }));
  client.destroy();
  const password = join(work, 'password');
  writeFileSync(password, 'bench password\n', { mode: 0o600 });

  for (let r = 1; r <= runs; r++) {
    for (const tool of r % 2 === 1 ? tools : [...tools].reverse()) {
      const home = join(work, `home-${tool.name}-${r}`);
      mkdirSync(home, { recursive: true });
      const ctx = { repo: `s3:${moto.endpoint}/bench/${tool.name}-${r}`, home, passwordFile: password };
      const log = join(work, `${tool.name}-${r}.log`);
      if ((await run(tool.init(ctx), log)) !== 0) {
        failures.push(`${tool.name} init (run ${r}): ${tail(log)}`);
        continue;
      }
      const backup = await timed(tool.backup(ctx, source, 'first'), log);
      if (backup.exitCode !== 0) failures.push(`${tool.name} backup (run ${r}): ${tail(log)}`);
      else record(tool.name, 'backup', backup);
      const target = join(work, `restored-${tool.name}-${r}`);
      mkdirSync(target);
      const restore = await timed(tool.restore(ctx, target, 'first'), log);
      if (restore.exitCode !== 0) failures.push(`${tool.name} restore (run ${r}): ${tail(log)}`);
      else {
        const comparison = compareManifests(expected, await manifest(join(target, source)));
        if (!identical(comparison)) failures.push(`${tool.name} restore (run ${r}) differs: ${describeComparison(comparison)}`);
        record(tool.name, 'restore', restore);
      }
      rmSync(target, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
      process.stdout.write(`run ${r} ${tool.name}: backup ${backup.seconds} s, restore ${restore.seconds} s\n`);
    }
  }
} finally {
  await moto.stop();
}

const med = (tool: string, step: Step, f: (m: Measured) => number): number | undefined => median((results.get(`${tool}/${step}`) ?? []).map(f));
const fmt = (v: number | undefined, digits = 2): string => (v === undefined ? '—' : v.toFixed(digits));
const ratio = (a: number | undefined, b: number | undefined): string => (a === undefined || b === undefined || b === 0 ? '—' : `${(a / b).toFixed(2)}×`);
const metrics: ReadonlyArray<[string, (m: Measured) => number, number]> = [
  ['wall s', (m) => m.seconds, 2],
  ['CPU user+sys s', (m) => m.userS + m.sysS, 2],
  ['peak RSS MiB', (m) => m.maxRssKb / 1024, 0],
];
const rows: string[][] = [];
for (const step of ['backup', 'restore'] as const) {
  for (const [name, f, digits] of metrics) {
    const c = med('coffer', step, f);
    const r = med('restic', step, f);
    rows.push([step === 'backup' ? 'first backup' : 'restore latest', name, fmt(c, digits), fmt(r, digits), ratio(c, r)]);
  }
}
const date = new Date().toISOString().slice(0, 10);
const report = [
  `# S3 backup and restore, Coffer vs restic (${date})`,
  '',
  `Command: \`node --import tsx bench/s3-backup.ts --size-mb ${sizeMb} --small-files ${smallFiles} --runs ${runs}\``,
  `Endpoint: one moto server on 127.0.0.1 for both tools; a fresh repository per run and tool. Medians of ${runs} runs; load average ${loadBefore.map((l) => l.toFixed(1)).join(' ')} before, ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} after.`,
  '',
  ...(failures.length === 0 ? [] : ['**FAILURES**', '', ...failures.map((f) => `- ${f}`), '']),
  ...markdownTable(['step', 'metric', 'Coffer', 'restic', 'Coffer / restic'], rows),
  '',
].join('\n');
process.stdout.write(`\n${report}`);
if (!existsSync(values.results)) mkdirSync(values.results, { recursive: true });
let file = join(values.results, `s3-backup-${date}.md`);
for (let n = 2; existsSync(file); n++) file = join(values.results, `s3-backup-${date}-${n}.md`);
writeFileSync(file, report);
if (values.work === undefined) rmSync(work, { recursive: true, force: true });
process.exit(failures.length === 0 ? 0 : 1);
