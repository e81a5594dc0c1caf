/**
 * s3/: the S3 connector. A bucket (or the keys below a prefix) on any S3-API endpoint is backed
 * up as `objects/<key>` (the bytes; escaped where a key is not a path, see object-paths) plus
 * `objects.jsonl` (key, ETag, size, headers, metadata, tags) and `bucket.json`; a later backup
 * reuses unchanged objects from its parent without downloading them. Restores go into a new or
 * an existing bucket, never replacing an object unless asked. Layout:
 * docs/connectors-dynamodb-s3.md; restore metadata: docs/restore-metadata.md. Knows the SDK and
 * the vault's virtual trees, nothing of jobs.
 */
import { withScopedClient } from '../aws-endpoint/scoped-client.js';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { ConnectorError } from '../connector.js';
import type {
  BackupContext,
  BackupOutcome,
  Connector,
  InterruptedRestore,
  ObjectFailure,
  RecoveryPointInfo,
  RestoreContext,
  RestoreOutcome,
} from '../connector.js';
import type { BucketDiscoveryConfig, BucketResourceConfig } from '../../config/resource-config.js';
import { endpointFailure } from '../aws-endpoint/endpoint-error.js';
import { endpointName } from '../aws-endpoint/endpoint-settings.js';
import { requestSignal } from '../aws-endpoint/request-signal.js';
import { fileNode, readLines, readWholeFile } from '../aws-endpoint/snapshot-files.js';
import type { Repository } from '../../vault/repository.js';
import type { Snapshot } from '../../vault/snapshot.js';
import type { TreeNode } from '../../vault/tree.js';
import { backupEntries, findNode, readFile, walkFiles } from '../../vault/virtual-tree.js';
import { bucketEntries, planObjects } from './bucket-backup.js';
import type { BucketBackupState, ParentBucket } from './bucket-backup.js';
import { listObjects } from './bucket-reader.js';
import { objectFailureSentence } from './object-failures.js';
import { prepareTarget, writeObjects } from './bucket-writer.js';
import type { WrittenSoFar } from './bucket-writer.js';
import { BUCKET_FILE, MANIFEST_FILE, parseBucketRecord, parseManifestLine } from './object-manifest.js';
import type { ManifestEntry } from './object-manifest.js';
import { OBJECTS_DIR } from './object-paths.js';
import { bucketRestoreDefaults, parseItems, validateBucketRestore } from './restore-metadata.js';
import { makeS3Client } from './s3-client.js';
import type { S3ClientFactory, S3Settings } from './s3-client.js';
import { checkRestoredBucket, deleteRestoredBucket } from './restored-bucket.js';

export interface S3ConnectorOptions {
  readonly makeClient?: S3ClientFactory;
  /** Objects written at once by a restore (default 4). */
  readonly writeConcurrency?: number;
}

/** `arn:aws:s3:::<bucket>`. */
export const bucketArn = (bucket: string): string => `arn:aws:s3:::${bucket}`;

