/**
 * Restore testing of PostgreSQL databases: the rows of every table in the recovery point's dump
 * (pg_restore's COPY blocks, counted line by line) against `count(*)` of each table in the
 * restored database. The dump is read out of the snapshot into a private temporary file first
 * (pg_restore needs to seek in a custom-format archive); the file is removed afterwards.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { DatabaseResourceConfig } from '../../config/resource-config.js';
import { fileNode } from '../aws-endpoint/snapshot-files.js';
import { ConnectorError } from '../connector.js';
import type { RestoreCheck, RestoredResource } from '../connector.js';
import { newDatabaseName } from '../database/database-metadata.js';
import { describeTarget } from '../database/database-engine.js';
import { toolStream } from '../database/run-tool.js';
import { readFile } from '../../vault/virtual-tree.js';
import { postgresEngine, psql } from './postgres-engine.js';

const COPY_LINE = /^COPY (.+?) (?:\(.*\) )?FROM stdin;$/;

/** Rows per table (as pg_dump names it, e.g. `public.people`) in a custom-format dump file. */
async function dumpRowCounts(path: string, signal: AbortSignal): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let table: string | undefined;
  let rest = '';
  const take = (line: string): void => {
    if (table === undefined) {
      const copy = COPY_LINE.exec(line);
      if (copy !== null) counts.set((table = copy[1]!), 0);
    } else if (line === '\\.') table = undefined;
    else counts.set(table, counts.get(table)! + 1);
  };
  for await (const chunk of toolStream({
    tool: 'pg_restore',
    args: ['--data-only', '--file=-', path],
    env: {},
    what: "reading the recovery point's dump",
    signal,
  })) {
    const lines = (rest + chunk.toString('utf8')).split('\n');
    rest = lines.pop()!;
    for (const line of lines) take(line);
  }
  if (rest !== '') take(rest);
  return counts;
}

export async function checkRestoredPostgres(restored: RestoredResource<DatabaseResourceConfig>): Promise<RestoreCheck> {
  const server = restored.resource;
  if (server === undefined) throw new ConnectorError('NotFound', 'the server the database was restored to is no longer configured');
  const source = restored.metadata['SourceDBName'] ?? '';
  const node = await fileNode(restored.repo, restored.snapshot, postgresEngine.dumpName(source));
  if (node === undefined) throw new ConnectorError('Failed', `the recovery point holds no ${postgresEngine.dumpName(source)}`);
  const dir = await mkdtemp(join(tmpdir(), 'coffer-restore-test-'));
  try {
    const path = join(dir, 'dump');
    await pipeline(Readable.from(readFile(restored.repo, node)), createWriteStream(path, { mode: 0o600 }), { signal: restored.signal });
    const expected = await dumpRowCounts(path, restored.signal);
    const database = newDatabaseName(restored.metadata);
    const where = describeTarget(server, database);
    if (expected.size === 0) return { ok: true, message: `The recovery point's dump holds no table data; ${where} was restored from it.` };
    const tables = [...expected.keys()];
    const sql = `${tables.map((t, i) => `SELECT ${i}, count(*) FROM ${t}`).join(' UNION ALL ')};`;
    const out = await psql(server, database, sql, `counting the rows of ${where}`, restored.signal);
    const found = new Map(
      out
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => l.split('|').map(Number) as [number, number]),
    );
    const differ = tables.filter((t, i) => found.get(i) !== expected.get(t));
    const rows = [...expected.values()].reduce((a, b) => a + b, 0);
    if (differ.length === 0)
      return { ok: true, message: `${where} holds the recovery point's ${tables.length} tables with their ${rows} rows, table by table.` };
    const first = differ[0]!;
    return {
      ok: false,
      message: `${where} differs from the recovery point in ${differ.length} of ${tables.length} tables (first: ${first} has ${found.get(tables.indexOf(first)) ?? 'no'} rows, the recovery point ${expected.get(first)}).`,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
