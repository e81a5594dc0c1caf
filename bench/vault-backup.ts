/**
 * bench/vault-backup.ts: side-by-side benchmark of restic, borg and Coffer on one data set.
 *
 * For each run, each part of the data set (the whole tree, then each part's directory alone) and
 * each tool (tool order rotates between runs): reset the data set to its
 * original state and read it once (warm page cache), init a fresh repository, then time
 *   first backup -> unchanged re-run -> apply the 1% change -> backup -> restore latest,
 * each under GNU time (wall seconds, peak RSS). Then measure the repository and local cache
 * sizes and check that the restored tree is byte-identical to the source. Medians over runs go
 * to stdout and to bench/results/vault-backup-<date>.md. See bench/README.md.
 *
 *   node --import tsx bench/vault-backup.ts --size-mb 1024 --runs 3
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { DatasetOptions, DatasetPlan, PartName } from './dataset.js';
import { DEFAULT_SMALL_FILES, defaultSizeMb, ensureVariant, MiB, PARTS, removeDataset, summarize } from './dataset.js';
import type { Command } from './lib/proc.js';
import { GNU_TIME, killRunning, run, tail, timed } from './lib/proc.js';
import type { ReportInput, RunResult, StepName } from './lib/report.js';
import { renderReport } from './lib/report.js';
import type { Tool, ToolContext, ToolName } from './lib/tools.js';
import { borg, coffer, restic, TOOL_NAMES } from './lib/tools.js';
import type { Manifest } from './lib/tree.js';
import { compareManifests, describeComparison, identical, manifest, treeBytes } from './lib/tree.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT_DIR = dirname(BENCH_DIR);
const PASSWORD = 'coffer-bench-password';

interface Options {
  readonly dataset: DatasetOptions;
  readonly runs: number;
  readonly work?: string;
  readonly keep: boolean;
  readonly dropCaches: boolean;
  readonly tools: readonly ToolName[];
  readonly borgCompression: string;
  readonly cofferBin: string;
  readonly resultsDir: string;
  readonly stepTimeoutS: number;
  readonly parts: readonly Part[];
}

/** What one sequence backs up: the whole data set or one part's directory. */
type Part = 'whole' | PartName;
const ALL_PARTS: readonly Part[] = ['whole', ...(Object.keys(PARTS) as PartName[])];

const USAGE = `usage: node --import tsx bench/vault-backup.ts [options]
  --size-mb N            data set size in MiB (default $COFFER_BENCH_SIZE_MB or 1024)
  --small-files N        at least N small files in the small part (default ${DEFAULT_SMALL_FILES})
  --parts LIST           comma-separated subset of ${ALL_PARTS.join(',')} (default all)
  --runs N               repetitions, medians reported (default 3)
  --seed S               data set seed (default coffer)
  --tools LIST           comma-separated subset of restic,borg,coffer (default all)
  --work DIR             work directory (default a new dir under ${tmpdir()})
  --keep                 keep the work directory (data set, repos, logs)
  --drop-caches          sync and drop the page cache before every timed step (root only)
  --borg-compression C   borg --compression (default lz4, borg's default; try zstd,3)
  --coffer PATH          Coffer CLI (default bin/coffer)
  --results DIR          where the report is written (default bench/results)
  --step-timeout-s N     kill a step after N seconds (default 3600)`;

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      'size-mb': { type: 'string' },
      runs: { type: 'string', default: '3' },
      seed: { type: 'string', default: 'coffer' },
      tools: { type: 'string', default: TOOL_NAMES.join(',') },
      work: { type: 'string' },
      keep: { type: 'boolean', default: false },
      'drop-caches': { type: 'boolean', default: false },
      'borg-compression': { type: 'string', default: 'lz4' },
      coffer: { type: 'string' },
      results: { type: 'string' },
      'step-timeout-s': { type: 'string', default: '3600' },
      'small-files': { type: 'string', default: String(DEFAULT_SMALL_FILES) },
      parts: { type: 'string', default: ALL_PARTS.join(',') },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const tools = values.tools
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const parts = values.parts
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const unknown = [
    ...tools.filter((t) => !(TOOL_NAMES as readonly string[]).includes(t)),
    ...parts.filter((p) => !(ALL_PARTS as readonly string[]).includes(p)),
  ];
  const smallFiles = Number(values['small-files']);
  const sizeMb = Number(values['size-mb'] ?? defaultSizeMb());
  const runs = Number(values.runs);
  if (unknown.length || !(sizeMb > 0) || !Number.isInteger(runs) || runs < 1 || !Number.isInteger(smallFiles) || parts.length === 0) {
    throw new Error(`bad options (${unknown.length ? `unknown tools or parts ${unknown.join(',')}` : 'size/runs/small-files/parts'})\n${USAGE}`);
  }
  return {
    dataset: { sizeMb, seed: values.seed, smallFiles },
    runs,
    parts: parts as Part[],
    keep: values.keep,
    dropCaches: values['drop-caches'],
    tools: tools as ToolName[],
    borgCompression: values['borg-compression'],
    cofferBin: resolve(values.coffer ?? join(ROOT_DIR, 'bin', 'coffer')),
    resultsDir: resolve(values.results ?? join(BENCH_DIR, 'results')),
    stepTimeoutS: Number(values['step-timeout-s']),
    ...(values.work ? { work: resolve(values.work) } : {}),
  };
}

