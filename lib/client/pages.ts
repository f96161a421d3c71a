/** One page of a gateway list, reduced to its items and the token of the next page (null on the last). */
export interface Page<T> {
  items: T[];
  next: string | null;
}

/**
 * Every item of a paged gateway list, following `next` to the last page. For lists a decision needs whole (a vault
 * checked for interactions, every grant a pharmacy holds): stopping at the first page would check only part of it.
 *
 * @example
 * const grants = await allPages(async (next) => {
 *   const page = await client.grants({ grantee, live: "true", limit: 200, next });
 *   return { items: page.grants, next: page.next };
 * });
 */
export async function allPages<T>(fetchPage: (next: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  for (let next: string | undefined; ;) {
    const page = await fetchPage(next);
    items.push(...page.items);
    if (page.next === null) return items;
    next = page.next;
  }
}