export function createS3Connector(options: S3ConnectorOptions = {}): Connector<'S3'> {
  const makeClient = options.makeClient ?? makeS3Client;
  const withClient = <T>(settings: S3Settings, body: (client: S3Client) => Promise<T>): Promise<T> => withScopedClient(makeClient, settings, body);

  return {
    type: 'S3',

    async discover(source: BucketDiscoveryConfig, signal?: AbortSignal): Promise<readonly BucketResourceConfig[]> {
      const names = await withClient(source, async (client) => {
        const found: string[] = [];
        let token: string | undefined;
        do {
          const page = await client.send(new ListBucketsCommand({ ContinuationToken: token }), { abortSignal: signal });
          found.push(...(page.Buckets ?? []).map((b) => b.Name ?? '').filter((name) => name !== ''));
          token = page.ContinuationToken;
        } while (token !== undefined && token !== '');
        return found;
      }).catch((err: unknown) => {
        throw endpointFailure(`listing the buckets of discovery entry ${source.name}`, endpointName(source, 's3'), err);
      });
      return names.map((bucket) => ({
        type: 'S3',
        arn: bucketArn(bucket),
        accountId: source.accountId,
        region: source.region,
        name: bucket,
        tags: { ...source.tags },
        discoveredBy: source.name,
        endpoint: source.endpoint,
        endpointRegion: source.endpointRegion,
        bucket,
        prefix: '',
        forcePathStyle: source.forcePathStyle,
        credentials: source.credentials,
      }));
    },

    async backup(resource: BucketResourceConfig, ctx: BackupContext): Promise<BackupOutcome> {
      return withClient(resource, async (client) => {
        const signal = requestSignal(ctx.signal);
        const source = { client, bucket: resource.bucket, prefix: resource.prefix, signal };
        const state: BucketBackupState = { manifest: [], warnings: [], failures: [], downloaded: 0, reused: 0, bytes: 0 };
        try {
          const listed = await listObjects(client, resource.bucket, resource.prefix, signal);
          ctx.progress.totalBytes = listed.reduce((sum, o) => sum + o.size, 0);
          const parent = ctx.parent === undefined ? undefined : await parentBucket(ctx.repo, ctx.parent);
          const plan = await planObjects(source, listed, parent, state);
          const result = await backupEntries(ctx.repo, bucketEntries(source, plan, state), {
            ...ctx.snapshot,
            progress: ctx.progress,
            signal: ctx.signal,
            paths: ['/'],
            ...(ctx.parent === undefined ? {} : { parent: ctx.parent }),
          });
          const failed = objectFailureSentence(state.failures, 'backed up');
          return {
            snapshotId: result.snapshotId,
            sizeBytes: state.bytes,
            storedBytes: result.stats.storedBytes,
            warnings: [...state.warnings, ...result.warnings, ...(failed === undefined ? [] : [failed])],
            objectFailures: state.failures,
            restoreMetadata: bucketRestoreDefaults(resource.bucket, resource.prefix, pointOf(ctx.recoveryPointArn)),
          };
        } catch (err) {
          ctx.signal.throwIfAborted();
          throw endpointFailure(`bucket ${resource.bucket}`, endpointName(resource, 's3'), err);
        }
      });
    },

    restoreMetadataDefaults: (resource: BucketResourceConfig, point: RecoveryPointInfo) => bucketRestoreDefaults(resource.bucket, resource.prefix, point),

    validateRestoreMetadata: validateBucketRestore,

    async restore(ctx: RestoreContext<BucketResourceConfig>): Promise<RestoreOutcome> {
      const resource = ctx.resource;
      if (resource === undefined) {
        throw new ConnectorError('Refused', `${ctx.resourceArn} is no longer configured, so there is no S3 endpoint to restore to; configure it again first`);
      }
      const recordNode = await fileNode(ctx.repo, ctx.snapshot, BUCKET_FILE);
      const manifestNode = await fileNode(ctx.repo, ctx.snapshot, MANIFEST_FILE);
      if (recordNode === undefined || manifestNode === undefined) {
        throw new ConnectorError('Failed', `the recovery point ${ctx.recoveryPointArn} holds no ${BUCKET_FILE} and ${MANIFEST_FILE}; it is not an S3 backup`);
      }
      const record = parseBucketRecord((await readWholeFile(ctx.repo, recordNode)).toString('utf8'));
      const defaults = bucketRestoreDefaults(record.bucket, record.prefix, pointOf(ctx.recoveryPointArn));
      const metadata = { ...defaults, ...ctx.metadata };
      const bucket = metadata['DestinationBucketName']!;
      const destPrefix = metadata['DestinationPrefix']!;
      const items = parseItems(metadata['ItemsToRestore']);
      const manifest = await readManifest(ctx.repo, manifestNode);
      const selected = items === undefined ? manifest : manifest.filter((e) => items.some((item) => e.key.startsWith(item)));
      const keyOf = (entry: ManifestEntry): string => destPrefix + (entry.key.startsWith(record.prefix) ? entry.key.slice(record.prefix.length) : entry.key);
      ctx.progress.totalBytes = selected.reduce((sum, e) => sum + e.size, 0);
      const written: WrittenSoFar = { objects: 0, bytes: 0, bucketCreated: false };
      const endpoint = endpointName(resource, 's3');
      return withClient(resource, async (client) => {
        const signal = requestSignal(ctx.signal);
        try {
          await prepareTarget(
            client,
            {
              bucket,
              newBucket: metadata['NewBucket'] !== 'false',
              overwrite: metadata['OverwriteExistingObjects'] === 'true',
              region: resource.endpointRegion,
            },
            selected.map(keyOf),
            destPrefix,
            written,
            signal,
          );
          const nodes = await objectNodes(ctx.repo, ctx.snapshot);
          const read = (entry: ManifestEntry): AsyncIterable<Uint8Array> => {
            const node = nodes.get(entry.path);
            if (node === undefined) throw new Error(`the recovery point lacks ${entry.path} (object ${entry.key})`);
            return readFile(ctx.repo, node);
          };
          const failures: ObjectFailure[] = [];
          await writeObjects(client, bucket, selected, keyOf, read, written, {
            signal,
            failures,
            concurrency: options.writeConcurrency ?? 4,
            onBytes: (n) => {
              ctx.progress.bytes += n;
              ctx.progress.files += 1;
            },
          });
          if (failures.length > 0 && written.objects === 0) {
            throw new ConnectorError(
              'Failed',
              `none of the ${selected.length} objects could be written to s3://${bucket}/${destPrefix}: ${failures[0]!.key}: ${failures[0]!.reason}`,
            );
          }
          const failed = objectFailureSentence(failures, 'restored');
          return { bytes: written.bytes, resultArn: bucketArn(bucket), warnings: failed === undefined ? [] : [failed], objectFailures: failures };
        } catch (err) {
          if (err instanceof ConnectorError && err.kind === 'Refused') throw err;
          ctx.signal.throwIfAborted();
          const failure = endpointFailure(`restore of bucket ${record.bucket} into bucket ${bucket}`, endpoint, err);
          const where = `s3://${bucket}/${destPrefix}`;
          const left =
            written.objects === 0
              ? `no object had been written to ${where}`
              : `${written.objects} of ${selected.length} objects (${written.bytes} bytes) had been written to ${where} and were left there`;
          throw new ConnectorError(
            failure.kind,
            `${failure.message}; ${left}${written.bucketCreated ? ` (bucket ${bucket} was created by this restore)` : ''}`,
          );
        }
      });
    },

    async cleanUpInterruptedRestore(interrupted: InterruptedRestore<BucketResourceConfig>): Promise<string | undefined> {
      const bucket = interrupted.metadata['DestinationBucketName'];
      if (bucket === undefined) return undefined;
      return `Objects it had already written to s3://${bucket}/${interrupted.metadata['DestinationPrefix'] ?? ''} were left there; a new restore there needs OverwriteExistingObjects or another destination.`;
    },

    async checkRestored(restored) {
      if (restored.resource === undefined) throw new ConnectorError('NotFound', 'the endpoint the bucket was restored to is no longer configured');
      return withClient(restored.resource, (client) => checkRestoredBucket(client, restored));
    },

    async deleteRestored(restored) {
      if (restored.resource === undefined) throw new ConnectorError('NotFound', 'the endpoint the bucket was restored to is no longer configured');
      return withClient(restored.resource, (client) => deleteRestoredBucket(client, restored.metadata, restored.signal));
    },
  };
}

