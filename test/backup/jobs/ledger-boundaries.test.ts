/**
 * The house rules the ledger work set, checked over the sources as a linter would: job and
 * recovery-point state is written only by the ledger (src/backup/jobs/) through the catalog;
 * the wire layer imports no catalog module; backup/ does not import scheduler/; and the domain
 * makes no id or time of its own (they come from the injected IdSource and Clock).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const SRC = join(ROOT, 'src');

function sources(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return sources(path);
      return name.endsWith('.ts') ? [relative(ROOT, path)] : [];
    });
}

const FILES = sources(SRC);
const text = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

/** Lines of `file` matching `pattern`, as `file:line: text`. */
function hits(file: string, pattern: RegExp): string[] {
  return text(file)
    .split('\n')
    .flatMap((line, i) => (pattern.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : []));
}

const under =
  (...rooms: string[]) =>
  (file: string) =>
    rooms.some((room) => file.startsWith(`src/${room}/`));

test('job and recovery-point state is written by the ledger only', () => {
  const writes =
    /\.jobs\.(update|updateMany|create\w*|claimNextJob|renewLease|releaseLeasesOf)\(|(?<!domain)\.recoveryPoints\.(update|create|delete)\(|jobWindows\.(expire|abort)/;
  const found = FILES.filter((f) => !under('catalog', 'backup/jobs')(f)).flatMap((f) => hits(f, writes));
  assert.deepEqual(found, [], 'call the ledger (src/backup/jobs/job-ledger.ts) instead');
});

test('the wire layer imports no catalog module', () => {
  const found = FILES.filter(under('aws')).flatMap((f) => hits(f, /from '[^']*\/catalog\//));
  assert.deepEqual(found, [], 'handlers get domain records; the domain maps catalog rows');
});

test('backup/ does not import scheduler/', () => {
  assert.deepEqual(
    FILES.filter(under('backup')).flatMap((f) => hits(f, /from '[^']*\/scheduler\//)),
    [],
  );
});

test('the domain makes no ids or times of its own: IdSource and Clock do', () => {
  const made = /randomUUID\(|new Date\(\)|Date\.now\(\)/;
  // Where randomness enters: the default IdSource and KMS's randomness, each defined once.
  const sourcesOfIds = new Set(['src/backup/id-source.ts', 'src/kms/kms-scope.ts']);
  const found = FILES.filter(under('backup', 'kms', 'iam', 'scheduler', 'jobs'))
    .filter((f) => !sourcesOfIds.has(f))
    .flatMap((f) => hits(f, made))
    .filter((line) => !/^\S+: \s*(\*|\/\/)/.test(line));
  assert.deepEqual(found, []);
});
