/**
 * KMS's paged lists: `Limit` and `Marker` in, `NextMarker` (and `Truncated`) out. Markers are
 * the catalog's opaque cursors (catalog/pagination.ts makes every paged answer); one the catalog
 * did not hand out for that list is InvalidMarker.
 */
import type { Page, PageRequest } from '../catalog/pagination.js';
import { requestedPage } from '../catalog/pagination.js';
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

const invalidMarker = (): KmsError =>
  new KmsError('InvalidMarker', 'The marker is not one this list handed out (or it was changed); repeat the call without Marker to start from the beginning.');

export async function withMarker<Row, T>(request: KmsListRequest, list: (page: PageRequest) => Promise<Page<Row>>, map: (row: Row) => T): Promise<KmsPage<T>> {
  const page = await requestedPage({ cursor: request.marker, limit: request.limit }, list, map, invalidMarker);
  return { items: page.items, nextMarker: page.nextCursor };
}