function log(msg: string): void {
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);
}

function loud(msg: string): void {
  console.error(`\x1b[1;31m!!! FAILURE: ${msg}\x1b[0m`);
}

// --------------------------------------------------------------------------------------------
// Page cache
// --------------------------------------------------------------------------------------------

let dropCachesWorks = true;

/** sync + drop the page cache; disables itself (with a warning) where the kernel refuses. */
async function dropCaches(opts: Options, logFile: string): Promise<void> {
  if (!opts.dropCaches || !dropCachesWorks) return;
  await run({ argv: ['sync'], env: process.env }, logFile);
  try {
    writeFileSync('/proc/sys/vm/drop_caches', '3\n');
  } catch (err) {
    dropCachesWorks = false;
    log(`--drop-caches: cannot write /proc/sys/vm/drop_caches (${(err as Error).message}); running with warm caches`);
  }
}

/** Reads every file of the data set once (cat > /dev/null) so all tools start with it cached. */
async function warmCache(dataDir: string, logFile: string): Promise<void> {
  const script = 'find "$1" -type f -exec cat {} + > /dev/null';
  await run({ argv: ['sh', '-c', script, 'warm', dataDir], env: process.env }, logFile);
}

// --------------------------------------------------------------------------------------------
// One tool, one run
// --------------------------------------------------------------------------------------------

interface Bench {
  readonly opts: Options;
  readonly work: string;
  readonly dataDir: string;
  readonly passwordFile: string;
  /** sha256 manifests of the changed data set, per part: what every restore must reproduce. */
  readonly expected: Map<Part, Manifest>;
}

function sourceOf(bench: Bench, part: Part): string {
  return part === 'whole' ? bench.dataDir : join(bench.dataDir, PARTS[part]);
}

interface RunDirs extends ToolContext {
  readonly dir: string;
  readonly restoreDir: string;
  readonly logFile: string;
}

function runDirs(bench: Bench, tool: ToolName, runNo: number, part: Part): RunDirs {
  const dir = join(bench.work, 'runs', `${runNo}-${part}-${tool}`);
  rmSync(dir, { recursive: true, force: true });
  const d = {
    dir,
    repo: join(dir, 'repo'),
    home: join(dir, 'home'),
    restoreDir: join(dir, 'restore'),
    logFile: join(dir, 'output.log'),
    passwordFile: bench.passwordFile,
  };
  mkdirSync(d.home, { recursive: true });
  return d;
}

/** A tool command failed: `message` is one line, `details` the end of its output. */
class StepFailed extends Error {
  constructor(
    what: string,
    code: number,
    readonly details: string,
  ) {
    super(`${what} exited ${code}: ${details.split('\n').filter(Boolean).pop() ?? '(no output)'}`);
  }
}

