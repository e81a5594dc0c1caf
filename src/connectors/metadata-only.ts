/**
 * Sandbox mode's metadata-only recovery points (docs/operations.md#sandbox-mode): a resource
 * ARN the config does not name is backed up without reading anything, as a snapshot holding one
 * file, `coffer-metadata-only.json`, that says so; the recovery point's restore metadata carries
 * `CofferMetadataOnly: "true"`, and the backup job's StatusMessage says it is metadata-only. Such
 * a point is copied, expires and is reported on like any other; restoring it creates nothing
 * (the restore job completes saying so). Never outside `--sandbox`.
 */
import { Readable } from 'node:stream';
import { parseResourceArn } from '../config/resource-arn.js';
import type { ResourceConfig } from '../config/resource-config.js';
import { backupEntries } from '../vault/virtual-tree.js';
import type { BackupContext, BackupOutcome } from './connector.js';

/** The restore metadata key that marks a metadata-only recovery point. */
export const METADATA_ONLY_KEY = 'CofferMetadataOnly';
export const METADATA_ONLY_FILE = 'coffer-metadata-only.json';

export const METADATA_ONLY_BACKUP_MESSAGE =
  'Sandbox: the config names no such resource, so this is a metadata-only recovery point (CofferMetadataOnly); no data was read.';
export const METADATA_ONLY_RESTORE_MESSAGE = 'Sandbox: the recovery point is metadata-only (CofferMetadataOnly), so nothing was restored.';

export function isMetadataOnly(recorded: Readonly<Record<string, string>> | undefined): boolean {
  return recorded?.[METADATA_ONLY_KEY] === 'true';
}

/** A made-up resource for an ARN the config does not name (sandbox only); undefined when the ARN cannot name a resource or names no account (S3). */
export function metadataOnlyResource(arn: string): ResourceConfig | undefined {
  const parsed = parseResourceArn(arn);
  if (typeof parsed === 'string' || parsed.accountId === '') return undefined;
  const base = { arn, accountId: parsed.accountId, region: parsed.region, name: parsed.name, tags: {}, metadataOnly: true as const };
  switch (parsed.type) {
    case 'EFS':
      return { ...base, type: 'EFS', path: '' };
    case 'RDS':
      return { ...base, type: 'RDS', engine: 'postgres', host: '', port: 0, user: '', database: parsed.name, password: undefined, kmsKeyId: undefined };
    case 'DynamoDB':
      return { ...base, type: 'DynamoDB', endpoint: '', endpointRegion: parsed.region, table: parsed.name, credentials: undefined };
    case 'S3':
      return undefined;
  }
}

/** The metadata-only snapshot of `resource`. */
export async function backupMetadataOnly(resource: ResourceConfig, ctx: BackupContext): Promise<BackupOutcome> {
  const body = Buffer.from(
    `${JSON.stringify({ metadataOnly: true, resourceArn: resource.arn, resourceType: resource.type, note: METADATA_ONLY_BACKUP_MESSAGE }, null, 2)}\n`,
  );
  const result = await backupEntries(ctx.repo, [{ path: METADATA_ONLY_FILE, type: 'file', open: () => Readable.from([body]) }], {
    ...ctx.snapshot,
    tags: [...ctx.snapshot.tags, 'coffer:metadata-only'],
    progress: ctx.progress,
    signal: ctx.signal,
    paths: ['/'],
  });
  return {
    snapshotId: result.snapshotId,
    sizeBytes: 0,
    storedBytes: result.stats.storedBytes,
    warnings: [METADATA_ONLY_BACKUP_MESSAGE],
    restoreMetadata: { [METADATA_ONLY_KEY]: 'true', SourceResourceArn: resource.arn },
  };
}
