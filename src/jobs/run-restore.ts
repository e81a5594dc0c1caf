/**
 * Runs one claimed restore job of a directory recovery point: RUNNING, then the snapshot (or the
 * ItemsToRestore in it) written into RestorePath, which must not be an existing non-empty
 * directory; COMPLETED or FAILED with a StatusMessage. The snapshot stores the resource under
 * its absolute source path, so the restore goes to a staging directory inside RestorePath first
 * and the resource's contents are then moved up into RestorePath itself.
 */
import { lstat, mkdir, readdir, rename, rm, rmdir, stat, utimes, chmod } from 'node:fs/promises';
import type { BigIntStats } from 'node:fs';
import { join } from 'node:path';
import { parseItemsToRestore } from '../backup/restore-jobs.js';
import type { RestoreJobRecord } from '../catalog/job-records.js';
import type { CatalogScope } from '../catalog/scope.js';
import { restoreSnapshot } from '../vault/restorer.js';
import { newProgress } from '../vault/progress.js';
import { errorMessage, RESTARTED_MESSAGE } from './job-context.js';
import type { JobRunnerDeps } from './job-context.js';

const STAGING = '.coffer-restoring';

class RestoreRefused extends Error {}

async function prepareTarget(target: string): Promise<void> {
  const existing = await lstat(target).catch(() => undefined);
  if (existing !== undefined) {
    if (!existing.isDirectory()) throw new RestoreRefused(`RestorePath ${target} exists and is not a directory; name a new or empty directory.`);
    if ((await readdir(target)).length > 0) throw new RestoreRefused(`RestorePath ${target} is not empty; Coffer never restores over existing files. Name a new or empty directory.`);
  }
  await mkdir(target, { recursive: true });
}

export async function runRestoreJob(deps: JobRunnerDeps, job: RestoreJobRecord): Promise<void> {
  const { catalog, clock, owner } = deps;
  const scope: CatalogScope = { accountId: job.accountId, region: job.region };
  const now = (): number => clock.now().getTime();
  const finish = (state: 'COMPLETED' | 'FAILED', statusMessage: string | undefined, extra: { bytesTransferred?: number; backupSizeBytes?: number; resultArn?: string } = {}) =>
    catalog.jobs.update('restore', job.id, {
      updatedAt: now(), state, completedAt: now(), releaseLease: true, ...extra,
      ...(statusMessage === undefined ? {} : { statusMessage }), ...(state === 'COMPLETED' ? { percentDone: 100 } : {}),
    }, { leaseOwner: owner });

  const target = job.metadata['RestorePath'];
  if (job.state === 'RUNNING') {
    if (target !== undefined) await rm(join(target, STAGING), { recursive: true, force: true }).catch(() => undefined);
    return void (await finish('FAILED', `${RESTARTED_MESSAGE} Files already moved into ${target ?? 'RestorePath'} stay; empty it before restoring there again.`));
  }
  const point = await catalog.recoveryPoints.get(scope, job.recoveryPointArn);
  const vault = await catalog.vaults.get(scope, job.vaultName);
  if (target === undefined) return void (await finish('FAILED', 'Metadata RestorePath is missing.'));
  if (point === undefined || point.snapshotId === undefined || vault === undefined) return void (await finish('FAILED', `Recovery point ${job.recoveryPointArn} no longer exists.`));
  const startedAt = now();
  await catalog.jobs.update('restore', job.id, { updatedAt: startedAt, state: 'RUNNING', startedAt, percentDone: 0 }, { leaseOwner: owner });
  const staging = join(target, STAGING);
  try {
    await prepareTarget(target);
    const repo = await deps.repositories.open(scope, vault, point.repositoryKeyId === undefined ? {} : { keyId: point.repositoryKeyId });
    const snapshot = await repo.loadSnapshot(point.snapshotId);
    const source = snapshot.paths[0];
    if (source === undefined || snapshot.paths.length !== 1) throw new Error('the snapshot does not hold exactly one directory');
    const items = parseItemsToRestore(job.metadata['ItemsToRestore']);
    const progress = newProgress();
    const result = await restoreSnapshot(repo, snapshot, {
      target: staging, progress, ...(items === undefined ? {} : { include: items.map((item) => join(source, item)) }),
    });
    const root = await moveUp(join(staging, source), target);
    await rm(staging, { recursive: true, force: true });
    // Last: emptying the staging directory changed the target's own mtime.
    await chmod(target, Number(root.mode) & 0o7777);
    await utimes(target, seconds(root.atimeNs), seconds(root.mtimeNs));
    await catalog.recoveryPoints.update(scope, point.arn, { updatedAt: now(), lastRestoreAt: now() });
    const warnings = result.warnings.length === 0 ? undefined : `Restored with ${result.warnings.length} warnings, first: ${result.warnings[0]}`;
    await finish('COMPLETED', warnings, { bytesTransferred: result.bytes, backupSizeBytes: point.backupSizeBytes ?? result.bytes, resultArn: `file:${target}` });
  } catch (err) {
    if (!(err instanceof RestoreRefused)) await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    await finish('FAILED', err instanceof RestoreRefused ? err.message : `Restore into ${target} failed: ${errorMessage(err)}`);
  }
}

/** Moves the entries of `from` into `to` (same file system); returns what `from` was (mode, times). */
async function moveUp(from: string, to: string): Promise<BigIntStats> {
  const info = await stat(from, { bigint: true });
  for (const name of await readdir(from)) await rename(join(from, name), join(to, name));
  await rmdir(from);
  return info;
}

/** Microseconds as fractional seconds, a quarter microsecond up (see the restorer's toSeconds). */
function seconds(ns: bigint): number {
  return Number(ns / 1000n) / 1e6 + 2.5e-7;
}
