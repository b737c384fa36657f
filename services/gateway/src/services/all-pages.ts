/** Every item of a paged service answer, asked page after page from offset 0 until `total` is reached. */
export async function allPages<Item>(
  page: (offset: number) => Promise<{ total: number; items: Item[] }>,
): Promise<Item[]> {
  const items: Item[] = [];
  for (;;) {
    const answer = await page(items.length);
    items.push(...answer.items);
    if (answer.items.length === 0 || items.length >= answer.total) return items;
  }
}
