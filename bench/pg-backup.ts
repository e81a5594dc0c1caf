/**
 * bench/pg-backup.ts: Coffer's PostgreSQL backup and restore side by side with pg_dump and
 * pg_restore, on one generated database of about --size-mb MiB (made once with SQL, reused
 * while its recorded size matches).
 *
 * Per run (the order alternates between runs), each step under GNU time (wall, CPU, peak RSS):
 *   Coffer backup:   the RDS connector (as the service's job runner calls it) into a fresh
 *                    repository: pg_dump -Fc -Z0 streamed through chunking, compression,
 *                    encryption into packs
 *   anchor:          pg_dump -Fc -Z0 <db> > /dev/null
 *   Coffer restore:  that snapshot into a new database (CREATE DATABASE, roles, pg_restore
 *                    --single-transaction reading from a pipe)
 *   anchor:          createdb + pg_restore --single-transaction of a local pg_dump -Fc -Z0 file
 * Targets: Coffer at most 1.3x the anchor, on medians. Report: stdout and
 * bench/results/pg-backup-<date>.md. See bench/README.md.
 *
 *   node --import tsx bench/pg-backup.ts --size-mb 1024 --runs 3
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Command, Measured } from './lib/proc.js';
import { GNU_TIME, killRunning, run, timed } from './lib/proc.js';
import { markdownTable, median } from './lib/report.js';
import { treeBytes } from './lib/tree.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT_DIR = dirname(BENCH_DIR);
const MiB = 1024 * 1024;
const TARGET = 1.3;
const RESTORED_PREFIX = 'coffer_bench_restored_';

interface Options {
  readonly sizeMb: number;
  readonly runs: number;
  readonly database: string;
  readonly work?: string | undefined;
  readonly keep: boolean;
  readonly resultsDir: string;
  readonly stepTimeoutS: number;
}

const USAGE = `usage: node --import tsx bench/pg-backup.ts [options]
  --size-mb N          size of the generated database in MiB (default 1024)
  --runs N             repetitions, medians reported (default 3)
  --database NAME      the generated database (default coffer_bench_<N>mb; reused when its size matches)
  --work DIR           work directory for repositories, the anchor's dump file and logs (default under ${tmpdir()})
  --keep               keep the work directory
  --results DIR        where the report is written (default bench/results)
  --step-timeout-s N   kill a step after N seconds (default 3600)
PostgreSQL: PGHOST/PGPORT/PGUSER (default 127.0.0.1, 5432, postgres; a user that may create databases).`;

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      'size-mb': { type: 'string' },
      runs: { type: 'string' },
      database: { type: 'string' },
      work: { type: 'string' },
      keep: { type: 'boolean' },
      results: { type: 'string' },
      'step-timeout-s': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = (v: string | undefined, d: number, what: string): number => {
    const n = v === undefined ? d : Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${what} must be a positive integer\n${USAGE}`);
    return n;
  };
  const sizeMb = int(values['size-mb'], 1024, '--size-mb');
  const database = values.database ?? `coffer_bench_${sizeMb}mb`;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(database)) throw new Error('--database must be a lower-case SQL identifier');
  return {
    sizeMb,
    runs: int(values.runs, 3, '--runs'),
    database,
    work: values.work,
    keep: values.keep ?? false,
    resultsDir: values.results ?? join(BENCH_DIR, 'results'),
    stepTimeoutS: int(values['step-timeout-s'], 3600, '--step-timeout-s'),
  };
}

const log = (msg: string): void => console.error(`[pg-bench] ${msg}`);

const PG_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  PGHOST: process.env['PGHOST'] ?? '127.0.0.1',
  PGPORT: process.env['PGPORT'] ?? '5432',
  PGUSER: process.env['PGUSER'] ?? 'postgres',
};

/** Runs SQL with psql (not timed); returns the unaligned, tuples-only output. */
async function sql(database: string, text: string, logFile: string): Promise<string> {
  const out = `${logFile}.out`;
  writeFileSync(`${logFile}.sql`, text);
  const code = await run(
    { argv: ['sh', '-c', `psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$0" -f "$1" > "$2"`, database, `${logFile}.sql`, out], env: PG_ENV },
    logFile,
  );
  const result = existsSync(out) ? readFileSync(out, 'utf8').trim() : '';
  rmSync(out, { force: true });
  rmSync(`${logFile}.sql`, { force: true });
  if (code !== 0) throw new Error(`psql on ${database} failed; see ${logFile}`);
  return result;
}

