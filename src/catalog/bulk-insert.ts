/**
 * Inserting many rows of one table fast: one multi-row INSERT per chunk, its SQL written here
 * (the same text for every full chunk, so the driver's statement cache prepares it once) with
 * the dialect's placeholders, instead of building a query tree per row. Kysely's query builder
 * spends ten times SQLite's own time on a few thousand rows; the scheduler writes that many jobs
 * per tick. Rows must all have the same columns.
 */
import { CompiledQuery } from 'kysely';
import type { Database } from './database.js';
import type { StoreContext } from './dialect.js';

/** Parameters per statement: well under SQLite's and PostgreSQL's limits; measured no faster when larger. */
const MAX_PARAMETERS = 1000;

export async function insertRows<T extends keyof Database>(
  { db, dialect }: StoreContext,
  table: T,
  rows: readonly Readonly<Record<string, unknown>>[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const perChunk = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  const head = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values `;
  for (let start = 0; start < rows.length; start += perChunk) {
    const chunk = rows.slice(start, start + perChunk);
    const parameters: unknown[] = [];
    const tuples: string[] = [];
    for (const row of chunk) {
      const marks: string[] = [];
      for (const column of columns) {
        parameters.push(row[column] ?? null);
        marks.push(dialect.placeholder(parameters.length));
      }
      tuples.push(`(${marks.join(', ')})`);
    }
    await db.executeQuery(CompiledQuery.raw(head + tuples.join(', '), parameters));
  }
}
