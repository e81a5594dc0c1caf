/**
 * `coffer vault` on storage that fails (issue 12): a full disk and a read-only file system (a
 * small tmpfs; skipped, saying why, where mount is not permitted) and a repository the user may
 * not access (the CLI run as another user). Each exits 1 with a message naming the repository's
 * location, what happened and what to do; the repository stays consistent (restic `check
 * --read-data`) and the next run, once fixed, succeeds.
 */
// test-needs: restic, coffer
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { randomData } from '../support/fixtures.js';
import { coffer, COFFER_BIN, cofferOk, resticOk } from '../support/restic.js';
import { tempDir } from '../support/temp-dir.js';
import { mountTmpfs } from '../support/tmpfs.js';

const NOBODY = 65534;

describe('coffer vault on failing storage', () => {
  test('a full disk: exit 1 naming the location and the fix; consistent; the next backup after freeing space succeeds', async (t) => {
    const fs = await mountTmpfs(8);
    if (typeof fs === 'string') return t.skip(fs);
    t.after(() => fs.unmount());
    const dir = await tempDir(t);
    const pw = join(dir, 'pw');
    await writeFile(pw, 'full\n');
    const repo = join(fs.dir, 'repo');
    cofferOk(['vault', 'init', repo, '--password-file', pw]);
    await mkdir(join(dir, 'src'));
    await writeFile(join(dir, 'src', 'small.bin'), randomData(1_000_000, 21));
    cofferOk(['vault', 'backup', repo, '--password-file', pw, join(dir, 'src')]);
    const filler = join(fs.dir, 'filler');
    await writeFile(filler, randomData(5 * 1024 * 1024, 22));
    await writeFile(join(dir, 'src', 'big.bin'), randomData(6 * 1024 * 1024, 23));

    const full = coffer(['vault', 'backup', repo, '--password-file', pw, join(dir, 'src')]);
    assert.equal(full.status, 1, full.stderr);
    assert.match(
      full.stderr,
      new RegExp(`^coffer: the storage at ${repo} is full \\(no space left on device\\) while .*: free space there .*nothing half-written was kept\\n$`),
    );
    resticOk(repo, pw, ['check', '--read-data']);

    await rm(filler);
    cofferOk(['vault', 'backup', repo, '--password-file', pw, join(dir, 'src')]);
    resticOk(repo, pw, ['check', '--read-data']);
  });

  test('a read-only file system: exit 1 saying so; read-write again, the backup succeeds', async (t) => {
    const fs = await mountTmpfs(8);
    if (typeof fs === 'string') return t.skip(fs);
    t.after(() => fs.unmount());
    const dir = await tempDir(t);
    const pw = join(dir, 'pw');
    await writeFile(pw, 'ro\n');
    const repo = join(fs.dir, 'repo');
    cofferOk(['vault', 'init', repo, '--password-file', pw]);
    await mkdir(join(dir, 'src'));
    await writeFile(join(dir, 'src', 'a.bin'), randomData(100_000, 24));
    fs.remount(true);
    const ro = coffer(['vault', 'backup', repo, '--password-file', pw, join(dir, 'src')]);
    assert.equal(ro.status, 1, ro.stderr);
    assert.match(ro.stderr, new RegExp(`^coffer: the storage at ${repo} is read-only \\(read-only file system\\) while .*: remount it read-write`));
    fs.remount(false);
    resticOk(repo, pw, ['check', '--read-data']);
    cofferOk(['vault', 'backup', repo, '--password-file', pw, join(dir, 'src')]);
  });

  test('a repository the user may not access: exit 1, permission denied, with the uid to grant', async (t) => {
    if (process.getuid?.() !== 0) return t.skip('needs root, to run the CLI as another user');
    const dir = await tempDir(t);
    await chmod(dir, 0o755);
    const pw = join(dir, 'pw');
    await writeFile(pw, 'perm\n', { mode: 0o644 });
    const repo = join(dir, 'repo');
    cofferOk(['vault', 'init', repo, '--password-file', pw]);
    await mkdir(join(dir, 'src'), { mode: 0o755 });
    await writeFile(join(dir, 'src', 'a.txt'), 'a\n', { mode: 0o644 });
    const r = spawnSync(process.execPath, [COFFER_BIN, 'vault', 'backup', repo, '--password-file', pw, join(dir, 'src')], {
      uid: NOBODY,
      gid: NOBODY,
      encoding: 'utf8',
      env: { ...process.env, HOME: dir },
    });
    if (/EACCES.*(bin|dist|node_modules)|Cannot find module|permission denied.*coffer/i.test(r.stderr) && !r.stderr.includes(repo))
      return t.skip(`the coffer command itself is not readable by uid ${NOBODY} here: ${r.stderr.trim().slice(0, 200)}`);
    assert.equal(r.status, 1, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        `^coffer: the storage at ${repo} refuses access \\(permission denied\\) while .*: give the user Coffer runs as \\(uid ${NOBODY}\\) read and write access`,
      ),
    );
    resticOk(repo, pw, ['check', '--read-data']);
  });
});