// ---------------------------------------------------------------- the generated database

/** Shares of the database size: a narrow event table, a wide one, and large binary values. */
const TABLES = { events: 0.3, documents: 0.5, blobs: 0.2 } as const;
/** Rows per MiB of database size, measured at 64 MiB (table + indexes + TOAST). */
const ROWS_PER_MIB = { events: 7000, documents: 420, blobs: 30 } as const;
const BATCH_ROWS = { events: 200_000, documents: 20_000, blobs: 1_000 } as const;

const SCHEMA = `
CREATE TABLE bench_meta (size_mb int NOT NULL, generated_at timestamptz NOT NULL DEFAULT now(), complete boolean NOT NULL DEFAULT false);
CREATE TABLE events (id bigint PRIMARY KEY, at timestamptz NOT NULL, user_id int NOT NULL, kind text NOT NULL, amount numeric(14,4) NOT NULL, ref text);
CREATE TABLE documents (
  id bigint PRIMARY KEY, title text NOT NULL, author text NOT NULL, created_at timestamptz NOT NULL, updated_at timestamptz,
  n1 numeric(18,6), n2 numeric(18,6), n3 numeric(18,6), n4 numeric(18,6), n5 numeric(30,10), n6 numeric(30,10), n7 numeric, n8 numeric,
  i1 int, i2 int, i3 bigint, i4 bigint, i5 smallint, i6 smallint, f1 double precision, f2 double precision, flag boolean,
  status text, tags text, summary text, body text, payload bytea);
CREATE TABLE blobs (id int PRIMARY KEY, name text NOT NULL, content_type text NOT NULL, data bytea NOT NULL);
ALTER TABLE blobs ALTER COLUMN data SET STORAGE EXTERNAL;
`;

function insertBatch(table: keyof typeof TABLES, from: number, to: number): string {
  const range = `generate_series(${from}::bigint, ${to}) i`;
  switch (table) {
    case 'events':
      return `INSERT INTO events SELECT i, timestamptz '2026-01-01 00:00:00+00' + i * interval '1 second', (i * 7919) % 100000,
        (ARRAY['view','click','buy','refund','login','logout'])[(1 + i % 6)::int], ((i * 104729) % 100000000) / 10000.0, substr(md5(i::text), 1, (12 + i % 20)::int) FROM ${range};`;
    case 'documents':
      return `INSERT INTO documents SELECT i, 'Document ' || i || ' ' || md5(i::text), 'author-' || (i % 997), timestamptz '2025-01-01 00:00:00+00' + i * interval '37 seconds',
        CASE WHEN i % 3 = 0 THEN NULL ELSE timestamptz '2026-01-01 00:00:00+00' + i * interval '11 seconds' END,
        (i * 1.000001) % 1000000, (i * 7.3) % 10000, i / 3.0, -i / 7.0, (i * 104729.123456789) % 1e12, i * 0.0000001, (i % 1000) ^ 3, i::numeric * i,
        i % 1000000, (i * 31) % 2147483647, i::bigint * 65537, i::bigint * -3, (i % 32767)::smallint, (i % 100)::smallint, i / 13.0, sqrt(i::double precision), i % 2 = 0,
        (ARRAY['draft','review','published','archived'])[(1 + i % 4)::int], 'tag' || (i % 50) || ',tag' || (i % 7),
        repeat(md5((i * 3)::text), 3),
        (SELECT string_agg(md5(i::text || '/' || j), ' ') FROM generate_series(1, 30) j),
        (SELECT decode(string_agg(md5(i::text || ':' || j), ''), 'hex') FROM generate_series(1, 24) j)
        FROM ${range};`;
    case 'blobs':
      return `INSERT INTO blobs SELECT i, 'file-' || i || '.bin', (ARRAY['image/png','application/pdf','application/octet-stream'])[(1 + i % 3)::int],
        (SELECT decode(string_agg(md5(i::text || '#' || j), ''), 'hex') FROM generate_series(1, 2048) j)
        FROM ${range};`;
  }
}

