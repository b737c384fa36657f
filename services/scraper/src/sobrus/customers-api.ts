import { forEachPageAfterFirst } from '../domain/concurrency.js';
import { type CustomerRecord, mergePages, type RawCustomer, toCustomer } from '../domain/customer-list.js';
import type { SobrusHttp, SobrusResponse } from '../http/sobrus-http.js';

interface ListPage {
  items: RawCustomer[];
  total: number;
  page: number;
  pages: number;
}

export type ListProgress = (done: number, total: number) => void;

function parseListPage(response: SobrusResponse): ListPage | undefined {
  try {
    const data = JSON.parse(Buffer.from(response.body).toString('utf8')) as ListPage;
    const valid =
      Array.isArray(data.items) &&
      Number.isInteger(data.total) &&
      Number.isInteger(data.pages) &&
      data.items.every(
        (item) => item && (typeof item.id === 'string' || typeof item.id === 'number') && typeof item.name === 'string',
      );
    return valid ? data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The API path: the JSON endpoint behind the customer list. Page 1 announces the total; the other pages are
 * fetched concurrently. Every page must answer with its own number and the same total.
 */
export async function collectCustomersByApi(
  http: SobrusHttp,
  options: { apiUrl: string; pageSize: number; concurrency: number; signal?: AbortSignal; onPage?: ListProgress },
): Promise<{ customers: CustomerRecord[]; siteTotal: number; pages: number }> {
  const fetchPage = async (page: number): Promise<ListPage> => {
    const url = `${options.apiUrl}/customers?page=${page}&limit=${options.pageSize}`;
    let parsed: ListPage | undefined;
    await http.get(url, {
      signal: options.signal,
      validate: (response) => {
        parsed = parseListPage(response);
        if (!parsed) return { code: 'BAD_LIST_JSON', message: `page ${page} is not the customer list JSON` };
        if (parsed.page !== undefined && parsed.page !== page) {
          return { code: 'PAGE_SHIFTED', message: `asked page ${page}, got ${parsed.page}` };
        }
        return undefined;
      },
    });
    return parsed as ListPage;
  };
  const first = await fetchPage(1);
  const pageCount = Math.max(1, Math.ceil(first.total / options.pageSize));
  const pages = new Map<number, CustomerRecord[]>([[1, first.items.map(toCustomer)]]);
  await forEachPageAfterFirst(pageCount, options, async (page) => {
    const answer = await fetchPage(page);
    if (answer.total !== first.total) throw new Error(`the total changed from ${first.total} to ${answer.total}`);
    pages.set(page, answer.items.map(toCustomer));
  });
  options.signal?.throwIfAborted();
  const { customers } = mergePages(pages, first.total, 'api');
  return { customers, siteTotal: first.total, pages: pageCount };
}
