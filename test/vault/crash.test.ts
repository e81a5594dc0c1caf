/**
 * Crash safety: a backup killed with SIGKILL leaves a repository restic accepts, its stale lock
 * is recognised as restic would, and the next backup works and reuses what was written.
 */
import assert from 'node:assert/strict';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomData } from '../support/fixtures.js';
import { LocalBlobStore } from '../../src/storage/local-blob-store.js';
import { Repository } from '../../src/vault/repository.js';
import { coffer, cofferOk, cofferSpawn, restic, resticOk } from '../support/restic.js';
import { tempDir } from '../support/temp-dir.js';
import { diffDigests, digestTree } from '../support/tree-digest.js';

async function countFiles(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).length;
}

test('a backup killed mid-way leaves a consistent repository and the next backup succeeds', async (t) => {
  const dir = await tempDir(t);
  const pw = join(dir, 'pw');
  await writeFile(pw, 'crash\n');
  const repo = join(dir, 'repo');
  const src = join(dir, 'src');
  cofferOk(['vault', 'init', repo, '--password-file', pw]);
  await mkdir(src);
  for (let i = 0; i < 6; i++) await writeFile(join(src, `part-${i}.bin`), randomData(64 * 1024 * 1024, 20 + i));

  const child = cofferSpawn(['vault', 'backup', repo, '--password-file', pw, src]);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  // Wait until packs and at least two index files (one every 4 packs) are on disk.
  while ((await countFiles(join(repo, 'index'))) < 2 && Date.now() < deadline) await sleep(20);
  child.kill('SIGKILL');
  await exited;

  assert.ok((await countFiles(join(repo, 'data'))) >= 8, 'the backup had written packs before it was killed');
  assert.equal(await countFiles(join(repo, 'snapshots')), 0, 'no snapshot from the killed backup');
  assert.equal(await countFiles(join(repo, 'locks')), 1, 'the dead process left its lock');

  // The data is consistent right away; only the stale lock stops restic's exclusive check.
  resticOk(repo, pw, ['check', '--no-lock', '--read-data']);
  const locked = restic(repo, pw, ['check']);
  assert.notEqual(locked.status, 0, 'restic 0.14 refuses an exclusive lock while a stale one exists');
  assert.match(locked.stderr, /locked/);

  // `coffer vault unlock` removes the stale lock as `restic unlock` does; then restic's own check passes.
  assert.match(cofferOk(['vault', 'unlock', repo, '--password-file', pw]), /removed 1 locks/);
  resticOk(repo, pw, ['check', '--read-data']);
  // The killed writer's temp files: a plain check leaves them, a repairing check removes them.
  const temps = await countFiles(join(repo, '.coffer-tmp'));
  cofferOk(['vault', 'check', repo, '--password-file', pw]);
  assert.equal(await countFiles(join(repo, '.coffer-tmp')), temps, 'check without --repair only reads');
  assert.match(
    cofferOk(['vault', 'check', repo, '--password-file', pw, '--repair']),
    new RegExp(`removed ${temps} temp files .* left by writers that are gone`),
  );
  assert.equal(await countFiles(join(repo, '.coffer-tmp')), 0);

  // The next backup succeeds, reusing the data already written and indexed.
  const out = JSON.parse(cofferOk(['vault', 'backup', repo, '--password-file', pw, '--json', src])) as { newBytes: number };
  assert.ok(out.newBytes < 6 * 64 * 1024 * 1024, 'data written before the crash was reused');
  resticOk(repo, pw, ['check', '--read-data']);
  const restored = join(dir, 'restored');
  resticOk(repo, pw, ['restore', 'latest', '--target', restored]);
  assert.deepEqual(diffDigests(await digestTree(src), await digestTree(join(restored, src))), []);
});

test('a stale lock from a dead process is removed by the next operation; a live exclusive lock is respected', async (t) => {
  const dir = await tempDir(t);
  const pw = join(dir, 'pw');
  await writeFile(pw, 'locks\n');
  const repo = join(dir, 'repo');
  const src = join(dir, 'src');
  await mkdir(src);
  await writeFile(join(src, 'a.txt'), 'a\n');
  resticOk(repo, pw, ['init', '--repository-version', '2']);
  const lib = await Repository.open(new LocalBlobStore(repo), Buffer.from('locks'));
  const lock = (pid: number, exclusive: boolean) =>
    Buffer.from(JSON.stringify({ time: new Date().toISOString(), exclusive, hostname: hostname(), username: 'test', pid }));

  // A dead PID on this host: stale, removed by the next Coffer operation.
  await lib.saveUnpacked('locks', lock(2 ** 22 + 12345, true));
  cofferOk(['vault', 'backup', repo, '--password-file', pw, src]);
  assert.equal(await countFiles(join(repo, 'locks')), 0);

  // A live process holding an exclusive lock: Coffer refuses, naming the holder.
  await lib.saveUnpacked('locks', lock(process.pid, true));
  const refused = coffer(['vault', 'backup', repo, '--password-file', pw, src]);
  assert.notEqual(refused.status, 0);
  assert.match(refused.stderr, new RegExp(`repository is locked: exclusive lock of PID ${process.pid}`));
  assert.match(refused.stderr, /coffer vault unlock/);
});