interface DatabaseFacts {
  readonly bytes: number;
  readonly rows: Readonly<Record<string, number>>;
  readonly generatedS: number | undefined;
}

async function databaseFacts(opts: Options, logFile: string, generatedS: number | undefined): Promise<DatabaseFacts> {
  const out = await sql(
    opts.database,
    `SELECT pg_database_size(current_database()); ${Object.keys(TABLES)
      .map((t) => `SELECT count(*) FROM ${t};`)
      .join(' ')}`,
    logFile,
  );
  const [bytes, ...counts] = out.split('\n').map(Number);
  return { bytes: bytes!, rows: Object.fromEntries(Object.keys(TABLES).map((t, i) => [t, counts[i]!])), generatedS };
}

/** Makes the database unless one of this size exists (complete); returns its facts. */
async function ensureDatabase(opts: Options, logFile: string): Promise<DatabaseFacts> {
  const exists = await sql('postgres', `SELECT 1 FROM pg_database WHERE datname = '${opts.database}';`, logFile);
  if (exists === '1') {
    const meta =
      (await sql(opts.database, `SELECT to_regclass('bench_meta') IS NOT NULL;`, logFile)) === 't'
        ? await sql(opts.database, "SELECT size_mb || ' ' || complete FROM bench_meta;", logFile)
        : '';
    if (meta === `${opts.sizeMb} true`) {
      log(`reusing database ${opts.database} (${opts.sizeMb} MiB)`);
      return databaseFacts(opts, logFile, undefined);
    }
    log(`database ${opts.database} exists but is not a complete ${opts.sizeMb} MiB data set (${meta || 'no bench_meta'}): making it again`);
    await sql('postgres', `DROP DATABASE ${opts.database} WITH (FORCE);`, logFile);
  }
  const started = performance.now();
  await sql('postgres', `CREATE DATABASE ${opts.database};`, logFile);
  await sql(opts.database, `${SCHEMA}\nINSERT INTO bench_meta (size_mb) VALUES (${opts.sizeMb});`, logFile);
  for (const [table, share] of Object.entries(TABLES) as Array<[keyof typeof TABLES, number]>) {
    const rows = Math.max(1, Math.round(opts.sizeMb * share * ROWS_PER_MIB[table]));
    for (let from = 1; from <= rows; from += BATCH_ROWS[table]) {
      const to = Math.min(rows, from + BATCH_ROWS[table] - 1);
      log(`generating ${table}: rows ${from}..${to} of ${rows}`);
      await sql(opts.database, insertBatch(table, from, to), logFile);
    }
  }
  await sql(
    opts.database,
    'CREATE INDEX ON events (user_id, at); CREATE INDEX ON documents (author); VACUUM ANALYZE; UPDATE bench_meta SET complete = true;',
    logFile,
  );
  return databaseFacts(opts, logFile, (performance.now() - started) / 1000);
}

/** A cheap fingerprint of every table: rows and a sum of row hashes (compares a restore with its source). */
async function fingerprint(database: string, logFile: string): Promise<string> {
  return sql(
    database,
    Object.keys(TABLES)
      .map((t) => `SELECT '${t} ' || count(*) || ' ' || coalesce(sum(hashtext(x::text)::bigint), 0) FROM ${t} x;`)
      .join('\n'),
    logFile,
  );
}

