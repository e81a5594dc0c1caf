/**
 * Directory resources (type EFS): a local directory backed up as restic backs up a path (stored
 * under its absolute path, unchanged files taken from the parent snapshot) and restored into a
 * new or empty directory, RestorePath. The snapshot stores the resource under its absolute
 * source path; the restorer stages the tree next to RestorePath and moves that directory into
 * place as RestorePath itself, never over anything (vault/restore-staging.ts). Which targets are
 * refused (`..`, symbolic links, Coffer's own directories, outside restoreRoots) is
 * vault/restore-target.ts's; the job's rules come with the restore context.
 */
import { lstat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { backupPaths } from '../../vault/archiver.js';
import { IncludeNotFoundError } from '../../vault/errors.js';
import { restoreSnapshot } from '../../vault/restorer.js';
import { cleanUpStaging } from '../../vault/restore-staging.js';
import { canonicalTarget, RestoreTargetError } from '../../vault/restore-target.js';
import { ConnectorError, RestoreMetadataError } from '../connector.js';
import type { Connector, RecoveryPointInfo } from '../connector.js';
import type { DirectoryResourceConfig } from '../../config/resource-config.js';
import { directorySize } from './directory-size.js';
import { parseItemsToRestore } from './items-to-restore.js';
import { checkRestoredDirectory, deleteRestoredDirectory } from './restored-directory.js';

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
      ...ctx.snapshot,
      progress: ctx.progress,
      signal: ctx.signal,
      parent: ctx.parent ?? 'auto',
    });
    const size = Math.max(await scan, ctx.progress.bytes);
    const point = { arn: ctx.recoveryPointArn, id: ctx.recoveryPointArn.split(':').pop() ?? '', createdAt: ctx.snapshot.time };
    const warnings = result.warnings.length === 0 ? [] : [`Completed with ${result.warnings.length} unreadable entries left out, first: ${result.warnings[0]}`];
    return {
      snapshotId: result.snapshotId,
      sizeBytes: size,
      storedBytes: result.stats.storedBytes,
      warnings,
      restoreMetadata: this.restoreMetadataDefaults(resource, point),
    };
  },

  restoreMetadataDefaults(resource, point) {
    return defaultRestoreMetadata(resource, point);
  },

  validateRestoreMetadata(metadata) {
    const target = metadata['RestorePath'];
    if (target === undefined || !isAbsolute(target)) {
      throw new RestoreMetadataError(
        'RestorePath',
        'Metadata RestorePath must be an absolute directory path (a new or empty directory); GetRecoveryPointRestoreMetadata shows the default.',
      );
    }
    try {
      canonicalTarget(target, 'Metadata RestorePath');
    } catch (err) {
      if (err instanceof RestoreTargetError) throw new RestoreMetadataError('RestorePath', err.message);
      throw err;
    }
    parseItemsToRestore(metadata['ItemsToRestore']);
  },

  async restore(ctx) {
    const target = ctx.metadata['RestorePath'];
    if (target === undefined) throw new ConnectorError('Refused', 'Metadata RestorePath is missing.');
    const source = ctx.snapshot.paths[0];
    if (source === undefined || ctx.snapshot.paths.length !== 1)
      throw new ConnectorError('Failed', `Restore into ${target} failed: the snapshot does not hold exactly one directory.`);
    const items = parseItemsToRestore(ctx.metadata['ItemsToRestore']);
    try {
      const result = await restoreSnapshot(ctx.repo, ctx.snapshot, {
        target,
        root: source,
        stagingId: ctx.jobId,
        progress: ctx.progress,
        rules: { ...ctx.restoreTargets, label: 'RestorePath' },
        ...(items === undefined ? {} : { include: items.map((item) => join(source, item)) }),
      });
      const warnings = result.warnings.length === 0 ? [] : [`Restored with ${result.warnings.length} warnings, first: ${result.warnings[0]}`];
      return { bytes: result.bytes, resultArn: `file:${canonicalTarget(target)}`, warnings };
    } catch (err) {
      if (err instanceof RestoreTargetError) throw new ConnectorError('Refused', err.message);
      if (err instanceof IncludeNotFoundError) {
        const names = err.paths.map((p) => p.slice(source.replace(/\/+$/, '').length) || '/');
        throw new ConnectorError(
          'Refused',
          `ItemsToRestore names ${names.length === 1 ? 'a path' : 'paths'} the recovery point does not hold: ${names.join(', ')}; nothing was restored. Name paths inside the backed-up directory ${source}, relative to it and starting with /.`,
        );
      }
      throw new ConnectorError(
        'Failed',
        `Restore into ${target} failed: ${err instanceof Error ? err.message : String(err)}; what it had written was removed.`,
        { cause: err },
      );
    }
  },

  async cleanUpInterruptedRestore({ metadata, jobId }) {
    const target = metadata['RestorePath'];
    if (target === undefined) return undefined;
    const removed = await cleanUpStaging(target, jobId);
    return removed.length === 0 ? undefined : `What it had written was removed, so ${target} is as before.`;
  },

  checkRestored: checkRestoredDirectory,
  deleteRestored: deleteRestoredDirectory,
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