async function timedStep(bench: Bench, d: RunDirs, result: RunResult, name: StepName, cmd: Command): Promise<void> {
  await dropCaches(bench.opts, d.logFile);
  writeFileSync(d.logFile, `\n=== ${name}: ${cmd.argv.join(' ')}\n`, { flag: 'a' });
  const m = await timed(cmd, d.logFile, bench.opts.stepTimeoutS);
  if (m.exitCode !== 0) throw new StepFailed(name, m.exitCode, tail(d.logFile));
  result.steps[name] = { seconds: m.seconds, rssKb: m.maxRssKb, cpuS: m.userS + m.sysS };
  log(
    `${result.tool} run ${result.run} ${result.part}: ${name} ${m.seconds.toFixed(2)} s, cpu ${(m.userS + m.sysS).toFixed(2)} s, peak RSS ${(m.maxRssKb / 1024).toFixed(0)} MiB`,
  );
}

/** Where a restore put the data set: `<target>/<absolute source path>` (restic, borg) or nearby. */
function restoredRoot(target: string, source: string): string {
  const candidates = [join(target, source), join(target, source.split('/').pop()!), target];
  return candidates.find((c) => existsSync(c) && statSync(c).isDirectory()) ?? target;
}

async function verifyRestore(bench: Bench, d: RunDirs, result: RunResult, part: Part): Promise<void> {
  const source = sourceOf(bench, part);
  let expected = bench.expected.get(part);
  if (!expected) bench.expected.set(part, (expected = await manifest(source)));
  const cmp = compareManifests(expected, await manifest(restoredRoot(d.restoreDir, source)));
  result.verified = identical(cmp);
  result.verifyDetail = describeComparison(cmp);
  if (!result.verified) loud(`${result.tool} run ${result.run}: restore is NOT byte-identical: ${result.verifyDetail}`);
  else log(`${result.tool} run ${result.run}: restore verified (${result.verifyDetail})`);
}

async function sequence(bench: Bench, tool: Tool, runNo: number, result: RunResult): Promise<void> {
  const part = result.part as Part;
  const d = runDirs(bench, tool.name, runNo, part);
  const data = sourceOf(bench, part);
  ensureVariant(bench.dataDir, bench.opts.dataset, 'original');
  await warmCache(data, d.logFile);
  const init = tool.init(d);
  writeFileSync(d.logFile, `=== init: ${init.argv.join(' ')}\n`);
  const code = await run(init, d.logFile, bench.opts.stepTimeoutS);
  if (code !== 0) throw new StepFailed('init', code, tail(d.logFile));
  await timedStep(bench, d, result, 'first', tool.backup(d, data, 'first'));
  result.repoBytesFirst = await treeBytes(d.repo);
  await timedStep(bench, d, result, 'unchanged', tool.backup(d, data, 'unchanged'));
  ensureVariant(bench.dataDir, bench.opts.dataset, 'changed');
  await timedStep(bench, d, result, 'changed', tool.backup(d, data, 'changed'));
  result.repoBytes = await treeBytes(d.repo);
  result.cacheBytes = await treeBytes(d.home);
  mkdirSync(d.restoreDir);
  await timedStep(bench, d, result, 'restore', tool.restore(d, d.restoreDir, 'changed'));
  await verifyRestore(bench, d, result, part);
  rmSync(d.restoreDir, { recursive: true, force: true });
  if (!bench.opts.keep) rmSync(d.dir, { recursive: true, force: true });
}

async function runTool(bench: Bench, tool: Tool, runNo: number, part: Part, failures: string[]): Promise<RunResult> {
  const result: RunResult = { tool: tool.name, run: runNo, part, steps: {} };
  log(`${tool.name} run ${runNo} ${part}: start`);
  try {
    await sequence(bench, tool, runNo, result);
  } catch (err) {
    result.error = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    const details = err instanceof StepFailed ? err.details : String((err as Error).stack ?? err);
    loud(`${tool.name} run ${runNo} ${part}: ${result.error}\n${details}`);
    failures.push(`${tool.name} run ${runNo} ${part}: ${result.error}`);
  }
  if (result.verified === false) failures.push(`${tool.name} run ${runNo} ${part}: restore differs: ${result.verifyDetail}`);
  return result;
}

