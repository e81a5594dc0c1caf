/**
 * Keyset pagination behind an opaque cursor. A cursor is base64url JSON naming its list and the
 * sort key of the last row handed out; the next page starts strictly after that key, so rows
 * inserted meanwhile neither repeat nor shift the pages. The SQL is plain comparisons that every
 * dialect runs the same way.
 */
import { sql } from 'kysely';
import type { Expression, SqlBool } from 'kysely';
import { InvalidCursorError } from './catalog-error.js';

export interface PageRequest {
  /** From the previous page's nextCursor; absent for the first page. */
  readonly cursor?: string | undefined;
  /** 1..1000; default 100. */
  readonly limit?: number | undefined;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Present when more items follow. */
  readonly nextCursor: string | undefined;
}

export type KeyPart = string | number;
export type SortOrder = 'asc' | 'desc';

export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 1000;

export function pageLimit(request: PageRequest | undefined): number {
  const limit = request?.limit ?? DEFAULT_PAGE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`page limit must be a positive integer, got ${limit}`);
  return Math.min(limit, MAX_PAGE_LIMIT);
}

export function encodeCursor(list: string, key: readonly KeyPart[]): string {
  return Buffer.from(JSON.stringify({ l: list, k: key })).toString('base64url');
}

/** The key a cursor carries, or undefined for the first page. Throws InvalidCursorError. */
export function decodeCursor(list: string, request: PageRequest | undefined, arity: number): readonly KeyPart[] | undefined {
  if (request?.cursor === undefined) return undefined;
  let data: { l?: unknown; k?: unknown };
  try {
    data = JSON.parse(Buffer.from(request.cursor, 'base64url').toString('utf8')) as typeof data;
  } catch {
    throw new InvalidCursorError();
  }
  const key = data.k;
  const valid = data.l === list && Array.isArray(key) && key.length === arity && key.every((part) => typeof part === 'string' || typeof part === 'number');
  if (!valid) throw new InvalidCursorError();
  return key as KeyPart[];
}

/**
 * The condition "row comes after `key`" for rows ordered by `columns` in `order`:
 * (c0 > k0) or (c0 = k0 and c1 > k1) or ...
 */
export function afterKey(columns: readonly string[], key: readonly KeyPart[], order: SortOrder): Expression<SqlBool> {
  const op = sql.raw(order === 'asc' ? '>' : '<');
  const clauses = columns.map((column, i) => {
    const equal = columns.slice(0, i).map((c, j) => sql`${sql.ref(c)} = ${key[j]!}`);
    return sql.join([...equal, sql`${sql.ref(column)} ${op} ${key[i]!}`], sql` and `);
  });
  return sql<SqlBool>`(${sql.join(
    clauses.map((c) => sql`(${c})`),
    sql` or `,
  )})`;
}

/** Turns `limit + 1` fetched rows into a page: the extra row only says that more follow. */
export function toPage<Row, Item>(
  rows: readonly Row[],
  limit: number,
  list: string,
  keyOf: (row: Row) => readonly KeyPart[],
  map: (row: Row) => Item,
): Page<Item> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const nextCursor = rows.length > limit && last !== undefined ? encodeCursor(list, keyOf(last)) : undefined;
  return { items: items.map(map), nextCursor };
}

/** Every item of a paged list, page after page (`limit` per page), for callers that need them all. */
export async function* everyItem<T>(list: (page: PageRequest) => Promise<Page<T>>, limit = MAX_PAGE_LIMIT): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const page = await list(cursor === undefined ? { limit } : { cursor, limit });
    yield* page.items;
    cursor = page.nextCursor;
  } while (cursor !== undefined);
}

/**
 * The page a caller asked for (by cursor and limit), mapped: the one place a paged answer is
 * made. A cursor the list did not hand out becomes the caller's own error, `invalid()`.
 */
export async function requestedPage<Row, T>(
  request: PageRequest,
  list: (page: PageRequest) => Promise<Page<Row>>,
  map: (row: Row) => T,
  invalid: () => Error,
): Promise<Page<T>> {
  let page: Page<Row>;
  try {
    page = await list(request);
  } catch (err) {
    if (err instanceof InvalidCursorError) throw invalid();
    throw err;
  }
  return { items: page.items.map(map), nextCursor: page.nextCursor };
}
