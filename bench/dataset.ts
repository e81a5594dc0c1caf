/**
 * bench/dataset.ts: the deterministic benchmark data set (no network, no randomness from the
 * host). A plan is a pure function of (size, seed); writing it fills a directory with:
 *   ~35% incompressible files (1 MiB .. 200 MiB) under media/, ~35% text-like compressible files
 *   (logs, CSV, prose; ~3-3.5x with zstd -3) under documents/, ~15% exact duplicates of earlier
 *   files under other names in old-backups/, and a nested tree of many small files under src/
 *   (1 .. 30 KiB, ~10 KiB on average, half text-like; at least 20,000 of them, whatever the size).
 * Each part lives in its own top-level directory (PARTS), so it can be backed up alone.
 * File contents come from AES-256-CTR keystreams (see lib/rng.ts); mtimes are fixed too.
 *
 * The "1% changed" variant overwrites ranges inside a few large files, appends to a few, rewrites
 * some small files and touches the mtimes of others: about 1% of the bytes. It can be reverted,
 * by regenerating exactly the files it touched, so every tool starts from the same bytes.
 *
 * CLI: node --import tsx bench/dataset.ts --out DIR [--size-mb 1024] [--small-files N] [--seed S] [--change|--revert]
 */
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Rng } from './lib/rng.js';
import { TEXT_KINDS, TextStream, Vocabulary } from './lib/text.js';
import type { TextKind } from './lib/text.js';

export const MiB = 1024 * 1024;
const KiB = 1024;
const CHUNK = 4 * MiB;
const BASE_MTIME = Date.UTC(2024, 5, 1) / 1000;
const DAY = 86_400;

export interface DatasetOptions {
  readonly sizeMb: number;
  readonly seed: string;
  /** Least number of small files (default 20,000): the small part gets at least this many. */
  readonly smallFiles?: number;
}

export const DEFAULT_SMALL_FILES = 20_000;

/** The parts of the data set: each one top-level directory of it. */
export const PARTS = { small: 'src', text: 'documents', random: 'media', duplicates: 'old-backups' } as const;
export type PartName = keyof typeof PARTS;

export type Category = 'random' | 'text' | 'copy' | 'small';

/** One file of the plan. `content` says how its bytes are made; copies name their source. */
export interface FileSpec {
  readonly path: string;
  readonly size: number;
  readonly mtime: number;
  readonly category: Category;
  readonly content: Content;
}

type Content =
  | { readonly type: 'random'; readonly stream: string }
  | { readonly type: 'text'; readonly kind: TextKind; readonly stream: string }
  | { readonly type: 'copy'; readonly source: string };

export interface DatasetPlan {
  readonly options: DatasetOptions;
  readonly files: readonly FileSpec[];
  readonly emptyDirs: readonly string[];
}

export type ChangeOp =
  | { readonly op: 'overwrite'; readonly path: string; readonly offset: number; readonly length: number }
  | { readonly op: 'append'; readonly path: string; readonly length: number }
  | { readonly op: 'rewrite'; readonly path: string }
  | { readonly op: 'touch'; readonly path: string };

// ---------------------------------------------------------------------------------------------
// Planning (pure)
// ---------------------------------------------------------------------------------------------

/** The whole data set as a list of file specs: a pure function of the options. */
export function planDataset(options: DatasetOptions): DatasetPlan {
  const rng = new Rng(`dataset/${options.seed}/${options.sizeMb}`);
  const total = Math.round(options.sizeMb * MiB);
  const files: FileSpec[] = [];
  const add = (path: string, size: number, category: Category, content: Content): void => {
    files.push({ path, size, category, content, mtime: BASE_MTIME + files.length * 37 });
  };
  planRandom(rng.fork('random'), Math.round(total * 0.35), add);
  planText(rng.fork('text'), Math.round(total * 0.35), add);
  planCopies(rng.fork('copy'), Math.round(total * 0.15), [...files], add);
  const emptyDirs = planSmall(rng.fork('small'), Math.round(total * 0.15), options.smallFiles ?? DEFAULT_SMALL_FILES, add);
  return { options, files, emptyDirs };
}

