/**
 * Restoring a table: CreateTable with the saved schema under a new name, wait until it and its
 * indexes are ACTIVE, write the items (batched, retried), then TTL, tags and deletion
 * protection. Whatever goes wrong after CreateTable, the table it created is deleted before the
 * error is passed on, so no half-restored table is left. An existing table is never touched.
 */
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ListTagsOfResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConnectorError } from '../connector.js';
import { errorKind } from '../aws-endpoint/endpoint-error.js';
import { BatchWriter } from './batch-writer.js';
import type { WriteStats } from './batch-writer.js';
import type { Item } from './item-json.js';
import { createTableInput } from './table-schema.js';
import type { CreateOptions, TableSchema } from './table-schema.js';

/** The tag that marks a table as being restored by a job, so a restart can find and remove it. */
export const RESTORE_MARKER_TAG = 'coffer:restore-job';

export interface TableWriteOptions extends CreateOptions {
  /** The restore job: tagged on the table until the restore is complete. */
  readonly jobId?: string;
  readonly signal?: AbortSignal;
  /** How long to wait for the new table and its indexes to become ACTIVE (default 10 minutes). */
  readonly activeTimeoutMs?: number;
  readonly writeConcurrency?: number;
  /** Called after each batch of items is placed. */
  readonly onItems?: (stats: Readonly<WriteStats>) => void;
}

export interface TableWriteResult {
  readonly tableArn: string | undefined;
  readonly stats: WriteStats;
  readonly warnings: readonly string[];
}

export async function writeTable(
  client: DynamoDBClient,
  schema: TableSchema,
  items: AsyncIterable<Item>,
  options: TableWriteOptions,
): Promise<TableWriteResult> {
  const { tableName, signal } = options;
  let created: { TableDescription?: { TableArn?: string } };
  try {
    const input = createTableInput(schema, options);
    if (options.jobId !== undefined) input.Tags = [{ Key: RESTORE_MARKER_TAG, Value: options.jobId }];
    created = await client.send(new CreateTableCommand(input), { abortSignal: signal });
  } catch (err) {
    if (errorKind(err) === 'exists')
      throw new ConnectorError('Refused', `table ${tableName} already exists; a restore never writes into an existing table. Choose another targetTableName.`);
    throw err;
  }
  try {
    await waitActive(client, tableName, options.activeTimeoutMs ?? 600_000, signal);
    const writer = new BatchWriter(client, tableName, { concurrency: options.writeConcurrency ?? 8, ...(signal === undefined ? {} : { signal }) });
    for await (const item of items) {
      await writer.put(item);
      options.onItems?.(writer.stats);
    }
    const stats = await writer.flush();
    const warnings = await finishTable(client, schema, tableName, created.TableDescription?.TableArn, signal);
    const arn = created.TableDescription?.TableArn;
    if (options.jobId !== undefined && arn !== undefined) {
      await client
        .send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: [RESTORE_MARKER_TAG] }), { abortSignal: signal })
        .catch(() => warnings.push(`the tag ${RESTORE_MARKER_TAG} could not be removed from table ${tableName}`));
    }
    return { tableArn: created.TableDescription?.TableArn, stats, warnings };
  } catch (err) {
    const deleted = await client.send(new DeleteTableCommand({ TableName: tableName })).then(
      () => true,
      () => false,
    );
    throw new FailedAfterCreate(err, deleted);
  }
}

/** A failure after CreateTable; `tableDeleted` says whether the new table could be removed again. */
export class FailedAfterCreate extends Error {
  constructor(
    readonly original: unknown,
    readonly tableDeleted: boolean,
  ) {
    super((original as Error)?.message ?? String(original));
    this.name = 'FailedAfterCreate';
  }
}

async function waitActive(client: DynamoDBClient, tableName: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 200; ; delay = Math.min(delay * 2, 5000)) {
    const table = (await client.send(new DescribeTableCommand({ TableName: tableName }), { abortSignal: signal })).Table;
    const indexesActive = (table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === undefined || i.IndexStatus === 'ACTIVE');
    if (table?.TableStatus === 'ACTIVE' && indexesActive) return;
    if (Date.now() > deadline)
      throw new Error(`table ${tableName} was not ACTIVE after ${Math.round(timeoutMs / 1000)} s (status ${table?.TableStatus ?? 'unknown'})`);
    await sleep(delay, undefined, { signal });
  }
}

/** TTL, tags and deletion protection; an endpoint that lacks one of them gives a warning, not a failure. */
async function finishTable(
  client: DynamoDBClient,
  schema: TableSchema,
  tableName: string,
  tableArn: string | undefined,
  signal?: AbortSignal,
): Promise<string[]> {
  const warnings: string[] = [];
  const attempt = async (what: string, call: () => Promise<unknown>): Promise<void> => {
    try {
      await call();
    } catch (err) {
      signal?.throwIfAborted();
      warnings.push(`${what} of table ${tableName} was not restored: ${(err as Error).name}: ${(err as Error).message}`);
    }
  };
  const ttl = schema.timeToLiveAttribute;
  if (ttl !== undefined) {
    await attempt('TTL', () =>
      client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { Enabled: true, AttributeName: ttl } }), {
        abortSignal: signal,
      }),
    );
  }
  if (schema.tags.length > 0 && tableArn !== undefined) {
    await attempt('Tags', () => client.send(new TagResourceCommand({ ResourceArn: tableArn, Tags: [...schema.tags] }), { abortSignal: signal }));
  }
  if (schema.deletionProtection) {
    await attempt('Deletion protection', () =>
      client.send(new UpdateTableCommand({ TableName: tableName, DeletionProtectionEnabled: true }), { abortSignal: signal }),
    );
  }
  return warnings;
}

/**
 * After a restart: deletes `tableName` if it still carries the marker of `jobId` (so it was
 * created by that restore and never finished). True when it deleted it.
 */
export async function removeInterruptedTable(client: DynamoDBClient, tableName: string, jobId: string): Promise<boolean> {
  const table = await client.send(new DescribeTableCommand({ TableName: tableName })).then(
    (out) => out.Table,
    (err: unknown) => {
      if (errorKind(err) === 'missing') return undefined;
      throw err;
    },
  );
  if (table?.TableArn === undefined) return false;
  const tags = await client.send(new ListTagsOfResourceCommand({ ResourceArn: table.TableArn }));
  if (!(tags.Tags ?? []).some((tag) => tag.Key === RESTORE_MARKER_TAG && tag.Value === jobId)) return false;
  await client.send(new DeleteTableCommand({ TableName: tableName }));
  return true;
}
