/**
 * Restore testing of DynamoDB tables: the restored table's item count (a counting scan) against
 * the items the backup wrote (`itemCount` of the restore metadata), and its deletion.
 */
import { DeleteTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConnectorError } from '../connector.js';
import type { RestoreCheck } from '../connector.js';

function tableOf(metadata: Readonly<Record<string, string>>): string {
  const table = metadata['targetTableName'];
  if (table === undefined) throw new ConnectorError('NotFound', 'the restore job names no restored table (targetTableName)');
  return table;
}

export async function checkRestoredTable(client: DynamoDBClient, metadata: Readonly<Record<string, string>>, signal: AbortSignal): Promise<RestoreCheck> {
  const table = tableOf(metadata);
  let count = 0;
  let start: Record<string, never> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, Select: 'COUNT', ExclusiveStartKey: start }), { abortSignal: signal });
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (start !== undefined);
  const expected = metadata['itemCount'] === undefined ? undefined : Number(metadata['itemCount']);
  if (expected === undefined || !Number.isFinite(expected))
    return { ok: true, message: `Table ${table} holds ${count} items (the recovery point records no item count to compare).` };
  return count === expected
    ? { ok: true, message: `Table ${table} holds the recovery point's ${expected} items.` }
    : { ok: false, message: `Table ${table} holds ${count} items; the recovery point holds ${expected}.` };
}

export async function deleteRestoredTable(client: DynamoDBClient, metadata: Readonly<Record<string, string>>, signal: AbortSignal): Promise<string> {
  const table = tableOf(metadata);
  await client.send(new DeleteTableCommand({ TableName: table }), { abortSignal: signal });
  return `Table ${table} was deleted.`;
}
