/**
 * Reading a table: its schema (DescribeTable, DescribeTimeToLive, ListTagsOfResource) and its
 * items by parallel scan. Each scan segment becomes one stream of JSON lines, paged in order (so
 * an unchanged table gives the same bytes and dedups); every segment starts at once and runs a
 * few pages ahead of the engine, which reads the segments one after another.
 */
import { DescribeTableCommand, DescribeTimeToLiveCommand, ListTagsOfResourceCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient, Tag } from '@aws-sdk/client-dynamodb';
import { readAhead } from '../aws-endpoint/read-ahead.js';
import { itemToLine } from './item-json.js';
import { tableSchema } from './table-schema.js';
import type { TableSchema } from './table-schema.js';

/** Pages a segment may run ahead of the engine (each page is at most 1 MB of items). */
const PAGES_AHEAD = 4;

export async function readTableSchema(client: DynamoDBClient, table: string, signal?: AbortSignal): Promise<TableSchema> {
  const described = await client.send(new DescribeTableCommand({ TableName: table }), { abortSignal: signal });
  const description = described.Table;
  if (description === undefined) throw new Error(`DescribeTable answered no table for ${table}`);
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: table }), { abortSignal: signal }).catch(() => undefined);
  const ttlStatus = ttl?.TimeToLiveDescription?.TimeToLiveStatus;
  const ttlAttribute = ttlStatus === 'ENABLED' || ttlStatus === 'ENABLING' ? ttl?.TimeToLiveDescription?.AttributeName : undefined;
  const tags: Tag[] = [];
  if (description.TableArn !== undefined) {
    let token: string | undefined;
    do {
      const page = await client
        .send(new ListTagsOfResourceCommand({ ResourceArn: description.TableArn, NextToken: token }), { abortSignal: signal })
        .catch(() => undefined); // Some local endpoints have no tagging; tags are not essential to a restore.
      tags.push(...(page?.Tags ?? []));
      token = page?.NextToken;
    } while (token !== undefined);
  }
  return tableSchema(description, ttlAttribute, tags);
}

export interface SegmentCounters {
  items: number;
  bytes: number;
}

/** One scan segment as JSON-lines text, a page per chunk. */
async function* scanSegment(
  client: DynamoDBClient,
  table: string,
  segment: number,
  totalSegments: number,
  counters: SegmentCounters,
  signal?: AbortSignal,
): AsyncGenerator<Uint8Array> {
  let start: Record<string, import('@aws-sdk/client-dynamodb').AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: table,
        Segment: segment,
        TotalSegments: totalSegments,
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
      { abortSignal: signal },
    );
    const lines = (page.Items ?? []).map(itemToLine).join('');
    counters.items += page.Items?.length ?? 0;
    if (lines !== '') {
      const bytes = Buffer.from(lines, 'utf8');
      counters.bytes += bytes.length;
      yield bytes;
    }
    start = page.LastEvaluatedKey;
  } while (start !== undefined && Object.keys(start).length > 0);
}

/** Every segment's stream, all started at once, each running PAGES_AHEAD pages ahead. */
export function scanSegments(
  client: DynamoDBClient,
  table: string,
  totalSegments: number,
  counters: SegmentCounters,
  signal?: AbortSignal,
): AsyncIterable<Uint8Array>[] {
  return Array.from({ length: totalSegments }, (_, segment) => readAhead(scanSegment(client, table, segment, totalSegments, counters, signal), PAGES_AHEAD));
}
