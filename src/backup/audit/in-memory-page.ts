/**
 * Paging a list the domain computed in memory (job summaries, compliance results): the token is
 * the catalog's opaque cursor over the item's position, so a bad token is the same
 * InvalidPaginationToken as everywhere else.
 */
import { decodeCursor, pageLimit, toPage } from '../../catalog/pagination.js';
import type { Page, PageRequest } from '../../catalog/pagination.js';
import { listPage } from '../list-page.js';
import type { ListPage, ListRequest } from '../list-page.js';

export function pageOfItems<T>(list: string, items: readonly T[], request: ListRequest): Promise<ListPage<T>> {
  return listPage(request, async (page: PageRequest): Promise<Page<T>> => {
    const limit = pageLimit(page);
    const after = decodeCursor(list, page, 1);
    const start = after === undefined ? 0 : Number(after[0]) + 1;
    const rows = items.slice(start, start + limit + 1).map((item, i) => ({ item, position: start + i }));
    return toPage(
      rows,
      limit,
      list,
      (r) => [r.position],
      (r) => r.item,
    );
  });
}