// --------------------------------------------------------------------------------------------
// Setup, report, main
// --------------------------------------------------------------------------------------------

function makeTools(opts: Options): Tool[] {
  const all: Record<ToolName, () => Tool> = {
    restic: () => restic(),
    borg: () => borg(opts.borgCompression),
    coffer: () => coffer(opts.cofferBin),
  };
  return opts.tools.map((t) => all[t]());
}

/** Tools that can run, their versions, and why the others are skipped. */
async function probeTools(opts: Options): Promise<{ tools: Tool[]; versions: ReportInput['versions']; skipped: ReportInput['skipped'] }> {
  const tools: Tool[] = [];
  const versions: ReportInput['versions'] = {};
  const skipped: ReportInput['skipped'] = {};
  for (const name of TOOL_NAMES) if (!opts.tools.includes(name)) skipped[name] = 'not selected (--tools)';
  for (const tool of makeTools(opts)) {
    const why = await tool.unavailable();
    if (why) {
      skipped[tool.name] = why;
      log(`skipping ${tool.name}: ${why}`);
      continue;
    }
    tools.push(tool);
    versions[tool.name] = await tool.version();
  }
  return { tools, versions, skipped };
}

function environment(work: string, loadAtStart: string): string[] {
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? 'unknown CPU';
  return [
    `${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Linux ${release()}, Node ${process.version}`,
    `work directory ${work} (${filesystemOf(work)})`,
    `machine load before: ${loadAtStart}; after: ${machineLoad()} (other processes competing for CPU skew the numbers)`,
  ];
}

