/** Runs `work` for every item with at most `limit` at a time; stops taking new items once `signal` aborts. */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) {
      const index = next++;
      await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Fetches pages 2 to `pageCount` of a list whose first page is in hand, at most `concurrency` at a time, and
 * reports the pages done (the first one included) after the first page and after each page.
 */
export async function forEachPageAfterFirst(
  pageCount: number,
  options: { concurrency: number; signal?: AbortSignal; onPage?: (done: number, total: number) => void },
  fetchPage: (page: number) => Promise<void>,
): Promise<void> {
  let done = 1;
  options.onPage?.(done, pageCount);
  const rest = Array.from({ length: pageCount - 1 }, (_, i) => i + 2);
  await forEachLimited(
    rest,
    options.concurrency,
    async (page) => {
      await fetchPage(page);
      options.onPage?.(++done, pageCount);
    },
    options.signal,
  );
}
