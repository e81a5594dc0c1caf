/**
 * dynamodb/: the DynamoDB connector. A table on any DynamoDB-API endpoint is backed up as
 * `table.json` (schema, TTL, tags) plus `items/segment-NNN.jsonl` (every item as a line of
 * DynamoDB typed JSON, one file per parallel-scan segment), and restored into a new table.
 * Layout: docs/connectors-dynamodb-s3.md; restore metadata: docs/restore-metadata.md. Knows the
 * SDK and the vault's virtual trees, nothing of jobs or the catalog.
 */
import { withScopedClient } from '../aws-endpoint/scoped-client.js';
import { Readable } from 'node:stream';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConnectorError } from '../connector.js';
import type { BackupContext, BackupOutcome, Connector, InterruptedRestore, RestoreContext, RestoreOutcome } from '../connector.js';
import type { TableDiscoveryConfig, TableResourceConfig } from '../../config/resource-config.js';
import { endpointFailure } from '../aws-endpoint/endpoint-error.js';
import { endpointName } from '../aws-endpoint/endpoint-settings.js';
import type { EndpointSettings } from '../aws-endpoint/endpoint-settings.js';
import { requestSignal } from '../aws-endpoint/request-signal.js';
import { fileNode, readLines, readWholeFile } from '../aws-endpoint/snapshot-files.js';
import { backupEntries, findNode, walkFiles } from '../../vault/virtual-tree.js';
import type { TreeNode } from '../../vault/tree.js';
import type { VirtualEntry } from '../../vault/virtual-tree.js';
import type { Repository } from '../../vault/repository.js';
import type { Snapshot } from '../../vault/snapshot.js';
import { makeDynamoDbClient } from './dynamodb-client.js';
import type { DynamoDbClientFactory } from './dynamodb-client.js';
import { lineToItem } from './item-json.js';
import type { Item } from './item-json.js';
import { tableRestoreDefaults, validateTableRestore } from './restore-metadata.js';
import { readTableSchema, scanSegments } from './table-reader.js';
import type { SegmentCounters } from './table-reader.js';
import { parseTableSchema } from './table-schema.js';
import { FailedAfterCreate, removeInterruptedTable, writeTable } from './table-writer.js';
import { checkRestoredTable, deleteRestoredTable } from './restored-table.js';

export const TABLE_FILE = 'table.json';
export const ITEMS_DIR = 'items';

export interface DynamoDbConnectorOptions {
  readonly makeClient?: DynamoDbClientFactory;
  /** Parallel scan segments; default: 4, more for tables over 1 GiB (one per 256 MiB, at most 32). */
  readonly segments?: number;
  readonly writeConcurrency?: number;
}

/** `arn:aws:dynamodb:<region>:<account>:table/<name>`. */
export const tableArn = (region: string, accountId: string, table: string): string => `arn:aws:dynamodb:${region}:${accountId}:table/${table}`;

const segmentFile = (segment: number): string => `${ITEMS_DIR}/segment-${String(segment).padStart(3, '0')}.jsonl`;

function segmentCount(sizeBytes: number | undefined, fixed: number | undefined): number {
  if (fixed !== undefined) return Math.max(1, Math.min(1_000_000, Math.floor(fixed)));
  return Math.max(4, Math.min(32, Math.ceil((sizeBytes ?? 0) / (256 * 1024 * 1024))));
}

