/**
 * Directory resources (type EFS): a local directory backed up as restic backs up a path (stored
 * under its absolute path, unchanged files taken from the parent snapshot) and restored into a
 * new or empty directory, RestorePath. The snapshot stores the resource under its absolute
 * source path, so the restore goes to a staging directory inside RestorePath first and the
 * resource's contents are then moved up into RestorePath itself.
 */
import { chmod, lstat, mkdir, readdir, rename, rm, rmdir, stat, utimes } from 'node:fs/promises';
import type { BigIntStats } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { backupPaths } from '../../vault/archiver.js';
import { restoreSnapshot } from '../../vault/restorer.js';
import { ConnectorError, RestoreMetadataError } from '../connector.js';
import type { Connector, DirectoryResourceConfig, RecoveryPointInfo } from '../connector.js';
import { directorySize } from './directory-size.js';
import { parseItemsToRestore } from './items-to-restore.js';

const STAGING = '.coffer-restoring';

export const directoryConnector: Connector<'EFS'> = {
  type: 'EFS',

  async discover() {
    return [];
  },

  async backup(resource, ctx) {
    const found = await lstat(resource.path).catch((err: NodeJS.ErrnoException) => {
      throw new ConnectorError('NotFound', `directory ${resource.path} cannot be read (${err.code ?? err.message})`);
    });
    if (!found.isDirectory()) throw new ConnectorError('NotFound', `${resource.path} is not a directory`);
    const scan = directorySize(resource.path).then((total) => {
      ctx.progress.totalBytes = total.bytes;
      ctx.progress.totalFiles = total.files;
      return total.bytes;
    });
    const result = await backupPaths(ctx.repo, [resource.path], {
      ...ctx.snapshot, progress: ctx.progress, signal: ctx.signal, parent: ctx.parent ?? 'auto',
    });
    const size = Math.max(await scan, ctx.progress.bytes);
    const point = { arn: ctx.recoveryPointArn, id: ctx.recoveryPointArn.split(':').pop() ?? '', createdAt: ctx.snapshot.time };
    const warnings = result.warnings.length === 0 ? [] : [`Completed with ${result.warnings.length} unreadable entries left out, first: ${result.warnings[0]}`];
    return { snapshotId: result.snapshotId, sizeBytes: size, storedBytes: result.stats.storedBytes, warnings, restoreMetadata: this.restoreMetadataDefaults(resource, point) };
  },

  restoreMetadataDefaults(resource, point) {
    return defaultRestoreMetadata(resource, point);
  },

  validateRestoreMetadata(metadata) {
    const target = metadata['RestorePath'];
    if (target === undefined || !isAbsolute(target)) {
      throw new RestoreMetadataError('RestorePath', 'Metadata RestorePath must be an absolute directory path (a new or empty directory); GetRecoveryPointRestoreMetadata shows the default.');
    }
    parseItemsToRestore(metadata['ItemsToRestore']);
  },

  async restore(ctx) {
    const target = ctx.metadata['RestorePath'];
    if (target === undefined) throw new ConnectorError('Refused', 'Metadata RestorePath is missing.');
    const staging = join(target, STAGING);
    try {
      await prepareTarget(target);
      const source = ctx.snapshot.paths[0];
      if (source === undefined || ctx.snapshot.paths.length !== 1) throw new Error('the snapshot does not hold exactly one directory');
      const items = parseItemsToRestore(ctx.metadata['ItemsToRestore']);
      const result = await restoreSnapshot(ctx.repo, ctx.snapshot, {
        target: staging, progress: ctx.progress, ...(items === undefined ? {} : { include: items.map((item) => join(source, item)) }),
      });
      const root = await moveUp(join(staging, source), target);
      await rm(staging, { recursive: true, force: true });
      // Last: emptying the staging directory changed the target's own mtime.
      await chmod(target, Number(root.mode) & 0o7777);
      await utimes(target, seconds(root.atimeNs), seconds(root.mtimeNs));
      const warnings = result.warnings.length === 0 ? [] : [`Restored with ${result.warnings.length} warnings, first: ${result.warnings[0]}`];
      return { bytes: result.bytes, resultArn: `file:${target}`, warnings };
    } catch (err) {
      if (err instanceof ConnectorError && err.kind === 'Refused') throw err;
      await rm(staging, { recursive: true, force: true }).catch(() => undefined);
      throw new ConnectorError('Failed', `Restore into ${target} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  },

  async cleanUpInterruptedRestore({ metadata }) {
    const target = metadata['RestorePath'];
    if (target !== undefined) await rm(join(target, STAGING), { recursive: true, force: true }).catch(() => undefined);
    return `Files already moved into ${target ?? 'RestorePath'} stay; empty it before restoring there again.`;
  },
};

/** The restore metadata recorded with an EFS-type recovery point (docs/restore-metadata.md). */
export function defaultRestoreMetadata(resource: Pick<DirectoryResourceConfig, 'name' | 'path'>, point: Pick<RecoveryPointInfo, 'id'>): Record<string, string> {
  const sourcePath = resource.path;
  return {
    'file-system-id': resource.name,
    newFileSystem: 'true',
    Encrypted: 'true',
    RestorePath: `${sourcePath.replace(/\/+$/, '')}-restore-${point.id.replace(/^recovery-point:/, '').slice(0, 8)}`,
    SourcePath: sourcePath,
  };
}

async function prepareTarget(target: string): Promise<void> {
  const existing = await lstat(target).catch(() => undefined);
  if (existing !== undefined) {
    if (!existing.isDirectory()) throw new ConnectorError('Refused', `RestorePath ${target} exists and is not a directory; name a new or empty directory.`);
    if ((await readdir(target)).length > 0) throw new ConnectorError('Refused', `RestorePath ${target} is not empty; Coffer never restores over existing files. Name a new or empty directory.`);
  }
  await mkdir(target, { recursive: true });
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
