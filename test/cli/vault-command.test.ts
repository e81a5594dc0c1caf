/**
 * The `coffer vault` command line as a contract: outputs, exit codes and error messages that say
 * what to do, for every subcommand.
 */
import assert from 'node:assert/strict';
import { mkdir, open, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeMixedTree } from '../support/fixtures.js';
import { coffer, cofferOk, resticOk } from '../support/restic.js';
import { tempDir } from '../support/temp-dir.js';
import { diffDigests, digestTree } from '../support/tree-digest.js';

async function setup(t: Parameters<typeof tempDir>[0]): Promise<{ dir: string; repo: string; pw: string; src: string }> {
  const dir = await tempDir(t);
  const pw = join(dir, 'pw');
  await writeFile(pw, 'cli password\n');
  const repo = join(dir, 'repo');
  const src = join(dir, 'src');
  await makeMixedTree(src);
  cofferOk(['vault', 'init', repo, '--password-file', pw]);
  return { dir, repo, pw, src };
}

test('usage errors exit 2 and show the usage', () => {
  const none = coffer(['vault']);
  assert.equal(none.status, 2);
  assert.match(none.stdout, /coffer vault init/);
  const unknown = coffer(['vault', 'frobnicate']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown vault command "frobnicate"/);
  const noPw = coffer(['vault', 'snapshots', '/tmp/nowhere']);
  assert.equal(noPw.status, 2);
  assert.match(noPw.stderr, /--password-file is required/);
});

test('a wrong password and a missing repository are explained', async (t) => {
  const { dir, repo } = await setup(t);
  const wrong = join(dir, 'wrong');
  await writeFile(wrong, 'not it\n');
  const r = coffer(['vault', 'snapshots', repo, '--password-file', wrong]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no key in .* opens with the given password/);
  const missing = coffer(['vault', 'snapshots', join(dir, 'nope'), '--password-file', wrong]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /the storage at .*nope is gone \(no such directory\): check the path, or mount the disk .*coffer vault init/);
  await mkdir(join(dir, 'empty'));
  const empty = coffer(['vault', 'snapshots', join(dir, 'empty'), '--password-file', wrong]);
  assert.match(empty.stderr, /is not a restic repository .*coffer vault init/);
});

test('backup prints only the snapshot ID when not on a terminal; --json gives figures', async (t) => {
  const { repo, pw, src } = await setup(t);
  const r = coffer(['vault', 'backup', repo, '--password-file', pw, src]);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^[0-9a-f]{64}\n$/);
  assert.equal(r.stderr, '', 'no progress output when stderr is not a terminal');
  const json = JSON.parse(cofferOk(['vault', 'backup', repo, '--password-file', pw, '--json', src])) as Record<string, unknown>;
  assert.equal(json.unchangedFiles, json.filesProcessed);
  const list = JSON.parse(cofferOk(['vault', 'snapshots', repo, '--password-file', pw, '--json'])) as Array<{ id: string; parent?: string }>;
  assert.equal(list.length, 2);
  assert.equal(list[1]!.parent, list[0]!.id, 'the second backup names the first as parent');
});

test('restore only creates: sub-paths, a non-empty target refused untouched, includes not in the snapshot named, no --overwrite', async (t) => {
  const { dir, repo, pw, src } = await setup(t);
  cofferOk(['vault', 'backup', repo, '--password-file', pw, src]);
  const out = join(dir, 'out');
  cofferOk(['vault', 'restore', repo, '--password-file', pw, 'latest', '--target', out, '--include', join(src, 'docs')]);
  assert.deepEqual(await readdir(join(out, src)), ['docs']);
  const before = await digestTree(out);
  const again = coffer(['vault', 'restore', repo, '--password-file', pw, 'latest', '--target', out]);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /--target .*out is not empty; Coffer never restores over existing files: name a new or empty directory/);
  assert.deepEqual(diffDigests(before, await digestTree(out)), [], 'the refused restore changed nothing');
  assert.deepEqual(
    (await readdir(dir)).filter((n) => n.startsWith('.coffer-restore-')),
    [],
    'no staging directory left',
  );

  const missing = coffer([
    'vault',
    'restore',
    repo,
    '--password-file',
    pw,
    'latest',
    '--target',
    join(dir, 'none'),
    '--include',
    join(src, 'no-such-file'),
    '--include',
    join(src, 'docs'),
  ]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, new RegExp(`this path is not in the snapshot: ${join(src, 'no-such-file')}`));
  assert.deepEqual(
    (await readdir(dir)).filter((n) => n === 'none' || n.startsWith('.coffer-restore-')),
    [],
    'a failed restore leaves nothing',
  );

  const overwrite = coffer(['vault', 'restore', repo, '--password-file', pw, 'latest', '--target', out, '--overwrite']);
  assert.equal(overwrite.status, 2);
  assert.match(overwrite.stderr, /--overwrite is gone: restores only create, never replace/);
  cofferOk(['vault', 'restore', repo, '--password-file', pw, 'latest', '--target', join(dir, 'full')]);
  assert.deepEqual(diffDigests(await digestTree(src), await digestTree(join(dir, 'full', src))), []);
});