function pointOf(arn: string): RecoveryPointInfo {
  return {
    arn,
    id: arn
      .split(':')
      .pop()!
      .replace(/^recovery-point:/, ''),
    createdAt: new Date(0),
  };
}

async function readManifest(repo: Repository, node: TreeNode): Promise<ManifestEntry[]> {
  const entries: ManifestEntry[] = [];
  let n = 0;
  for await (const line of readLines(repo, node)) entries.push(parseManifestLine(line, `${MANIFEST_FILE} line ${++n}`));
  return entries;
}

/** Every file under `objects/`, by snapshot path (each tree is loaded once). */
async function objectNodes(repo: Repository, snapshot: Pick<Snapshot, 'tree'>): Promise<Map<string, TreeNode>> {
  const dir = await findNode(repo, snapshot, OBJECTS_DIR);
  const nodes = new Map<string, TreeNode>();
  if (dir?.subtree === undefined) return nodes;
  for await (const { path, node } of walkFiles(repo, dir.subtree, OBJECTS_DIR)) nodes.set(path, node);
  return nodes;
}

/** The parent snapshot's manifest and files, or undefined when it is not an S3 backup. */
async function parentBucket(repo: Repository, parent: Snapshot): Promise<ParentBucket | undefined> {
  const manifestNode = await fileNode(repo, parent, MANIFEST_FILE);
  if (manifestNode === undefined) return undefined;
  const entries = new Map((await readManifest(repo, manifestNode)).map((e) => [e.key, e]));
  return { entries, nodes: await objectNodes(repo, parent) };
}

export const s3Connector: Connector<'S3'> = createS3Connector();
