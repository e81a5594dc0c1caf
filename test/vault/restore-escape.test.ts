/**
 * Restores that cannot escape their target: the attacks of issue 12 against the engine's
 * restore (the vault CLI and the directory connector both go through it). Each refused restore
 * writes nothing anywhere; a failed one leaves nothing behind; a target that changes while the
 * restore runs is never written over.
 */
import assert from 'node:assert/strict';
import { lstat, mkdir, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { LocalBlobStore } from '../../src/storage/local-blob-store.js';
import { backupPaths } from '../../src/vault/archiver.js';
import { IncludeNotFoundError } from '../../src/vault/errors.js';
import { Repository } from '../../src/vault/repository.js';
import { restoreSnapshot } from '../../src/vault/restorer.js';
import type { RestoreOptions } from '../../src/vault/restorer.js';
import { cleanUpStaging, RestoreStaging, STAGING_PREFIX } from '../../src/vault/restore-staging.js';
import { resolveRestoreTarget, RestoreTargetError } from '../../src/vault/restore-target.js';
import type { Snapshot } from '../../src/vault/snapshot.js';
import { tempDir } from '../support/temp-dir.js';
import { diffDigests, digestTree } from '../support/tree-digest.js';

interface World {
  readonly dir: string;
  readonly repo: Repository;
  readonly snapshot: Snapshot;
  readonly src: string;
}

async function world(t: Parameters<typeof tempDir>[0]): Promise<World> {
  const dir = await tempDir(t);
  const src = join(dir, 'src');
  await mkdir(join(src, 'docs'), { recursive: true });
  await writeFile(join(src, 'a.txt'), 'from the backup\n');
  await writeFile(join(src, 'docs', 'b.txt'), 'b\n');
  const repo = await Repository.init(new LocalBlobStore(join(dir, 'repo')), Buffer.from('pw'), { N: 1024, r: 8, p: 1 });
  const { snapshotId } = await backupPaths(repo, [src]);
  return { dir, repo, snapshot: await repo.loadSnapshot(snapshotId), src };
}

async function refused(w: World, options: RestoreOptions, pattern: RegExp): Promise<void> {
  await assert.rejects(restoreSnapshot(w.repo, w.snapshot, { root: w.src, ...options }), (err: Error) => {
    assert.ok(err instanceof RestoreTargetError, `a RestoreTargetError, got ${err.name}: ${err.message}`);
    assert.match(err.message, pattern);
    return true;
  });
}

async function staging(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.startsWith(STAGING_PREFIX));
}

