/**
 * kill -9 at random points of `coffer vault` backup, copy, prune and restore (issue 12). After
 * every kill the repository passes restic's `check --read-data` as it was left (no lock taken:
 * the dead process's lock is still there), the same command run again succeeds (it removes the
 * stale lock itself), and restic's full `check --read-data` passes. A killed restore leaves no
 * target behind, and the next restore to it gives exactly the snapshot. Rounds: a few in
 * `npm test`, many with COFFER_ROBUSTNESS=full (bench/robustness.ts).
 */
import assert from 'node:assert/strict';
import { readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { randomData, textData } from '../support/fixtures.js';
import { cofferOk, cofferSpawn, resticOk } from '../support/restic.js';
import { killAfter, reportFigures, rounds, seededRandom } from '../support/robustness.js';
import { tempDir } from '../support/temp-dir.js';
import { diffDigests, digestTree } from '../support/tree-digest.js';

const ROUNDS = rounds(2, 15);

async function makeSource(src: string, round: number): Promise<void> {
  await mkdir(join(src, 'text'), { recursive: true });
  for (let i = 0; i < 4; i++) await writeFile(join(src, `r${round}-${i}.bin`), randomData(1536 * 1024, 100 * round + i + 1));
  for (let i = 0; i < 20; i++) await writeFile(join(src, 'text', `r${round}-${i}.txt`), textData(20_000, 1000 * round + i + 1));
}

function timed(args: readonly string[]): number {
  const started = Date.now();
  cofferOk(args);
  return Date.now() - started;
}

test(`kill -9 of coffer vault backup, copy, prune and restore at random points (${ROUNDS} rounds each)`, { timeout: 1_800_000 }, async (t) => {
  const random = seededRandom(t);
  const dir = await tempDir(t);
  const pw = join(dir, 'pw');
  await writeFile(pw, 'kill\n');
  const repo = join(dir, 'repo');
  const copyRepo = join(dir, 'copy');
  const src = join(dir, 'src');
  cofferOk(['vault', 'init', repo, '--password-file', pw]);
  cofferOk(['vault', 'init', copyRepo, '--password-file', pw]);
  await makeSource(src, 0);
  const backupArgs = ['vault', 'backup', repo, '--password-file', pw, src];
  const firstMs = timed(backupArgs);
  const kept = (JSON.parse(cofferOk(['vault', 'snapshots', repo, '--password-file', pw, '--json'])) as { id: string }[])[0]!.id;
  const keptDigest = await digestTree(src);
  const killed: Record<string, number> = { backup: 0, copy: 0, prune: 0, restore: 0 };

  /** One kill round: the command killed at a random moment, checks, the same command again, the full check. */
  const round = async (op: string, args: readonly string[], ms: number, checked: string, after?: () => Promise<void>): Promise<void> => {
    const delay = Math.floor(random() * ms * 1.2);
    const ending = await killAfter(cofferSpawn(args), delay);
    if (ending.killed) killed[op]!++;
    else assert.equal(ending.code, 0, `${op} finished before the kill at ${delay} ms but failed: ${ending.stderr}`);
    resticOk(checked, pw, ['check', '--no-lock', '--read-data']);
    await after?.();
    cofferOk(args);
    resticOk(checked, pw, ['check', '--read-data']);
  };

  for (let i = 1; i <= ROUNDS; i++) {
    await makeSource(src, i); // new data each round, so the killed backup has packs to write
    await round('backup', backupArgs, firstMs, repo);
  }
  const copyArgs = ['vault', 'copy', repo, '--from-password-file', pw, copyRepo, '--password-file', pw];
  for (let i = 1; i <= ROUNDS; i++) {
    await rm(copyRepo, { recursive: true });
    cofferOk(['vault', 'init', copyRepo, '--password-file', pw]);
    await round('copy', copyArgs, firstMs * 2, copyRepo);
  }
  const pruneArgs = ['vault', 'prune', repo, '--password-file', pw];
  for (let i = 1; i <= ROUNDS; i++) {
    const snaps = (JSON.parse(cofferOk(['vault', 'snapshots', repo, '--password-file', pw, '--json'])) as { id: string }[]).filter((s) => s.id !== kept);
    if (snaps.length > 1) cofferOk(['vault', 'forget', repo, '--password-file', pw, snaps[snaps.length - 1]!.id]);
    await round('prune', pruneArgs, firstMs, repo);
  }
  const target = join(dir, 'restores', 'target');
  await mkdir(join(dir, 'restores'));
  const restoreArgs = ['vault', 'restore', repo, '--password-file', pw, kept, '--target', target];
  for (let i = 1; i <= ROUNDS; i++) {
    await round('restore', restoreArgs, firstMs, repo, async () => {
      // Killed before its final move, a restore leaves no target; after it, the whole tree.
      const there = await readdir(target).then(
        () => true,
        () => false,
      );
      if (there) {
        assert.deepEqual(diffDigests(keptDigest, await digestTree(join(target, src))), [], 'a target that exists holds the whole snapshot');
        await rm(target, { recursive: true });
      }
    });
    assert.deepEqual(diffDigests(keptDigest, await digestTree(join(target, src))), []);
    await rm(target, { recursive: true });
    assert.deepEqual(
      (await readdir(join(dir, 'restores'))).filter((n) => n.startsWith('.coffer-restore-')),
      [],
      'the next restore swept what the killed one staged',
    );
  }
  reportFigures(t, 'cli kill -9', {
    rounds: ROUNDS * 4,
    ...Object.fromEntries(Object.entries(killed).map(([k, v]) => [`${k}Killed`, `${v}/${ROUNDS}`])),
    firstBackupMs: firstMs,
  });
  for (const [op, n] of Object.entries(killed)) assert.ok(n > 0 || ROUNDS < 3, `at least one ${op} was killed mid-way (${n}/${ROUNDS})`);
});
