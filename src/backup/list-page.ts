/**
 * Paged lists in the domain: what a caller asks for (`maxResults`, `nextToken`) and gets back.
 * The tokens are the catalog's opaque cursors; a token the catalog did not hand out for that
 * list becomes a domain error that says to start again.
 */
import { InvalidCursorError } from '../catalog/catalog-error.js';
import type { PageRequest } from '../catalog/pagination.js';
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

export function pageRequest(request: ListRequest): PageRequest {
  return { cursor: request.nextToken, limit: request.maxResults };
}

/** Runs a catalog list, turning a foreign or damaged token into InvalidPaginationToken. */
export async function withPageToken<T>(request: ListRequest, list: (page: PageRequest) => Promise<T>): Promise<T> {
  try {
    return await list(pageRequest(request));
  } catch (err) {
    if (err instanceof InvalidCursorError) {
      throw new BackupError('InvalidPaginationToken', 'The NextToken is not one this list handed out (or it was changed); repeat the call without NextToken to start from the beginning.', { context: 'NextToken' });
    }
    throw err;
  }
}