// ---------------------------------------------------------------- steps

type StepName = 'backup' | 'restore';
type Who = 'coffer' | 'anchor';

interface Sample extends Measured {
  readonly run: number;
  readonly step: StepName;
  readonly who: Who;
  /** Coffer: the connector call alone, without the process's start (what a job in the service takes). */
  readonly connectorS?: number;
}

interface Bench {
  readonly opts: Options;
  readonly work: string;
  readonly stepBundle: string;
  readonly anchorDump: string;
}

/** The Coffer step script bundled like bin/coffer (no TypeScript loader in the timed process). */
async function bundleStep(): Promise<string> {
  const esbuild = await import('esbuild');
  const out = join(ROOT_DIR, 'node_modules', '.cache', 'coffer', 'bench');
  mkdirSync(out, { recursive: true });
  for (const [entry, name] of [
    [join(BENCH_DIR, 'lib', 'pg-step.ts'), 'pg-step.js'],
    [join(ROOT_DIR, 'src', 'vault', 'blob-codec-worker.ts'), 'blob-codec-worker.js'],
  ] as const) {
    await esbuild.build({
      entryPoints: [entry],
      outfile: join(out, name),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'warning',
    });
  }
  return join(out, 'pg-step.js');
}

const stepCommand = (bench: Bench, ...args: string[]): Command => ({ argv: [process.execPath, bench.stepBundle, ...args], env: PG_ENV });

/** The last line of a step's log: its JSON summary. */
function stepSummary(logFile: string): Record<string, unknown> {
  const lines = readFileSync(logFile, 'utf8').trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? '{}') as Record<string, unknown>;
}

async function measure(bench: Bench, runNo: number, step: StepName, who: Who, cmd: Command, logFile: string): Promise<Sample> {
  log(`run ${runNo}: ${who} ${step}`);
  const m = await timed(cmd, logFile, bench.opts.stepTimeoutS);
  if (m.exitCode !== 0) throw new Error(`run ${runNo}: ${who} ${step} failed (exit ${m.exitCode}); see ${logFile}`);
  const connectorS = who === 'coffer' ? Number(stepSummary(logFile)['connectorS']) : undefined;
  log(
    `run ${runNo}: ${who} ${step}: ${m.seconds.toFixed(2)} s${connectorS === undefined ? '' : ` (connector call ${connectorS.toFixed(2)} s)`}, CPU ${(m.userS + m.sysS).toFixed(2)} s, RSS ${(m.maxRssKb / 1024).toFixed(0)} MiB`,
  );
  return { ...m, run: runNo, step, who, ...(connectorS === undefined ? {} : { connectorS }) };
}

interface RunOutcome {
  readonly samples: readonly Sample[];
  readonly repoBytes: number;
  readonly dumpBytes: number;
  readonly verified: string | undefined;
}