type Add = (path: string, size: number, category: Category, content: Content) => void;

/** Sizes that sum to `budget`: the first about `firstShare` of it, the rest log-uniform. */
function splitSizes(rng: Rng, budget: number, min: number, max: number, firstShare: number): number[] {
  const sizes: number[] = [];
  let left = budget;
  while (left > 0) {
    const cap = Math.min(max, left);
    let size = sizes.length === 0 ? Math.min(cap, Math.round(budget * firstShare)) : rng.logUniform(min, cap);
    if (left - size < min) size = left;
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

function planRandom(rng: Rng, budget: number, add: Add): void {
  const names = ['disk', 'photos', 'archive', 'video', 'db-dump', 'blob'];
  splitSizes(rng, budget, MiB, 200 * MiB, 0.55).forEach((size, i) => {
    const name = `${names[i % names.length]}-${pad(i, 3)}.bin`;
    add(`media/${name}`, size, 'random', { type: 'random', stream: `random-${i}` });
  });
}

function planText(rng: Rng, budget: number, add: Add): void {
  const where: Record<TextKind, string> = { log: 'documents/logs/app', csv: 'documents/exports/table', prose: 'documents/notes/note' };
  const ext: Record<TextKind, string> = { log: 'log', csv: 'csv', prose: 'txt' };
  splitSizes(rng, budget, 16 * KiB, 100 * MiB, 0.3).forEach((size, i) => {
    const kind = TEXT_KINDS[i % TEXT_KINDS.length]!;
    add(`${where[kind]}-${pad(i, 3)}.${ext[kind]}`, size, 'text', { type: 'text', kind, stream: `text-${i}` });
  });
}

function planCopies(rng: Rng, budget: number, sources: FileSpec[], add: Add): void {
  let left = budget;
  const unused = [...sources];
  for (let i = 0; left > 0; i++) {
    const fitting = unused.filter((f) => f.size <= left);
    if (fitting.length === 0) break;
    const src = rng.pick(fitting);
    unused.splice(unused.indexOf(src), 1);
    const base = src.path.split('/').pop()!;
    add(`old-backups/set-${i % 4}/copy-of-${base}`, src.size, 'copy', { type: 'copy', source: src.path });
    left -= src.size;
  }
}

/**
 * Many small files (1 .. 30 KiB, skewed small: ~10.7 KiB on average) in nested directories: at
 * least `minFiles`, more when the budget asks for more. Returns the empty directories it also wants.
 */
function planSmall(rng: Rng, budget: number, minFiles: number, add: Add): string[] {
  const exts = ['json', 'c', 'md', 'dat', 'ts', 'yml', 'png', 'o'];
  let left = budget;
  for (let i = 0; left > 0 || i < minFiles; i++) {
    const size = KiB + Math.floor(rng.float() ** 2 * 29 * KiB);
    const dir = smallDir(Math.floor(i / 24));
    const ext = exts[i % exts.length]!;
    const content: Content =
      i % 2 === 0 || ext === 'png' || ext === 'o'
        ? { type: 'random', stream: `small-${i}` }
        : { type: 'text', kind: TEXT_KINDS[i % TEXT_KINDS.length]!, stream: `small-${i}` };
    add(`${dir}/f${pad(i, 5)}.${ext}`, size, 'small', content);
    left -= size;
  }
  return Array.from({ length: 8 }, (_, i) => `${smallDir(i * 7)}/empty-${i}${i % 2 ? '/nested' : ''}`);
}

/** Directory of the k-th group of small files: 1 to 3 levels below `src/`. */
function smallDir(k: number): string {
  const parts = [`mod${pad(k % 16, 2)}`, `pkg${pad(Math.floor(k / 16) % 10, 2)}`, `lib${Math.floor(k / 160)}`];
  return ['src', ...parts.slice(0, 1 + (k % 3))].join('/');
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** About 1% of the bytes: which ranges, appends, rewrites and touches make the changed variant. */
export function planChange(plan: DatasetPlan): ChangeOp[] {
  const rng = new Rng(`change/${plan.options.seed}/${plan.options.sizeMb}`);
  const total = totalBytes(plan);
  const big = plan.files
    .filter((f) => f.category === 'random' || f.category === 'text')
    .sort((a, b) => b.size - a.size)
    .slice(0, 8);
  const small = plan.files.filter((f) => f.category === 'small' && f.size > 0);
  const ops: ChangeOp[] = [];
  overwriteOps(rng, pickDistinct(rng, big, 4), Math.round(total * 0.006), ops);
  appendOps(rng, plan, Math.round(total * 0.003), ops);
  let rewrite = Math.round(total * 0.001);
  for (const f of pickDistinct(rng, small, small.length)) {
    if (rewrite <= 0) break;
    ops.push({ op: 'rewrite', path: f.path });
    rewrite -= f.size;
  }
  const changed = new Set(ops.map((o) => o.path));
  const touchable = small.filter((f) => !changed.has(f.path));
  for (const f of pickDistinct(rng, touchable, Math.ceil(small.length / 100))) ops.push({ op: 'touch', path: f.path });
  return ops;
}

function overwriteOps(rng: Rng, files: FileSpec[], budget: number, ops: ChangeOp[]): void {
  for (const f of files) {
    const ranges = rng.int(2, 5);
    const length = Math.max(1, Math.min(Math.floor(budget / files.length / ranges), f.size));
    for (let r = 0; r < ranges; r++) {
      ops.push({ op: 'overwrite', path: f.path, offset: rng.int(0, f.size - length + 1), length });
    }
  }
}

function appendOps(rng: Rng, plan: DatasetPlan, budget: number, ops: ChangeOp[]): void {
  const texts = plan.files.filter((f) => f.category === 'text' && f.content.type === 'text' && f.content.kind !== 'csv');
  const randoms = plan.files.filter((f) => f.category === 'random');
  const targets = [...pickDistinct(rng, texts, 2), ...pickDistinct(rng, randoms, 1)];
  for (const f of targets) ops.push({ op: 'append', path: f.path, length: Math.round(budget / targets.length) });
}

function pickDistinct<T>(rng: Rng, items: readonly T[], n: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < n && pool.length > 0) out.push(pool.splice(rng.int(0, pool.length), 1)[0]!);
  return out;
}

export function totalBytes(plan: DatasetPlan): number {
  return plan.files.reduce((sum, f) => sum + f.size, 0);
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

/** Writes file contents; shares the vocabulary across all text streams of one data set. */
class Writer {
  private readonly root: Rng;
  private readonly vocab: Vocabulary;
  private readonly specs: Map<string, FileSpec>;
  private readonly madeDirs = new Set<string>();

  constructor(
    readonly dir: string,
    readonly plan: DatasetPlan,
  ) {
    this.root = new Rng(`content/${plan.options.seed}`);
    this.vocab = new Vocabulary(this.root.fork('vocab'));
    this.specs = new Map(plan.files.map((f) => [f.path, f]));
  }

  spec(path: string): FileSpec {
    const spec = this.specs.get(path);
    if (!spec) throw new Error(`no such file in the data set plan: ${path}`);
    return spec;
  }

  /** Writes one file from its spec (copies by kernel copy when the source is pristine). */
  writeFile(spec: FileSpec, sourcePristine = false): void {
    const target = join(this.dir, spec.path);
    this.mkdir(dirname(target));
    if (spec.content.type === 'copy' && sourcePristine) {
      copyFileSync(join(this.dir, spec.content.source), target);
    } else {
      const fd = openSync(target, 'w');
      try {
        this.fill(fd, this.origin(spec), 0, spec.size);
      } finally {
        closeSync(fd);
      }
    }
    utimesSync(target, spec.mtime, spec.mtime);
  }

  /** Writes `length` bytes of the file's kind of content at `offset`, from stream `label`. */
  fill(fd: number, spec: FileSpec, offset: number, length: number, label?: string): void {
    const source = this.stream(spec, label);
    for (let done = 0; done < length; ) {
      const chunk = source(Math.min(CHUNK, length - done));
      writeSync(fd, chunk, 0, Math.min(chunk.length, length - done), offset + done);
      done += chunk.length;
    }
  }

  private stream(spec: FileSpec, label?: string): (max: number) => Uint8Array {
    const c = spec.content;
    if (c.type === 'copy') throw new Error('copies have no stream of their own');
    const rng = this.root.fork(label ?? c.stream);
    if (c.type === 'random') return (max) => rng.bytes(max);
    const text = new TextStream(c.kind, rng, this.vocab);
    return (max) => text.next(max);
  }

  /** The spec whose content a copy repeats (or the spec itself). */
  origin(spec: FileSpec): FileSpec {
    return spec.content.type === 'copy' ? this.spec(spec.content.source) : spec;
  }

  mkdir(dir: string): void {
    if (this.madeDirs.has(dir)) return;
    mkdirSync(dir, { recursive: true });
    this.madeDirs.add(dir);
  }
}

/** Writes the whole data set into `dir` (which must not exist or be empty). */
export function writeDataset(dir: string, plan: DatasetPlan): void {
  const w = new Writer(dir, plan);
  mkdirSync(dir, { recursive: true });
  for (const spec of plan.files) w.writeFile(spec, true);
  for (const d of plan.emptyDirs) mkdirSync(join(dir, d), { recursive: true });
}

/** Applies the "1% changed" variant in place. */
export function applyChange(dir: string, plan: DatasetPlan, ops: readonly ChangeOp[]): void {
  const w = new Writer(dir, plan);
  ops.forEach((op, i) => applyOp(w, op, i));
}

function applyOp(w: Writer, op: ChangeOp, i: number): void {
  const spec = w.spec(op.path);
  const target = join(w.dir, op.path);
  const label = `change-${i}`;
  if (op.op === 'rewrite') {
    const fd = openSync(target, 'w');
    try {
      w.fill(fd, w.origin(spec), 0, spec.size, label);
    } finally {
      closeSync(fd);
    }
  } else if (op.op !== 'touch') {
    const fd = openSync(target, 'r+');
    try {
      const at = op.op === 'overwrite' ? op.offset : statSync(target).size;
      w.fill(fd, w.origin(spec), at, op.length, label);
    } finally {
      closeSync(fd);
    }
  }
  utimesSync(target, spec.mtime + DAY, spec.mtime + DAY);
}

/** Undoes `applyChange` by regenerating every file it touched. */
export function revertChange(dir: string, plan: DatasetPlan, ops: readonly ChangeOp[]): void {
  const w = new Writer(dir, plan);
  for (const path of new Set(ops.map((o) => o.path))) w.writeFile(w.spec(path));
}

// ---------------------------------------------------------------------------------------------
// State: a stamp file beside the directory says which variant it holds
// ---------------------------------------------------------------------------------------------

type State = 'original' | 'changed' | 'dirty';
interface Stamp {
  readonly fingerprint: string;
  readonly state: State;
}

/** Bump when the content generators change, so stale data sets are regenerated. */
const GENERATOR_VERSION = 2;

/** Identifies the exact bytes a plan produces: options, file list and change ops. */
function fingerprint(plan: DatasetPlan, ops: readonly ChangeOp[]): string {
  return createHash('sha256')
    .update(JSON.stringify({ v: GENERATOR_VERSION, plan, ops }))
    .digest('hex');
}

const stampPath = (dir: string): string => `${resolve(dir)}.dataset.json`;

function readStamp(dir: string): Stamp | undefined {
  try {
    return JSON.parse(readFileSync(stampPath(dir), 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
}

function writeStamp(dir: string, fp: string, state: State): void {
  writeFileSync(stampPath(dir), JSON.stringify({ fingerprint: fp, state }));
}

/** Makes `dir` hold the requested variant: reuses, reverts, changes or (re)generates as needed. */
export function ensureVariant(dir: string, options: DatasetOptions, variant: 'original' | 'changed'): DatasetPlan {
  const plan = planDataset(options);
  const ops = planChange(plan);
  const fp = fingerprint(plan, ops);
  const stamp = readStamp(dir);
  const usable = stamp && stamp.fingerprint === fp && stamp.state !== 'dirty' && existsSync(dir);
  if (usable && stamp.state === variant) return plan;
  writeStamp(dir, fp, 'dirty');
  if (!usable) {
    rmSync(dir, { recursive: true, force: true });
    writeDataset(dir, plan);
  } else if (variant === 'original') {
    revertChange(dir, plan, ops);
  }
  if (variant === 'changed' && !(usable && stamp.state === 'changed')) applyChange(dir, plan, ops);
  writeStamp(dir, fp, variant);
  return plan;
}

/** Removes the data set and its stamp. */
export function removeDataset(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  rmSync(stampPath(dir), { force: true });
}

// ---------------------------------------------------------------------------------------------
// Summaries and CLI
// ---------------------------------------------------------------------------------------------

export interface DatasetSummary {
  readonly files: number;
  readonly bytes: number;
  readonly byCategory: Record<Category, { files: number; bytes: number }>;
  readonly change: { overwritten: number; appended: number; rewritten: number; touched: number; files: number };
}

export function summarize(plan: DatasetPlan): DatasetSummary {
  const byCategory = { random: zero(), text: zero(), copy: zero(), small: zero() };
  for (const f of plan.files) {
    byCategory[f.category].files++;
    byCategory[f.category].bytes += f.size;
  }
  const specs = new Map(plan.files.map((f) => [f.path, f]));
  const ops = planChange(plan);
  const sum = (kind: ChangeOp['op']): number =>
    ops.reduce((s, o) => s + (o.op !== kind ? 0 : o.op === 'overwrite' || o.op === 'append' ? o.length : o.op === 'rewrite' ? specs.get(o.path)!.size : 1), 0);
  return {
    files: plan.files.length,
    bytes: totalBytes(plan),
    byCategory,
    change: {
      overwritten: sum('overwrite'),
      appended: sum('append'),
      rewritten: sum('rewrite'),
      touched: sum('touch'),
      files: new Set(ops.map((o) => o.path)).size,
    },
  };
}

function zero(): { files: number; bytes: number } {
  return { files: 0, bytes: 0 };
}

export function defaultSizeMb(): number {
  return Number(process.env['COFFER_BENCH_SIZE_MB'] ?? 1024);
}

function main(): void {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      'size-mb': { type: 'string' },
      seed: { type: 'string', default: 'coffer' },
      'small-files': { type: 'string' },
      change: { type: 'boolean', default: false },
      revert: { type: 'boolean', default: false },
    },
  });
  if (!values.out) throw new Error('usage: dataset.ts --out DIR [--size-mb N] [--small-files N] [--seed S] [--change|--revert]');
  const options = {
    sizeMb: Number(values['size-mb'] ?? defaultSizeMb()),
    seed: values.seed,
    smallFiles: Number(values['small-files'] ?? DEFAULT_SMALL_FILES),
  };
  const started = performance.now();
  const plan = ensureVariant(values.out, options, values.change ? 'changed' : 'original');
  const s = summarize(plan);
  console.log(JSON.stringify({ dir: resolve(values.out), seconds: (performance.now() - started) / 1000, ...s }, null, 2));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
