/**
 * bench/lib/report.ts: turns per-run measurements into the Markdown report: a main table of
 * medians (rows = steps, columns = restic, borg, coffer, coffer/restic, coffer/borg), CPU time and
 * cache details, Coffer's targets with PASS/FAIL, every run's raw numbers, and failures on top.
 */
import type { ToolName } from './tools.js';
import { TOOL_NAMES } from './tools.js';

export type StepName = 'first' | 'unchanged' | 'changed' | 'restore';
export const STEPS: readonly StepName[] = ['first', 'unchanged', 'changed', 'restore'];

export interface StepResult {
  readonly seconds: number;
  readonly rssKb: number;
  /** user + system CPU seconds. */
  readonly cpuS: number;
}

export interface RunResult {
  readonly tool: ToolName;
  /** Which part of the data set ('whole' or a part's name). */
  readonly part: string;
  readonly run: number;
  readonly steps: Partial<Record<StepName, StepResult>>;
  repoBytesFirst?: number;
  repoBytes?: number;
  cacheBytes?: number;
  /** undefined: restore not verified (earlier failure). */
  verified?: boolean;
  verifyDetail?: string;
  error?: string;
}

export interface ReportInput {
  readonly title: string;
  readonly command: string;
  readonly environment: readonly string[];
  readonly dataset: readonly string[];
  readonly notes: readonly string[];
  readonly versions: Partial<Record<ToolName, string>>;
  readonly skipped: Partial<Record<ToolName, string>>;
  readonly runs: number;
  readonly results: readonly RunResult[];
  readonly failures: readonly string[];
  /** The parts measured, in report order, each with a line saying what it holds. */
  readonly parts: readonly { readonly name: string; readonly description: string }[];
}

/** One part's results: what the tables and targets of a section are computed from. */
interface Section extends ReportInput {
  readonly part: string;
}

interface Metric {
  readonly label: string;
  readonly get: (r: RunResult) => number | undefined;
  readonly digits: number;
}

const MIB = 1024 * 1024;
const step =
  (s: StepName, f: (x: StepResult) => number) =>
  (r: RunResult): number | undefined =>
    r.steps[s] ? f(r.steps[s]!) : undefined;

const STEP_LABEL: Record<StepName, string> = {
  first: 'first backup',
  unchanged: 'unchanged re-run',
  changed: '1% changed re-run',
  restore: 'restore latest',
};

const MAIN: readonly Metric[] = [
  ...STEPS.map((s) => ({ label: `${STEP_LABEL[s]} (s)`, get: step(s, (x) => x.seconds), digits: 2 })),
  { label: 'repo size after first backup (MiB)', get: (r) => mib(r.repoBytesFirst), digits: 1 },
  { label: 'repo size final (MiB)', get: (r) => mib(r.repoBytes), digits: 1 },
  ...STEPS.map((s) => ({ label: `peak RSS ${STEP_LABEL[s]} (MiB)`, get: step(s, (x) => x.rssKb / 1024), digits: 1 })),
];

const DETAILS: readonly Metric[] = [
  ...STEPS.map((s) => ({ label: `CPU user+sys ${STEP_LABEL[s]} (s)`, get: step(s, (x) => x.cpuS), digits: 2 })),
  { label: 'local cache/state after run (MiB)', get: (r) => mib(r.cacheBytes), digits: 1 },
];

function mib(bytes: number | undefined): number | undefined {
  return bytes === undefined ? undefined : bytes / MIB;
}