async function oneRun(bench: Bench, runNo: number, source: string | undefined): Promise<RunOutcome> {
  const dir = join(bench.work, `run-${runNo}`);
  mkdirSync(dir, { recursive: true });
  const repo = join(dir, 'repo');
  const db = bench.opts.database;
  const cofferTarget = `${RESTORED_PREFIX}${runNo}_coffer`;
  const anchorTarget = `${RESTORED_PREFIX}${runNo}_anchor`;
  if ((await run(stepCommand(bench, 'init', repo), join(dir, 'init.log'))) !== 0) throw new Error(`run ${runNo}: init failed; see ${dir}/init.log`);
  const cofferBackup = (): Promise<Sample> => measure(bench, runNo, 'backup', 'coffer', stepCommand(bench, 'backup', repo, db), join(dir, 'coffer-backup.log'));
  const anchorBackup = (): Promise<Sample> =>
    measure(bench, runNo, 'backup', 'anchor', { argv: ['sh', '-c', 'pg_dump -Fc -Z0 "$0" > /dev/null', db], env: PG_ENV }, join(dir, 'pg_dump.log'));
  const samples: Sample[] = [];
  const cofferFirst = runNo % 2 === 1;
  for (const step of cofferFirst ? [cofferBackup, anchorBackup] : [anchorBackup, cofferBackup]) samples.push(await step());
  const { snapshotId, sizeBytes } = stepSummary(join(dir, 'coffer-backup.log')) as { snapshotId: string; sizeBytes: number };

  const cofferRestore = (): Promise<Sample> =>
    measure(bench, runNo, 'restore', 'coffer', stepCommand(bench, 'restore', repo, snapshotId, cofferTarget), join(dir, 'coffer-restore.log'));
  const anchorRestore = (): Promise<Sample> =>
    measure(
      bench,
      runNo,
      'restore',
      'anchor',
      {
        argv: [
          'sh',
          '-c',
          'createdb -T template0 "$0" && pg_restore -d "$0" --single-transaction --exit-on-error --no-tablespaces "$1"',
          anchorTarget,
          bench.anchorDump,
        ],
        env: PG_ENV,
      },
      join(dir, 'pg_restore.log'),
    );
  for (const step of cofferFirst ? [cofferRestore, anchorRestore] : [anchorRestore, cofferRestore]) samples.push(await step());

  let verified: string | undefined;
  if (source !== undefined) {
    const restored = await fingerprint(cofferTarget, join(dir, 'verify.log'));
    verified = restored === source ? 'identical' : `DIFFERENT:\n${restored}\nsource:\n${source}`;
    log(`run ${runNo}: Coffer's restore is ${verified === 'identical' ? 'identical to the source' : 'DIFFERENT'}`);
  }
  const repoBytes = await treeBytes(repo);
  await sql('postgres', `DROP DATABASE IF EXISTS ${cofferTarget} WITH (FORCE); DROP DATABASE IF EXISTS ${anchorTarget} WITH (FORCE);`, join(dir, 'drop.log'));
  rmSync(repo, { recursive: true, force: true });
  return { samples, repoBytes, dumpBytes: sizeBytes, verified };
}

// ---------------------------------------------------------------- report

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

const fmtS = (v: number | undefined): string => (v === undefined ? '—' : `${v.toFixed(2)} s`);
const fmtMiB = (b: number | undefined): string => (b === undefined ? '—' : `${(b / MiB).toFixed(0)} MiB`);

interface ReportInput {
  readonly opts: Options;
  readonly facts: DatabaseFacts;
  readonly anchorDumpBytes: number;
  readonly outcomes: readonly RunOutcome[];
  readonly loadBefore: string;
  readonly versions: string;
  readonly startedAt: Date;
}