export function createDynamoDbConnector(options: DynamoDbConnectorOptions = {}): Connector<'DynamoDB'> {
  const makeClient = options.makeClient ?? makeDynamoDbClient;
  const withClient = <T>(settings: EndpointSettings, body: (client: DynamoDBClient) => Promise<T>): Promise<T> => withScopedClient(makeClient, settings, body);

  return {
    type: 'DynamoDB',

    async discover(source: TableDiscoveryConfig, signal?: AbortSignal): Promise<readonly TableResourceConfig[]> {
      const endpoint = endpointName(source, 'dynamodb');
      const names = await withClient(source, async (client) => {
        const found: string[] = [];
        let start: string | undefined;
        do {
          const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }), { abortSignal: signal });
          found.push(...(page.TableNames ?? []));
          start = page.LastEvaluatedTableName;
        } while (start !== undefined);
        return found;
      }).catch((err: unknown) => {
        throw endpointFailure(`listing the tables of discovery entry ${source.name}`, endpoint, err);
      });
      return names.map((table) => ({
        type: 'DynamoDB',
        arn: tableArn(source.region, source.accountId, table),
        accountId: source.accountId,
        region: source.region,
        name: table,
        tags: { ...source.tags },
        discoveredBy: source.name,
        endpoint: source.endpoint,
        endpointRegion: source.endpointRegion,
        table,
        credentials: source.credentials,
      }));
    },

    async backup(resource: TableResourceConfig, ctx: BackupContext): Promise<BackupOutcome> {
      const endpoint = endpointName(resource, 'dynamodb');
      return withClient(resource, async (client) => {
        try {
          const signal = requestSignal(ctx.signal);
          const schema = await readTableSchema(client, resource.table, signal);
          const segments = segmentCount(schema.sizeBytesEstimate, options.segments);
          const counters: SegmentCounters = { items: 0, bytes: 0 };
          const files = Array.from({ length: segments }, (_, i) => segmentFile(i));
          let tableJson = Buffer.alloc(0);
          async function* entries(): AsyncGenerator<VirtualEntry> {
            const streams = scanSegments(client, resource.table, segments, counters, signal);
            for (const [i, stream] of streams.entries()) yield { path: files[i]!, type: 'file', open: () => stream };
            tableJson = Buffer.from(`${JSON.stringify({ ...schema, scannedItems: counters.items, itemFiles: files }, null, 2)}\n`);
            yield { path: TABLE_FILE, type: 'file', open: () => Readable.from([tableJson]) };
          }
          const result = await backupEntries(ctx.repo, entries(), {
            ...ctx.snapshot,
            progress: ctx.progress,
            signal: ctx.signal,
            paths: ['/'],
            ...(ctx.parent === undefined ? {} : { parent: ctx.parent }),
          });
          return {
            snapshotId: result.snapshotId,
            sizeBytes: counters.bytes + tableJson.length,
            storedBytes: result.stats.storedBytes,
            warnings: [...result.warnings],
            restoreMetadata: {
              ...tableRestoreDefaults(resource.table, pointOf(ctx.recoveryPointArn)),
              sourceTableName: resource.table,
              itemCount: String(counters.items),
            },
          };
        } catch (err) {
          ctx.signal.throwIfAborted();
          throw endpointFailure(`table ${resource.table}`, endpoint, err);
        }
      });
    },

    restoreMetadataDefaults: (resource, point) => tableRestoreDefaults(resource.table, point),

    validateRestoreMetadata: validateTableRestore,

    async restore(ctx: RestoreContext<TableResourceConfig>): Promise<RestoreOutcome> {
      const resource = ctx.resource;
      if (resource === undefined) {
        throw new ConnectorError(
          'Refused',
          `${ctx.resourceArn} is no longer configured, so there is no DynamoDB endpoint to restore to; configure it again first`,
        );
      }
      const target = ctx.metadata['targetTableName'] ?? tableRestoreDefaults(resource.table, pointOf(ctx.recoveryPointArn))['targetTableName']!;
      const kms = ctx.metadata['encryptionType'] === 'KMS' ? ctx.metadata['kmsMasterKeyArn'] : undefined;
      const endpoint = endpointName(resource, 'dynamodb');
      const schemaNode = await fileNode(ctx.repo, ctx.snapshot, TABLE_FILE);
      if (schemaNode === undefined)
        throw new ConnectorError('Failed', `the recovery point ${ctx.recoveryPointArn} holds no ${TABLE_FILE}; it is not a DynamoDB backup`);
      const schema = parseTableSchema((await readWholeFile(ctx.repo, schemaNode)).toString('utf8'));
      return withClient(resource, async (client) => {
        try {
          const result = await writeTable(client, schema, readItems(ctx.repo, ctx.snapshot, schema.itemFiles, ctx.progress), {
            tableName: target,
            jobId: ctx.jobId,
            signal: requestSignal(ctx.signal),
            ...(kms === undefined ? {} : { kmsMasterKeyArn: kms }),
            ...(options.writeConcurrency === undefined ? {} : { writeConcurrency: options.writeConcurrency }),
          });
          return { bytes: ctx.progress.bytes, resultArn: tableArn(resource.region, resource.accountId, target), warnings: result.warnings };
        } catch (err) {
          ctx.signal.throwIfAborted();
          const original = err instanceof FailedAfterCreate ? err.original : err;
          const failure = endpointFailure(`restore of table ${resource.table} into ${target}`, endpoint, original);
          if (!(err instanceof FailedAfterCreate)) throw failure;
          const cleanup = err.tableDeleted
            ? `the table ${target} it had created was deleted`
            : `the table ${target} it had created could not be deleted; delete it by hand`;
          throw new ConnectorError(failure.kind, `${failure.message}; ${cleanup}`);
        }
      });
    },

    async cleanUpInterruptedRestore(interrupted: InterruptedRestore<TableResourceConfig>): Promise<string | undefined> {
      const target = interrupted.metadata['targetTableName'];
      const resource = interrupted.resource;
      if (target === undefined || resource === undefined) return undefined;
      try {
        const removed = await withClient(resource, (client) => removeInterruptedTable(client, target, interrupted.jobId));
        return removed ? `The table ${target} it had begun to restore was deleted.` : undefined;
      } catch (err) {
        const failure = endpointFailure(`table ${target}`, endpointName(resource, 'dynamodb'), err);
        return `The table ${target} it may have begun to restore could not be checked (${failure.message}); delete it by hand if it is incomplete.`;
      }
    },

    async checkRestored(restored) {
      if (restored.resource === undefined) throw new ConnectorError('NotFound', 'the endpoint the table was restored to is no longer configured');
      return withClient(restored.resource, (client) => checkRestoredTable(client, restored.metadata, restored.signal));
    },

    async deleteRestored(restored) {
      if (restored.resource === undefined) throw new ConnectorError('NotFound', 'the endpoint the table was restored to is no longer configured');
      return withClient(restored.resource, (client) => deleteRestoredTable(client, restored.metadata, restored.signal));
    },
  };
}