/** Load averages and, where the kernel has PSI, the share of time tasks waited for a CPU. */
function machineLoad(): string {
  const load = `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;
  try {
    const some = readFileSync('/proc/pressure/cpu', 'utf8').match(/some avg10=([\d.]+) avg60=([\d.]+)/);
    return some ? `${load}, CPU pressure ${some[1]}% (10 s) ${some[2]}% (60 s)` : load;
  } catch {
    return load;
  }
}

/** The mount (device and type) that holds `path`, from /proc/mounts. */
function filesystemOf(path: string): string {
  let best = { point: '', text: 'unknown filesystem' };
  for (const line of readFileSync('/proc/mounts', 'utf8').split('\n')) {
    const [dev, point, type] = line.split(' ');
    if (!point || !type) continue;
    const covers = path === point || path.startsWith(point.endsWith('/') ? point : `${point}/`);
    if (covers && point.length >= best.point.length) best = { point, text: `${type} on ${dev}, mounted at ${point}` };
  }
  return best.text;
}

function datasetLines(plan: DatasetPlan, dataDir: string, generateS: number): string[] {
  const s = summarize(plan);
  const m = (b: number): string => `${(b / MiB).toFixed(1)} MiB`;
  const c = s.byCategory;
  return [
    `${dataDir}: ${s.files} files, ${m(s.bytes)} (seed "${plan.options.seed}", --size-mb ${plan.options.sizeMb}; prepared in ${generateS.toFixed(1)} s)`,
    `random ${c.random.files} files ${m(c.random.bytes)}; text ${c.text.files} files ${m(c.text.bytes)}; `
      + `duplicates ${c.copy.files} files ${m(c.copy.bytes)}; small-file tree ${c.small.files} files ${m(c.small.bytes)}`,
    `1% change: ${m(s.change.overwritten)} overwritten in place, ${m(s.change.appended)} appended, `
      + `${m(s.change.rewritten)} of small files rewritten, ${s.change.touched} small files touched (mtime only); `
      + `${s.change.files} files in all`,
  ];
}

function partLine(plan: DatasetPlan, part: Part): string {
  const dir = part === 'whole' ? '' : `${PARTS[part]}/`;
  const files = plan.files.filter((f) => f.path.startsWith(dir));
  const bytes = files.reduce((n, f) => n + f.size, 0);
  return `${part === 'whole' ? 'the whole data set' : `\`${dir}\` alone`}: ${files.length} files, ${(bytes / MiB).toFixed(1)} MiB.`;
}

function notes(opts: Options): string[] {
  return [
    'Times are wall-clock seconds and peak RSS is GNU time %M (largest single process), medians over runs.',
    'restic: repository version 2, compression "auto" (zstd, about level 3). '
      + `borg: repokey-blake2 encryption, --compression ${opts.borgCompression}`
      + (opts.borgCompression === 'lz4' ? " (borg's default; use --borg-compression zstd,3 to match restic's level)." : '.'),
    'Every tool backs up the same absolute path; each run uses a fresh repository and a fresh HOME/cache dir.',
    opts.dropCaches && dropCachesWorks
      ? 'Page cache dropped (sync; echo 3 > drop_caches) before every timed step.'
      : "Warm page cache: the data set is read once (cat > /dev/null) before each tool's first backup.",
    'Repository and cache sizes are apparent sizes (sum of file sizes, like du -sb).',
    '"restore byte-identical" compares a sha256 manifest of the restored tree with the changed data set.',
  ];
}

function saveReport(dir: string, text: string): string {
  mkdirSync(dir, { recursive: true });
  const date = new Date().toISOString().slice(0, 10);
  let file = join(dir, `vault-backup-${date}.md`);
  for (let i = 2; existsSync(file); i++) file = join(dir, `vault-backup-${date}-${i}.md`);
  writeFileSync(file, text);
  return file;
}

function prepareWork(opts: Options): { work: string; created: boolean } {
  if (!opts.work) return { work: mkdtempSync(join(tmpdir(), 'coffer-bench-')), created: true };
  const created = !existsSync(opts.work);
  mkdirSync(opts.work, { recursive: true });
  return { work: opts.work, created };
}

function cleanup(bench: Bench, created: boolean): void {
  if (bench.opts.keep) {
    log(`kept ${bench.work}`);
    return;
  }
  if (created) {
    rmSync(bench.work, { recursive: true, force: true });
    return;
  }
  removeDataset(bench.dataDir);
  rmSync(join(bench.work, 'runs'), { recursive: true, force: true });
  rmSync(bench.passwordFile, { force: true });
}

async function main(): Promise<number> {
  const opts = parseOptions();
  if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} (GNU time) is required`);
  const { work, created } = prepareWork(opts);
  const bench: Bench = { opts, work, dataDir: join(work, 'data'), passwordFile: join(work, 'password'), expected: new Map() };
  process.on('SIGINT', () => {
    killRunning();
    cleanup(bench, created);
    process.exit(130);
  });
  try {
    return await benchmark(bench);
  } finally {
    cleanup(bench, created);
  }
}

async function benchmark(bench: Bench): Promise<number> {
  const { opts } = bench;
  const loadAtStart = machineLoad();
  writeFileSync(bench.passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  const { tools, versions, skipped } = await probeTools(opts);
  log(`preparing ${opts.dataset.sizeMb} MiB data set in ${bench.dataDir}`);
  const started = performance.now();
  const plan = ensureVariant(bench.dataDir, opts.dataset, 'original');
  const generateS = (performance.now() - started) / 1000;
  const failures: string[] = [];
  const results: RunResult[] = [];
  for (let r = 1; r <= opts.runs; r++) {
    const order = tools.map((_, i) => tools[(i + r - 1) % tools.length]!);
    for (const part of opts.parts) for (const tool of order) results.push(await runTool(bench, tool, r, part, failures));
  }
  const report = renderReport({
    title: `Vault backup benchmark, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    command: `node --import tsx bench/vault-backup.ts ${process.argv.slice(2).join(' ')}`.trim(),
    environment: environment(bench.work, loadAtStart),
    dataset: datasetLines(plan, bench.dataDir, generateS),
    notes: notes(opts),
    versions,
    skipped,
    runs: opts.runs,
    results,
    failures,
    parts: opts.parts.map((p) => ({ name: p, description: partLine(plan, p) })),
  });
  console.log(report);
  log(`report written to ${saveReport(opts.resultsDir, report)}`);
  if (failures.length) loud(`${failures.length} failure(s); see the report`);
  return failures.length ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 2;
  },
);
