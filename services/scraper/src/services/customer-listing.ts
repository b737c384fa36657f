import { toError } from '@pharma/shared/errors';
import type { Log } from '@pharma/shared/logger';
import type { Config } from '../config.js';
import type { CustomerRecord } from '../domain/customer-list.js';
import type { SobrusHttp } from '../http/sobrus-http.js';
import type { BrowserHolder } from '../sobrus/browser-holder.js';
import { collectCustomersByApi } from '../sobrus/customers-api.js';
import { collectCustomersByDom } from '../sobrus/customers-dom.js';
import type { SessionSource } from '../sobrus/session-provider.js';

export interface CustomerListing {
  customers: CustomerRecord[];
  siteTotal: number;
  pages: number;
  path: 'api' | 'dom';
  /** Why the API path was abandoned, when the DOM path was used. */
  apiFailure?: string;
}

export interface ListingDeps {
  config: Config;
  browsers: BrowserHolder;
  logger: Log;
}

/** Every customer of the pharmacy: the JSON path first, the browser path when it fails. */
export async function listCustomers(
  deps: ListingDeps,
  sessions: SessionSource,
  http: SobrusHttp,
  options: { signal?: AbortSignal; onPage?: (done: number, total: number, path: string) => void } = {},
): Promise<CustomerListing> {
  const { config } = deps;
  try {
    const result = await collectCustomersByApi(http, {
      apiUrl: config.sobrus.apiUrl,
      pageSize: config.customers.pageSize,
      concurrency: config.customers.concurrency,
      ...(options.signal ? { signal: options.signal } : {}),
      onPage: (done, total) => options.onPage?.(done, total, 'api'),
    });
    return { ...result, path: 'api' };
  } catch (error) {
    if (options.signal?.aborted || !config.customers.domFallback) throw error;
    const apiFailure = toError(error).message;
    // A session that cannot be renewed fails the DOM path the same way: no point in opening a browser.
    if ((error as { code?: string }).code === 'SOBRUS_RELOGIN_REQUIRED') throw error;
    deps.logger.warn(
      { pharmacyId: sessions.pharmacyId, reason: apiFailure },
      'customer API path failed, using the DOM',
    );
    const result = await collectCustomersByDom(deps.browsers, sessions, {
      appUrl: config.sobrus.appUrl,
      tabs: config.customers.domTabs,
      timeoutMs: config.customers.browserTimeoutMs,
      retries: config.http.retries,
      backoffBaseMs: config.http.backoffBaseMs,
      backoffMaxMs: config.http.backoffMaxMs,
      signal: options.signal,
      onPage: (done, total) => options.onPage?.(done, total, 'dom'),
    });
    return { ...result, path: 'dom', apiFailure };
  }
}
