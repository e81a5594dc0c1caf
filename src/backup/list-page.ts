/**
 * Paged lists in the domain: what a caller asks for (`maxResults`, `nextToken`) and gets back.
 * The tokens are the catalog's opaque cursors (catalog/pagination.ts makes every paged answer);
 * a token the catalog did not hand out for that list becomes a domain error that says to start
 * again.
 */
import type { Page, PageRequest } from '../catalog/pagination.js';
import { requestedPage } from '../catalog/pagination.js';
import { BackupError } from './backup-error.js';

export interface ListRequest {
  readonly maxResults?: number | undefined;
  readonly nextToken?: string | undefined;
}

export interface ListPage<T> {
  readonly items: readonly T[];
  /** Present when more items follow: pass it back as `nextToken`. */
  readonly nextToken: string | undefined;
}

const invalidToken = (): BackupError =>
  new BackupError(
    'InvalidPaginationToken',
    'The NextToken is not one this list handed out (or it was changed); repeat the call without NextToken to start from the beginning.',
    { context: 'NextToken' },
  );

/** The page `request` asks for of a catalog (or ledger) list, each item mapped. */
export async function listPage<Row, T = Row>(
  request: ListRequest,
  list: (page: PageRequest) => Promise<Page<Row>>,
  map?: (row: Row) => T,
): Promise<ListPage<T>> {
  const page = await requestedPage({ cursor: request.nextToken, limit: request.maxResults }, list, map ?? ((row) => row as unknown as T), invalidToken);
  return { items: page.items, nextToken: page.nextCursor };
}
