/**
 * `coffer vault ...`: the vault engine on the command line, with restic-like commands, so a
 * repository can be created, backed up to, restored, checked, pruned and copied without a server.
 */
import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import type { BlobStore } from '../storage/blob-store.js';
import { LocalBlobStore } from '../storage/local-blob-store.js';
import { localPathOf, repositoryArgumentUrl } from '../storage/storage-url.js';
import { backupPaths, backupStream } from '../vault/archiver.js';
import { removeLocks } from '../vault/lock.js';
import { newProgress } from '../vault/progress.js';
import { Repository } from '../vault/repository.js';
import { restoreSnapshot } from '../vault/restorer.js';
import { CliError } from './cli-error.js';
import { formatBytes, ProgressLine, progressWanted } from './progress-line.js';
import { scanTotals } from './scan-totals.js';

const USAGE = `usage:
  coffer vault init      <repo> --password-file F
  coffer vault backup    <repo> --password-file F [--tag T]... [--host H] [--json] <path>...
  coffer vault backup    <repo> --password-file F --stdin-name NAME [--tag T]...
  coffer vault snapshots <repo> --password-file F [--json]
  coffer vault restore   <repo> --password-file F <snapshot|latest> --target NEW-DIR [--include PATH]...
  coffer vault check     <repo> --password-file F [--read-data] [--repair] [--json]
  coffer vault forget    <repo> --password-file F <snapshot>... [--prune]
  coffer vault prune     <repo> --password-file F
  coffer vault copy      <from-repo> --from-password-file F <to-repo> --password-file G [<snapshot>...]
  coffer vault unlock    <repo> --password-file F [--remove-all]
  coffer vault restic-env --config FILE <recovery-point-arn>   (restic's variables for a point's repository)

<repo> is a directory or a storage URL as restic takes it (file:DIR, s3:http(s)://HOST[:PORT]/BUCKET[/PREFIX],
s3:s3.amazonaws.com/BUCKET[/PREFIX]; S3 credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the shared
credentials file); every command but restic-env reads the repository password from the named file.`;

type Values = Record<string, string | boolean | string[] | undefined>;

function parse(args: string[], options: ParseArgsConfig['options']): { values: Values; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
    return { values: values as Values, positionals };
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n\n${USAGE}`, 2);
  }
}

async function readPassword(file: unknown, flag = '--password-file'): Promise<Buffer> {
  if (typeof file !== 'string') throw new CliError(`${flag} is required`, 2);
  const raw = await readFile(file).catch((err: Error) => {
    throw new CliError(`cannot read ${flag} ${file}: ${err.message}`);
  });
  const text = raw.toString('utf8').replace(/\r?\n$/, '');
  if (text.length === 0) throw new CliError(`${flag} ${file} is empty`);
  return Buffer.from(text);
}

function repoArg(positionals: string[], what = '<repo>'): string {
  const repo = positionals.shift();
  if (!repo) throw new CliError(`missing ${what}\n\n${USAGE}`, 2);
  return repo;
}

/**
 * The store a repository argument names: a directory, or an S3 URL (credentials from the AWS
 * environment variables or shared files). The S3 client (the AWS SDK) is loaded only for an S3
 * URL: a backup to a directory does not pay for loading it.
 */
async function storeOf(repo: string): Promise<BlobStore> {
  const url = repositoryArgumentUrl(repo);
  if (typeof url !== 'string') throw new CliError(`repository ${repo.startsWith('s3:') ? '(s3 URL)' : repo} ${url.problem}`, 2);
  const path = localPathOf(url);
  if (path !== undefined) return new LocalBlobStore(path);
  const { createStorageFactory } = await import('../storage/storage-factory.js');
  return createStorageFactory().open(url);
}

async function openRepo(repo: string, passwordFile: unknown, flag?: string): Promise<Repository> {
  const password = await readPassword(passwordFile, flag);
  const store = await storeOf(repo);
  const path = localDirectory(repo);
  if (path !== undefined && (await stat(path).catch(() => undefined)) === undefined) {
    throw new CliError(
      `the storage at ${path} is gone (no such directory): check the path, or mount the disk it lives on; \`coffer vault init\` creates a new repository`,
    );
  }
  return Repository.open(store, password);
}

/** The local directory of a repository argument; undefined on object storage. */
function localDirectory(repo: string): string | undefined {
  const url = repositoryArgumentUrl(repo);
  return typeof url === 'string' ? localPathOf(url) : undefined;
}