export function median(values: readonly number[]): number | undefined {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/** Median of a metric for one tool, and in how many runs it was measured. */
function stat(input: ReportInput, tool: ToolName, m: Metric): { value?: number; n: number } {
  const values = input.results
    .filter((r) => r.tool === tool)
    .map(m.get)
    .filter((x): x is number => x !== undefined);
  const value = median(values);
  return value === undefined ? { n: 0 } : { value, n: values.length };
}

function cell(input: ReportInput, tool: ToolName, m: Metric): string {
  if (input.skipped[tool] !== undefined) return '—';
  const s = stat(input, tool, m);
  if (s.value === undefined) return '**FAIL**';
  return `${s.value.toFixed(m.digits)}${s.n < input.runs ? ` (${s.n}/${input.runs} runs)` : ''}`;
}

function ratio(input: ReportInput, m: Metric, other: ToolName): string {
  const a = stat(input, 'coffer', m).value;
  const b = stat(input, other, m).value;
  return a === undefined || b === undefined || b === 0 ? '—' : `${(a / b).toFixed(2)}×`;
}

function table(input: ReportInput, metrics: readonly Metric[], extra: string[][] = []): string[] {
  const rows = metrics.map((m) => [m.label, ...TOOL_NAMES.map((t) => cell(input, t, m)), ratio(input, m, 'restic'), ratio(input, m, 'borg')]);
  return markdownTable(['step', ...TOOL_NAMES, 'coffer/restic', 'coffer/borg'], [...rows, ...extra]);
}

function verifiedRow(input: ReportInput): string[] {
  const row = TOOL_NAMES.map((t) => {
    if (input.skipped[t] !== undefined) return '—';
    const rs = input.results.filter((r) => r.tool === t);
    const ok = rs.filter((r) => r.verified === true).length;
    const bad = rs.filter((r) => r.verified === false).length;
    if (ok === rs.length) return `yes (${ok}/${rs.length})`;
    return bad ? `**NO** (${bad}/${rs.length} differ)` : `**not verified** (${ok}/${rs.length} ok)`;
  });
  return ['restore byte-identical to source', ...row, '', ''];
}

export function markdownTable(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

// --------------------------------------------------------------------------------------------
// Targets
// --------------------------------------------------------------------------------------------

interface Target {
  readonly goal: string;
  /** coffer's value, the reference value(s) and whether it is met; undefined if not measurable. */
  readonly check: (v: (tool: ToolName, m: Metric) => number | undefined) => { detail: string; met: boolean } | undefined;
}

const metric = (label: string): Metric => MAIN.find((m) => m.label.startsWith(label))!;
const fmtRatio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;

/** Issue 15's targets; the first backup's bound depends on the part (small files: 0.7x). */
function targetsFor(part: string): readonly Target[] {
  const firstMax = part === 'small' ? 0.7 : 0.5;
  return [
    ratioTarget(`first backup ≤ ${firstMax}× restic`, 'first backup', firstMax),
    ratioTarget('unchanged re-run ≤ 0.7× restic', 'unchanged re-run', 0.7),
    ratioTarget('restore ≤ 0.8× restic', 'restore latest', 0.8),
    ratioTarget('final repo size ≤ 1.02× restic', 'repo size final', 1.02),
    {
      goal: 'peak RSS ≤ restic (every step)',
      check: (v) => {
        const pairs = STEPS.map((s) => metric(`peak RSS ${STEP_LABEL[s]}`)).map((m) => [v('coffer', m), v('restic', m)]);
        if (pairs.some(([c, r]) => c === undefined || r === undefined)) return undefined;
        const worst = Math.max(...pairs.map(([c, r]) => c! / r!));
        return { detail: `worst step ${worst.toFixed(2)}× restic`, met: worst <= 1 };
      },
    },
  ];
}

function ratioTarget(goal: string, label: string, max: number): Target {
  return {
    goal,
    check: (v) => {
      const m = metric(label);
      const [c, r] = [v('coffer', m), v('restic', m)];
      if (c === undefined || r === undefined) return undefined;
      return { detail: fmtRatio(c, r), met: c <= max * r };
    },
  };
}

function targets(input: Section): string[] {
  const v = (tool: ToolName, m: Metric): number | undefined => (input.skipped[tool] !== undefined ? undefined : stat(input, tool, m).value);
  const rows = targetsFor(input.part).map((t) => {
    const r = t.check(v);
    return [t.goal, r ? r.detail : 'not measured', r ? (r.met ? 'PASS' : '**FAIL**') : '—'];
  });
  return markdownTable(['Coffer target', 'measured (medians)', 'result'], rows);
}

// --------------------------------------------------------------------------------------------
// Whole report
// --------------------------------------------------------------------------------------------

function rawRuns(input: ReportInput): string[] {
  const f = (x: number | undefined, d: number): string => (x === undefined ? '—' : x.toFixed(d));
  const rows = input.results.map((r) => [
    String(r.run),
    r.part,
    r.tool,
    ...STEPS.map((s) => f(r.steps[s]?.seconds, 2)),
    ...STEPS.map((s) => f(r.steps[s]?.cpuS, 2)),
    f(mib(r.repoBytes), 1),
    f(Math.max(...STEPS.map((s) => (r.steps[s]?.rssKb ?? 0) / 1024)), 1),
    r.error ? `**${r.error}**` : r.verified === false ? `**restore differs: ${r.verifyDetail}**` : (r.verifyDetail ?? ''),
  ]);
  return markdownTable(
    [
      'run',
      'part',
      'tool',
      'first s',
      'unchanged s',
      '1% s',
      'restore s',
      'first cpu',
      'unchanged cpu',
      '1% cpu',
      'restore cpu',
      'repo MiB',
      'max RSS MiB',
      'restore check',
    ],
    rows,
  );
}

function section(input: ReportInput, part: string): Section {
  return { ...input, part, results: input.results.filter((r) => r.part === part) };
}

/** Coffer's ratios to restic (and borg) for every part side by side: the report's summary. */
function summary(input: ReportInput): string[] {
  const shown: readonly Metric[] = [...MAIN.filter((m) => !m.label.startsWith('repo size after')), ...DETAILS.slice(0, STEPS.length)];
  const others = TOOL_NAMES.filter((t) => t !== 'coffer' && input.skipped[t] === undefined);
  const head = ['coffer / other (medians)', ...input.parts.flatMap((p) => others.map((o) => `${p.name} / ${o}`))];
  const rows = shown.map((m) => [m.label.replace(/ \((s|MiB)\)$/, ''), ...input.parts.flatMap((p) => others.map((o) => ratio(section(input, p.name), m, o)))]);
  return markdownTable(head, rows);
}

export function renderReport(input: ReportInput): string {
  const out: string[] = [`# ${input.title}`, ''];
  if (input.failures.length) {
    out.push('## FAILURES', '', ...input.failures.map((f) => `- **${f}**`), '');
  }
  out.push('`' + input.command + '`', '', "## Summary: Coffer's ratios per part", '', ...summary(input), '');
  for (const p of input.parts) {
    const s = section(input, p.name);
    out.push(`## Part: ${p.name} (medians)`, '', p.description, '', ...table(s, MAIN, [verifiedRow(s)]), '', ...targets(s), '', ...table(s, DETAILS), '');
  }
  out.push(
    '## Setup',
    '',
    ...input.environment.map((l) => `- ${l}`),
    '',
    '### Tools',
    '',
    ...TOOL_NAMES.map((t) => `- ${t}: ${input.skipped[t] !== undefined ? `skipped: ${input.skipped[t]}` : (input.versions[t] ?? '?')}`),
    '',
    '### Data set',
    '',
    ...input.dataset.map((l) => `- ${l}`),
    '',
    '### Notes',
    '',
    ...input.notes.map((l) => `- ${l}`),
    '',
    '## Every run',
    '',
    ...rawRuns(input),
    '',
  );
  return out.join('\n');
}