function renderReport(input: ReportInput): string {
  const { opts, facts, outcomes } = input;
  const samples = outcomes.flatMap((o) => o.samples);
  const med = (step: StepName, who: Who, f: (s: Sample) => number): number | undefined =>
    median(samples.filter((s) => s.step === step && s.who === who).map(f));
  const wall = (s: Sample): number => s.seconds;
  const cpu = (s: Sample): number => s.userS + s.sysS;
  const rss = (s: Sample): number => s.maxRssKb * 1024;
  const ratio = (step: StepName): number | undefined => {
    const c = med(step, 'coffer', wall);
    const a = med(step, 'anchor', wall);
    return c === undefined || a === undefined ? undefined : c / a;
  };
  const cpuInfo = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? 'unknown CPU';
  const stepLabel = { backup: 'backup', restore: 'restore into a new database' } as const;
  const anchorLabel = {
    backup: '`pg_dump -Fc -Z0 db > /dev/null`',
    restore: '`createdb` + `pg_restore --single-transaction` of a local `-Fc -Z0` file',
  } as const;
  const lines: string[] = [
    `# PostgreSQL backup benchmark, ${input.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Command: \`node --import tsx bench/pg-backup.ts ${process.argv.slice(2).join(' ')}\``.replace(/ `$/, '`'),
    '',
    '## Environment',
    '',
    `- ${cpus().length} × ${cpuInfo}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Linux ${release()}, Node ${process.version}`,
    `- ${input.versions}`,
    `- machine load before: ${input.loadBefore}; after: ${machineLoad()} (other processes competing for CPU skew the numbers)`,
    '',
    '## Data set',
    '',
    `- database \`${opts.database}\`: ${fmtMiB(facts.bytes)} (pg_database_size), ${Object.entries(facts.rows)
      .map(([t, n]) => `${t} ${n.toLocaleString('en')} rows`)
      .join(', ')}` + (facts.generatedS === undefined ? '; reused from an earlier run' : `; generated in ${facts.generatedS.toFixed(0)} s`),
    '- `events`: narrow (bigint, timestamptz, int, text, numeric); `documents`: wide (27 columns: numerics, ints, floats, text of ~1.2 KB, 384-byte bytea); `blobs`: 32 KiB random bytea values (TOAST, stored uncompressed)',
    `- dump (\`pg_dump -Fc -Z0\`): ${fmtMiB(input.anchorDumpBytes)}; Coffer's repository after one backup: ${fmtMiB(median(outcomes.map((o) => o.repoBytes)))} (zstd, encrypted)`,
    '',
    `## Result (medians of ${outcomes.length} run${outcomes.length === 1 ? '' : 's'})`,
    '',
    ...markdownTable(
      ['step', 'anchor', 'Coffer', 'Coffer / anchor', `target ≤ ${TARGET}×`, 'Coffer, connector call only'],
      (['backup', 'restore'] as const).map((step) => {
        const r = ratio(step);
        const call = med(step, 'coffer', (s) => s.connectorS ?? NaN);
        const anchor = med(step, 'anchor', wall);
        return [
          stepLabel[step],
          fmtS(anchor),
          fmtS(med(step, 'coffer', wall)),
          r === undefined ? '—' : `${r.toFixed(2)}×`,
          r === undefined ? '—' : r <= TARGET ? 'met' : '**missed**',
          call === undefined || anchor === undefined ? '—' : `${fmtS(call)} (${(call / anchor).toFixed(2)}×)`,
        ];
      }),
    ),
    '',
    'Coffer\'s times are of the whole process (Node start included, ~0.25 s idle, more under load); "connector call only" is the part a backup or restore job takes in the running service.',
    '',
    '## Details (medians)',
    '',
    ...markdownTable(
      ['step', 'who', 'what runs', 'wall', 'CPU user+sys', 'peak RSS'],
      (['backup', 'restore'] as const).flatMap((step) =>
        (['anchor', 'coffer'] as const).map((who) => [
          stepLabel[step],
          who,
          who === 'anchor'
            ? anchorLabel[step]
            : step === 'backup'
              ? 'RDS connector: pg_dump → chunker → zstd → AES → packs'
              : 'RDS connector: packs → pg_restore (pipe)',
          fmtS(med(step, who, wall)),
          fmtS(med(step, who, cpu)),
          fmtMiB(med(step, who, rss)),
        ]),
      ),
    ),
    '',
    '## Every run',
    '',
    ...markdownTable(
      ['run', 'step', 'who', 'wall', 'connector call', 'user', 'sys', 'peak RSS'],
      samples.map((s) => [
        String(s.run),
        s.step,
        s.who,
        fmtS(s.seconds),
        s.connectorS === undefined ? '' : fmtS(s.connectorS),
        fmtS(s.userS),
        fmtS(s.sysS),
        fmtMiB(s.maxRssKb * 1024),
      ]),
    ),
    '',
    `Coffer's restore compared with the source (row counts and a sum of row hashes per table): ${outcomes[0]?.verified ?? 'not checked'}.`,
    '',
    '## Notes',
    '',
    "- Times are wall-clock seconds under GNU time; CPU is user+sys of the command and the children it waited for (pg_dump and pg_restore included, the PostgreSQL server's own backend not); peak RSS is the largest single process (Coffer: the Node process).",
    "- Coffer's steps run the RDS connector the way the service's job runner does, in a process bundled like `bin/coffer` (bench/lib/pg-step.ts), into a fresh repository per run (key derivation with cheap scrypt parameters, not measured).",
    "- Both restores use the same pg_restore flags; Coffer's reads the dump from a pipe (the anchor from a file), and also creates the database from template0, checks roles and sets/clears a marker comment.",
    '- The order of Coffer and the anchor alternates between runs; the page cache is warm (the database was read by the previous step).',
  ];
  return `${lines.join('\n')}\n`;
}

function saveReport(dir: string, text: string): string {
  mkdirSync(dir, { recursive: true });
  const date = new Date().toISOString().slice(0, 10);
  let file = join(dir, `pg-backup-${date}.md`);
  for (let i = 2; existsSync(file); i++) file = join(dir, `pg-backup-${date}-${i}.md`);
  writeFileSync(file, text);
  return file;
}

async function versions(logFile: string): Promise<string> {
  const server = await sql('postgres', 'SHOW server_version;', logFile);
  const out = join(tmpdir(), `pg-bench-version-${process.pid}`);
  await run({ argv: ['sh', '-c', 'pg_dump --version > "$0"', out], env: PG_ENV }, logFile);
  const dump = existsSync(out) ? readFileSync(out, 'utf8').trim() : 'pg_dump (unknown version)';
  rmSync(out, { force: true });
  return `PostgreSQL server ${server}, ${dump}`;
}

async function main(): Promise<number> {
  const opts = parseOptions();
  if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} (GNU time) is required`);
  const created = opts.work === undefined || !existsSync(opts.work);
  const work = opts.work ?? mkdtempSync(join(tmpdir(), 'coffer-pg-bench-'));
  mkdirSync(work, { recursive: true });
  const cleanup = (): void => {
    if (opts.keep) log(`kept ${work}`);
    else if (created) rmSync(work, { recursive: true, force: true });
  };
  process.on('SIGINT', () => {
    killRunning();
    cleanup();
    process.exit(130);
  });
  try {
    const setupLog = join(work, 'setup.log');
    const loadBefore = machineLoad();
    const startedAt = new Date();
    const facts = await ensureDatabase(opts, setupLog);
    log(`database ${opts.database}: ${fmtMiB(facts.bytes)}`);
    const stale = await sql('postgres', `SELECT datname FROM pg_database WHERE datname LIKE '${RESTORED_PREFIX}%';`, setupLog);
    for (const name of stale.split('\n').filter((n) => n !== '')) await sql('postgres', `DROP DATABASE ${name} WITH (FORCE);`, setupLog);
    const anchorDump = join(work, 'anchor.dump');
    if ((await run({ argv: ['pg_dump', '-Fc', '-Z0', '-f', anchorDump, opts.database], env: PG_ENV }, setupLog)) !== 0)
      throw new Error(`pg_dump to ${anchorDump} failed; see ${setupLog}`);
    const bench: Bench = { opts, work, stepBundle: await bundleStep(), anchorDump };
    const source = await fingerprint(opts.database, setupLog);
    const outcomes: RunOutcome[] = [];
    for (let r = 1; r <= opts.runs; r++) outcomes.push(await oneRun(bench, r, r === 1 ? source : undefined));
    const report = renderReport({
      opts,
      facts,
      anchorDumpBytes: statSync(anchorDump).size,
      outcomes,
      loadBefore,
      versions: await versions(setupLog),
      startedAt,
    });
    console.log(report);
    log(`report written to ${saveReport(opts.resultsDir, report)}`);
    return outcomes[0]?.verified === 'identical' ? 0 : 1;
  } finally {
    cleanup();
  }
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
