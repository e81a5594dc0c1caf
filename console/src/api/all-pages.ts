/** Every page of a paged AWS list call (NextToken), up to a bound so a huge list cannot hang a page. */
export async function allPages<T>(
  page: (token: string | undefined) => Promise<{ items: readonly T[] | undefined; next: string | undefined }>,
  maxPages = 20,
): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const { items, next } = await page(token);
    out.push(...(items ?? []));
    if (next === undefined || next === '') break;
    token = next;
  }
  return out;
}