/** The repository's own directory, which a restore must not write into (none for object storage). */
function localRepository(repo: string): { path: string; what: string }[] {
  const path = localDirectory(repo);
  return path === undefined ? [] : [{ path, what: 'the repository it restores from' }];
}

const pw = { 'password-file': { type: 'string' } } as const;

export async function runVaultCommand(argv: string[]): Promise<number> {
  const [sub, ...args] = argv;
  if (!sub || sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return sub ? 0 : 2;
  }
  const command = COMMANDS[sub];
  if (!command) throw new CliError(`unknown vault command ${JSON.stringify(sub)}\n\n${USAGE}`, 2);
  return command(args);
}

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  'restic-env': async (args) => (await import('./restic-env-command.js')).runResticEnvCommand(args),

  async init(args) {
    const { values, positionals } = parse(args, pw);
    const store = await storeOf(repoArg(positionals));
    const repo = await Repository.init(store, await readPassword(values['password-file']));
    process.stdout.write(`created repository ${repo.config.id.slice(0, 10)} at ${store.location}\n`);
    return 0;
  },

  async backup(args) {
    const { values, positionals } = parse(args, {
      ...pw,
      tag: { type: 'string', multiple: true },
      host: { type: 'string' },
      'stdin-name': { type: 'string' },
      json: { type: 'boolean' },
    });
    const repo = await openRepo(repoArg(positionals), values['password-file']);
    const json = values.json === true;
    const progress = newProgress();
    const common = { tags: (values.tag as string[] | undefined) ?? [], progress, ...(typeof values.host === 'string' ? { hostname: values.host } : {}) };
    const stdinName = values['stdin-name'];
    if (typeof stdinName !== 'string' && positionals.length === 0) throw new CliError('give at least one path to back up, or --stdin-name NAME', 2);
    const line = new ProgressLine(progress, progressWanted(json));
    if (typeof stdinName !== 'string' && progressWanted(json)) void scanTotals(positionals, progress);
    const started = Date.now();
    try {
      const result = typeof stdinName === 'string' ? await backupStream(repo, stdinName, process.stdin, common) : await backupPaths(repo, positionals, common);
      line.stop();
      for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
      const seconds = (Date.now() - started) / 1000;
      if (json) {
        process.stdout.write(
          `${JSON.stringify({ snapshot: result.snapshotId, ...result.stats, filesProcessed: progress.files, unchangedFiles: progress.unchangedFiles, bytesProcessed: progress.bytes, seconds, warnings: result.warnings })}\n`,
        );
      } else {
        if (process.stderr.isTTY) {
          process.stderr.write(
            `${progress.files} files (${progress.unchangedFiles} unchanged), ${formatBytes(progress.bytes)} processed, ${formatBytes(result.stats.newBytes)} new (${formatBytes(result.stats.storedBytes)} stored) in ${seconds.toFixed(1)} s\n`,
          );
        }
        process.stdout.write(`${result.snapshotId}\n`);
      }
      return result.warnings.length > 0 ? 3 : 0;
    } finally {
      line.stop();
    }
  },

  async snapshots(args) {
    const { values, positionals } = parse(args, { ...pw, json: { type: 'boolean' } });
    const repo = await openRepo(repoArg(positionals), values['password-file']);
    const snaps = (await repo.snapshots()).reverse();
    if (values.json) {
      process.stdout.write(`${JSON.stringify(snaps.map((s) => ({ ...s, short_id: s.id.slice(0, 8) })))}\n`);
      return 0;
    }
    process.stdout.write(`${'ID'.padEnd(10)}${'Time'.padEnd(22)}${'Host'.padEnd(16)}${'Tags'.padEnd(20)}Paths\n`);
    for (const s of snaps) {
      process.stdout.write(
        `${s.id.slice(0, 8).padEnd(10)}${s.time.slice(0, 19).replace('T', ' ').padEnd(22)}${(s.hostname ?? '').padEnd(16)}${(s.tags ?? []).join(',').padEnd(20)}${s.paths.join(' ')}\n`,
      );
    }
    process.stdout.write(`${snaps.length} snapshots\n`);
    return 0;
  },

  async restore(args) {
    const { values, positionals } = parse(args, {
      ...pw,
      target: { type: 'string' },
      include: { type: 'string', multiple: true },
      overwrite: { type: 'boolean' },
    });
    if (values.overwrite === true)
      throw new CliError(
        '--overwrite is gone: restores only create, never replace. Restore into a new or empty directory and move what you need from there.',
        2,
      );
    const repoPath = repoArg(positionals);
    const repo = await openRepo(repoPath, values['password-file']);
    const ref = positionals.shift();
    if (!ref) throw new CliError('which snapshot? give its ID or `latest`', 2);
    if (typeof values.target !== 'string') throw new CliError('--target DIR is required', 2);
    const snapshot = await repo.findSnapshot(ref);
    const progress = newProgress();
    const line = new ProgressLine(progress, progressWanted(false));
    try {
      const result = await restoreSnapshot(repo, snapshot, {
        target: values.target,
        include: (values.include as string[] | undefined) ?? [],
        progress,
        rules: { label: '--target', forbidden: localRepository(repoPath) },
      });
      line.stop();
      for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
      process.stdout.write(
        `restored snapshot ${snapshot.id.slice(0, 8)}: ${result.files} files, ${result.dirs} dirs, ${formatBytes(result.bytes)} to ${values.target}\n`,
      );
      return 0;
    } finally {
      line.stop();
    }
  },

  async check(args) {
    const { values, positionals } = parse(args, { ...pw, 'read-data': { type: 'boolean' }, repair: { type: 'boolean' }, json: { type: 'boolean' } });
    const repo = await openRepo(repoArg(positionals), values['password-file']);
    const { checkRepository } = await import('../vault/checker.js');
    const report = await checkRepository(repo, { readData: values['read-data'] === true, repair: values.repair === true });
    if (values.json) {
      process.stdout.write(`${JSON.stringify(report)}\n`);
    } else {
      if (report.repaired !== undefined)
        process.stdout.write(`removed ${report.repaired.tempFiles} temp files (${formatBytes(report.repaired.tempBytes)}) left by writers that are gone\n`);
      for (const w of report.warnings) process.stdout.write(`warning: ${w.message}\n`);
      for (const e of report.errors) process.stdout.write(`error: ${e.message}\n`);
      process.stdout.write(report.errors.length === 0 ? 'no errors were found\n' : `${report.errors.length} errors found\n`);
    }
    return report.errors.length === 0 ? 0 : 1;
  },

  async forget(args) {
    const { values, positionals } = parse(args, { ...pw, prune: { type: 'boolean' } });
    const repo = await openRepo(repoArg(positionals), values['password-file']);
    if (positionals.length === 0) throw new CliError('which snapshots? give their IDs', 2);
    const { forgetSnapshots } = await import('../vault/prune.js');
    const removed = await forgetSnapshots(repo, positionals);
    process.stdout.write(`removed ${removed.length} snapshots\n`);
    if (values.prune) await printPrune(repo);
    return 0;
  },

  async prune(args) {
    const { values, positionals } = parse(args, pw);
    await printPrune(await openRepo(repoArg(positionals), values['password-file']));
    return 0;
  },

  async copy(args) {
    const { values, positionals } = parse(args, { ...pw, 'from-password-file': { type: 'string' } });
    const from = await openRepo(repoArg(positionals, '<from-repo>'), values['from-password-file'], '--from-password-file');
    const to = await openRepo(repoArg(positionals, '<to-repo>'), values['password-file']);
    const ids = await Promise.all(positionals.map(async (ref) => (await from.findSnapshot(ref)).id));
    const { copySnapshots } = await import('../vault/copy.js');
    const results = await copySnapshots(from, to, ids.length > 0 ? { snapshots: ids } : {});
    for (const r of results) {
      process.stdout.write(
        `${r.sourceId.slice(0, 8)} -> ${r.targetId ? r.targetId.slice(0, 8) : '(already there)'}: ${r.blobsCopied} blobs, ${formatBytes(r.bytesCopied)} copied\n`,
      );
    }
    return 0;
  },

  async unlock(args) {
    const { values, positionals } = parse(args, { ...pw, 'remove-all': { type: 'boolean' } });
    const repo = await openRepo(repoArg(positionals), values['password-file']);
    const n = await removeLocks(repo, values['remove-all'] === true);
    process.stdout.write(`removed ${n} locks\n`);
    return 0;
  },
};

async function printPrune(repo: Repository): Promise<void> {
  const { prune } = await import('../vault/prune.js');
  const stats = await prune(repo);
  process.stdout.write(`${JSON.stringify(stats)}\n`);
}