describe('restore targets', () => {
  test('a ".." component is refused before anything is written (the /tmp/nope/../t attack)', async (t) => {
    const w = await world(t);
    const victim = join(w.dir, 't');
    await mkdir(victim);
    await writeFile(join(victim, 'a.txt'), 'the victim\n');
    await refused(w, { target: join(w.dir, 'nope') + '/../t' }, /contains "\.\."/);
    await refused(w, { target: '/nonexistent/../etc' }, /contains "\.\.": name the directory without "\.\." components \(\/etc/);
    assert.equal(await readFile(join(victim, 'a.txt'), 'utf8'), 'the victim\n');
    assert.deepEqual(await readdir(victim), ['a.txt']);
    await assert.rejects(lstat(join(w.dir, 'nope')), /ENOENT/, 'the missing parent was not created');
  });

  test('a symbolic link in the target or any parent is refused, unless a configured root is (or lies under) it', async (t) => {
    const w = await world(t);
    const real = join(w.dir, 'real');
    await mkdir(join(real, 'empty'), { recursive: true });
    await symlink(real, join(w.dir, 'link'));
    await symlink(join(real, 'empty'), join(w.dir, 'empty-link'));
    await refused(
      w,
      { target: join(w.dir, 'link', 'new') },
      /goes through the symbolic link .*link \(to .*real\).*name the real directory \(.*real\/new\), or name that root in restoreRoots/,
    );
    await refused(w, { target: join(w.dir, 'empty-link') }, /goes through the symbolic link/);
    assert.deepEqual(await readdir(real), ['empty']);
    await restoreSnapshot(w.repo, w.snapshot, { target: join(w.dir, 'link', 'new'), root: w.src, rules: { roots: [join(w.dir, 'link')] } });
    assert.equal(await readFile(join(real, 'new', 'a.txt'), 'utf8'), 'from the backup\n');
    // Below a trusted root, a link is refused again.
    await symlink(real, join(real, 'inner'));
    await refused(w, { target: join(w.dir, 'link', 'inner', 'x'), rules: { roots: [join(w.dir, 'link')] } }, /symbolic link .*inner/);
  });

  test('only a new or empty directory: files, non-empty directories and / are refused; an empty one is used', async (t) => {
    const w = await world(t);
    await writeFile(join(w.dir, 'file'), 'x');
    await mkdir(join(w.dir, 'full'));
    await writeFile(join(w.dir, 'full', 'keep'), 'keep');
    await refused(w, { target: join(w.dir, 'file') }, /exists and is not a directory/);
    await refused(w, { target: join(w.dir, 'file', 'below') }, /cannot be created: .*file exists and is not a directory/);
    await refused(w, { target: join(w.dir, 'full') }, /is not empty; Coffer never restores over existing files/);
    await refused(w, { target: '/' }, /root directory/);
    await refused(w, { target: '' }, /is empty/);
    await mkdir(join(w.dir, 'empty'));
    await restoreSnapshot(w.repo, w.snapshot, { target: join(w.dir, 'empty'), root: w.src });
    assert.deepEqual(diffDigests(await digestTree(w.src), await digestTree(join(w.dir, 'empty'))), []);
    assert.deepEqual(await staging(w.dir), []);
  });

  test("inside (or around) Coffer's own directories, and outside the restore roots, is refused", async (t) => {
    const w = await world(t);
    const forbidden = [{ path: join(w.dir, 'repo'), what: 'the repository it restores from' }];
    await refused(w, { target: join(w.dir, 'repo', 'data', 'x'), rules: { forbidden } }, /is inside the repository it restores from/);
    await refused(w, { target: join(w.dir, 'repo', 'x'), rules: { forbidden } }, /is inside the repository it restores from/);
    await symlink(join(w.dir, 'repo'), join(w.dir, 'repo-link'));
    await refused(
      w,
      { target: join(w.dir, 'repo-link', 'x'), rules: { forbidden, roots: [join(w.dir, 'repo-link')] } },
      /is inside the repository it restores from/,
    );
    await refused(
      w,
      { target: join(w.dir, 'x'), rules: { forbidden: [{ path: join(w.dir, 'x', 'vaults'), what: 'vault storage' }] } },
      /would contain vault storage/,
    );
    const roots = [join(w.dir, 'restores')];
    await refused(w, { target: join(w.dir, 'elsewhere'), rules: { roots } }, /outside the restore roots \(restoreRoots in the config: .*restores\)/);
    await refused(w, { target: join(w.dir, 'restores'), rules: { roots } }, /outside the restore roots/);
    await restoreSnapshot(w.repo, w.snapshot, { target: join(w.dir, 'restores', '2024', 'one'), root: w.src, rules: { roots, forbidden } });
    assert.equal(await readFile(join(w.dir, 'restores', '2024', 'one', 'a.txt'), 'utf8'), 'from the backup\n');
  });

  test('includes not in the snapshot fail the restore naming them, and leave nothing', async (t) => {
    const w = await world(t);
    const target = join(w.dir, 'parent', 'new');
    await assert.rejects(
      restoreSnapshot(w.repo, w.snapshot, { target, root: w.src, include: [join(w.src, 'docs'), join(w.src, 'nope'), join(w.src, 'docs', 'c.txt')] }),
      (err: Error) => err instanceof IncludeNotFoundError && err.paths.join() === [join(w.src, 'nope'), join(w.src, 'docs', 'c.txt')].join(),
    );
    assert.deepEqual((await readdir(w.dir)).sort(), ['repo', 'src'], 'neither the target, its new parent nor a staging directory is left');
  });

  test('a restore that fails mid-way (a pack gone) removes exactly what it created', async (t) => {
    const w = await world(t);
    await mkdir(join(w.dir, 'existing'));
    await writeFile(join(w.dir, 'existing', 'other'), 'not ours');
    const packs = (await readdir(join(w.dir, 'repo', 'data'), { recursive: true })).filter((p) => /[0-9a-f]{64}$/.test(p));
    for (const p of packs) await rm(join(w.dir, 'repo', 'data', p));
    await assert.rejects(restoreSnapshot(w.repo, w.snapshot, { target: join(w.dir, 'existing', 'a', 'b', 'new'), root: w.src }), /ENOENT|does not exist/);
    assert.deepEqual(await readdir(join(w.dir, 'existing')), ['other'], 'the parents it made and its staging directory are gone; what was there stays');
  });

  test('a target made by someone else while the restore ran is never written over', async (t) => {
    const w = await world(t);
    const target = resolveRestoreTarget(join(w.dir, 'p', 'new'));
    const stage = await RestoreStaging.create(target, 'race');
    await writeFile(join(stage.tree, 'restored.txt'), 'restored');
    await mkdir(join(w.dir, 'p', 'new'));
    await writeFile(join(w.dir, 'p', 'new', 'theirs'), 'theirs');
    await assert.rejects(
      stage.commit('/'),
      (err: Error) =>
        err instanceof RestoreTargetError && /was made by someone else while the restore ran and is not empty; nothing in it was changed/.test(err.message),
    );
    await stage.abort();
    assert.deepEqual(await readdir(join(w.dir, 'p', 'new')), ['theirs']);
    assert.deepEqual(await readdir(join(w.dir, 'p')), ['new'], 'the staging directory is gone; the parent stays (it is not empty)');
    assert.deepEqual(await staging(w.dir), []);
  });

  test('a parent swapped for a symbolic link while the restore ran: nothing is moved', async (t) => {
    const w = await world(t);
    await mkdir(join(w.dir, 'p'));
    await mkdir(join(w.dir, 'elsewhere'));
    const target = resolveRestoreTarget(join(w.dir, 'p', 'q', 'new'));
    const stage = await RestoreStaging.create(target, 'swap');
    await writeFile(join(stage.tree, 'restored.txt'), 'restored');
    await rename(join(w.dir, 'p'), join(w.dir, 'p-old'));
    await symlink(join(w.dir, 'elsewhere'), join(w.dir, 'p'));
    await assert.rejects(
      stage.commit('/'),
      (err: Error) => err instanceof RestoreTargetError && /p became a symbolic link while the restore ran, so nothing was moved there/.test(err.message),
    );
    await stage.abort();
    assert.deepEqual(await readdir(join(w.dir, 'elsewhere')), []);
  });

  test('after a restore whose process died, cleanUpStaging removes its staging directory and the parents it made', async (t) => {
    const w = await world(t);
    const target = join(w.dir, 'a', 'b', 'new');
    const stage = await RestoreStaging.create(resolveRestoreTarget(target), 'job-1');
    await writeFile(join(stage.tree, 'half.txt'), 'half');
    assert.deepEqual(await staging(w.dir), [`${STAGING_PREFIX}job-1`]);
    assert.deepEqual(await cleanUpStaging(target, 'other-job'), [], 'another job id finds nothing');
    const removed = await cleanUpStaging(target, 'job-1');
    assert.ok(removed.includes(join(w.dir, 'a')) && removed.includes(join(w.dir, 'a', 'b')), removed.join());
    assert.deepEqual((await readdir(w.dir)).sort(), ['repo', 'src']);
    assert.deepEqual(await cleanUpStaging('/nonexistent/../etc', 'job-1'), [], 'a ".." target is never cleaned through');
  });
});
