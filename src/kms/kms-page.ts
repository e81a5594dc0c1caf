/**
 * KMS's paged lists: `Limit` and `Marker` in, `NextMarker` (and `Truncated`) out. Markers are
 * the catalog's opaque cursors; one the catalog did not hand out for that list is InvalidMarker.
 */
import { InvalidCursorError } from '../catalog/catalog-error.js';
import type { Page, PageRequest } from '../catalog/pagination.js';
import { KmsError } from './kms-error.js';

export interface KmsListRequest {
  readonly limit?: number | undefined;
  readonly marker?: string | undefined;
}

export interface KmsPage<T> {
  readonly items: readonly T[];
  /** Present when more items follow; `Truncated` is its presence. */
  readonly nextMarker: string | undefined;
}

export async function withMarker<Row, T>(request: KmsListRequest, list: (page: PageRequest) => Promise<Page<Row>>, map: (row: Row) => T): Promise<KmsPage<T>> {
  try {
    const page = await list({ cursor: request.marker, limit: request.limit });
    return { items: page.items.map(map), nextMarker: page.nextCursor };
  } catch (err) {
    if (err instanceof InvalidCursorError) throw new KmsError('InvalidMarker', 'The marker is not one this list handed out (or it was changed); repeat the call without Marker to start from the beginning.');
    throw err;
  }
}