test('restore --target cannot escape (issue 12): "..", a symbolic link on the way, inside the repository; nothing is written', async (t) => {
  const { dir, repo, pw, src } = await setup(t);
  cofferOk(['vault', 'backup', repo, '--password-file', pw, src]);
  const victim = join(dir, 't');
  await mkdir(victim);
  await writeFile(join(victim, 'a.txt'), 'the victim\n');
  const dots = coffer(['vault', 'restore', repo, '--password-file', pw, 'latest', '--target', `${join(dir, 'nope')}/../t`]);
  assert.equal(dots.status, 1);
  assert.match(dots.stderr, /--target .* contains "\.\.": name the directory without "\.\." components/);
  assert.deepEqual(await readdir(victim), ['a.txt']);
  await assert.rejects(readdir(join(dir, 'nope')), /ENOENT/, 'the missing parent was not created');

  await mkdir(join(dir, 'elsewhere'));
  await symlink(join(dir, 'elsewhere'), join(dir, 'link'));
  const linked = coffer(['vault', 'restore', repo, '--password-file', pw, 'latest', '--target', join(dir, 'link', 'new')]);
  assert.equal(linked.status, 1);
  assert.match(linked.stderr, /goes through the symbolic link/);
  assert.deepEqual(await readdir(join(dir, 'elsewhere')), []);

  const inside = coffer(['vault', 'restore', repo, '--password-file', pw, 'latest', '--target', join(repo, 'restored')]);
  assert.equal(inside.status, 1);
  assert.match(inside.stderr, /the repository it restores from/);
  await assert.rejects(readdir(join(repo, 'restored')), /ENOENT/);
  assert.deepEqual(
    (await readdir(dir, { recursive: true })).filter((n) => n.includes('.coffer-restore-')),
    [],
    'no staging directory left',
  );
});

test('check --read-data names a damaged pack, blob and snapshot, and exits 1', async (t) => {
  const { repo, pw, src } = await setup(t);
  const id = cofferOk(['vault', 'backup', repo, '--password-file', pw, src]).trim();
  assert.match(cofferOk(['vault', 'check', repo, '--password-file', pw, '--read-data']), /no errors were found/);
  const packs = (await readdir(join(repo, 'data'), { recursive: true })).filter((p) => /[0-9a-f]{64}$/.test(p));
  let largest = '';
  let size = 0;
  for (const p of packs) {
    const s = (await stat(join(repo, 'data', p))).size;
    if (s > size) [largest, size] = [p, s];
  }
  const fh = await open(join(repo, 'data', largest), 'r+');
  const b = Buffer.alloc(1);
  await fh.read(b, 0, 1, 100);
  b[0] = b[0]! ^ 0xff;
  await fh.write(b, 0, 1, 100);
  await fh.close();
  const r = coffer(['vault', 'check', repo, '--password-file', pw, '--read-data']);
  assert.equal(r.status, 1);
  const packId = largest.split('/').pop()!;
  assert.match(r.stdout, new RegExp(packId.slice(0, 8)));
  assert.match(r.stdout, new RegExp(id.slice(0, 8)));
  assert.match(r.stdout, /blob/);
});

test('forget --prune frees data; copy moves snapshots to another repository', async (t) => {
  const { dir, repo, pw, src } = await setup(t);
  const first = cofferOk(['vault', 'backup', repo, '--password-file', pw, src]).trim();
  await writeFile(join(src, 'new.bin'), Buffer.alloc(2_000_000, 7));
  cofferOk(['vault', 'backup', repo, '--password-file', pw, src]);

  const pw2 = join(dir, 'pw2');
  await writeFile(pw2, 'other\n');
  const other = join(dir, 'other');
  cofferOk(['vault', 'init', other, '--password-file', pw2]);
  const copied = cofferOk(['vault', 'copy', repo, '--from-password-file', pw, other, '--password-file', pw2]);
  assert.equal(copied.trim().split('\n').length, 2);
  assert.match(cofferOk(['vault', 'copy', repo, '--from-password-file', pw, other, '--password-file', pw2]), /already there/);
  resticOk(other, pw2, ['check', '--read-data']);

  const forgot = cofferOk(['vault', 'forget', repo, '--password-file', pw, first.slice(0, 8), '--prune']);
  assert.match(forgot, /removed 1 snapshots/);
  resticOk(repo, pw, ['check', '--read-data']);
  const out = join(dir, 'out');
  await mkdir(out);
  cofferOk(['vault', 'restore', repo, '--password-file', pw, 'latest', '--target', out]);
  assert.deepEqual(diffDigests(await digestTree(src), await digestTree(join(out, src))), []);
});