/** The recovery point id (for default names) from its ARN. */
function pointOf(arn: string): { arn: string; id: string; createdAt: Date } {
  return {
    arn,
    id: arn
      .split(':')
      .pop()!
      .replace(/^recovery-point:/, ''),
    createdAt: new Date(0),
  };
}

async function* readItems(repo: Repository, snapshot: Snapshot, files: readonly string[] | undefined, progress: { bytes: number }): AsyncGenerator<Item> {
  const nodes =
    files === undefined
      ? await allItemFiles(repo, snapshot)
      : await Promise.all(
          files.map(async (path) => {
            const node = await fileNode(repo, snapshot, path);
            if (node === undefined) throw new Error(`the recovery point lacks ${path}`);
            return { path, node };
          }),
        );
  for (const { path, node } of nodes) {
    let n = 0;
    for await (const line of readLines(repo, node, (bytes) => {
      progress.bytes += bytes;
    }))
      yield lineToItem(line, `${path} line ${++n}`);
  }
}

async function allItemFiles(repo: Repository, snapshot: Snapshot): Promise<Array<{ path: string; node: TreeNode }>> {
  const dir = await findNode(repo, snapshot, ITEMS_DIR);
  if (dir?.subtree === undefined) return [];
  const out: Array<{ path: string; node: TreeNode }> = [];
  for await (const file of walkFiles(repo, dir.subtree, ITEMS_DIR)) out.push(file);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

export const dynamoDbConnector: Connector<'DynamoDB'> = createDynamoDbConnector();
