import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { toError } from '@pharma/shared/errors';
import { retry } from '@pharma/shared/retry';
import { checkUrlShape } from '../domain/address-policy.js';
import { DownloadError } from './download-error.js';
import { BlockedAddressError, guardedLookup } from './guarded-lookup.js';

export interface DownloadOptions {
  allowPrivate: boolean;
  maxBytes: number;
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
  maxRedirects: number;
}

export interface Validators {
  etag?: string | null;
  lastModified?: string | null;
}

export type Download =
  | { notModified: true; url: string }
  | {
      notModified: false;
      url: string;
      body: IncomingMessage;
      contentType: string | undefined;
      contentLength: number | undefined;
      validators: Validators;
    };

// What CSV exports are served as in practice; HTML or JSON means an error page or the wrong URL.
const ACCEPTED_TYPES = [
  'text/csv',
  'text/plain',
  'application/csv',
  'text/comma-separated-values',
  'application/vnd.ms-excel',
  'application/octet-stream',
  'binary/octet-stream',
];

/**
 * Opens a download with the platform's URL policy on every hop, conditional headers when validators are
 * given, and retries of failures that happen before the body starts (network errors, 5xx, 429).
 */
export async function openDownload(url: string, options: DownloadOptions, validators?: Validators): Promise<Download> {
  return retry(
    async () => {
      try {
        return await followRedirects(url, options, validators);
      } catch (thrown) {
        throw thrown instanceof DownloadError ? thrown : new DownloadError('NETWORK', toError(thrown).message, true);
      }
    },
    {
      retries: options.retries,
      backoff: { baseMs: options.retryDelayMs },
      retryable: (error) => (error as DownloadError).retryable,
    },
  );
}

async function followRedirects(start: string, options: DownloadOptions, validators?: Validators): Promise<Download> {
  let current = start;
  for (let hop = 0; hop <= options.maxRedirects; hop++) {
    const checked = checkUrlShape(current, options.allowPrivate);
    if (!checked.ok) throw new DownloadError('URL_REFUSED', checked.reason, false);
    const response = await request(checked.url, options, validators);
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && status !== 304) {
      response.resume();
      const location = response.headers.location;
      if (!location) throw new DownloadError('HTTP_STATUS', `HTTP ${status} without a Location from ${current}`, false);
      current = new URL(location, checked.url).toString();
      continue;
    }
    if (status === 304) {
      response.resume();
      return { notModified: true, url: current };
    }
    if (status !== 200) {
      response.resume();
      const retryable = status >= 500 || status === 429 || status === 408;
      throw new DownloadError('HTTP_STATUS', `HTTP ${status} from ${current}`, retryable);
    }
    return accept(response, current, options);
  }
  throw new DownloadError('TOO_MANY_REDIRECTS', `more than ${options.maxRedirects} redirects from ${start}`, false);
}

function accept(response: IncomingMessage, url: string, options: DownloadOptions): Download {
  const contentType = response.headers['content-type'];
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType && !ACCEPTED_TYPES.includes(mediaType)) {
    response.destroy();
    throw new DownloadError('UNSUPPORTED_CONTENT_TYPE', `${url} is served as ${mediaType}, not CSV`, false);
  }
  const encoding = response.headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') {
    response.destroy();
    throw new DownloadError(
      'UNSUPPORTED_CONTENT_TYPE',
      `${url} is sent ${encoding}-encoded, which was not asked for`,
      false,
    );
  }
  const lengthHeader = response.headers['content-length'];
  const contentLength = lengthHeader === undefined ? undefined : Number(lengthHeader);
  if (contentLength !== undefined && contentLength > options.maxBytes) {
    response.destroy();
    throw new DownloadError('TOO_LARGE', `${url} is ${contentLength} bytes, over the ${options.maxBytes} limit`, false);
  }
  return {
    notModified: false,
    url,
    body: response,
    contentType,
    contentLength,
    validators: { etag: header(response, 'etag'), lastModified: header(response, 'last-modified') },
  };
}

const header = (response: IncomingMessage, name: string) => {
  const value = response.headers[name];
  return typeof value === 'string' ? value : null;
};

function request(url: URL, options: DownloadOptions, validators?: Validators): Promise<IncomingMessage> {
  const headers: Record<string, string> = {
    accept: 'text/csv, text/plain;q=0.9, */*;q=0.1',
    'accept-encoding': 'identity',
  };
  if (validators?.etag) headers['if-none-match'] = validators.etag;
  if (validators?.lastModified) headers['if-modified-since'] = validators.lastModified;
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    // A fresh connection per download: a kept-alive socket the server has since closed fails as "socket hang up".
    const req = client.request(url, {
      method: 'GET',
      headers,
      agent: false,
      lookup: guardedLookup(options.allowPrivate),
    });
    // Idle timeout of the socket: applies while waiting for headers and between body chunks alike.
    req.setTimeout(options.timeoutMs, () => {
      req.destroy(new DownloadError('TIMEOUT', `no data from ${url.host} for ${options.timeoutMs} ms`, true));
    });
    req.on('response', resolve);
    req.on('error', (error) => {
      if (error instanceof DownloadError) return reject(error);
      if (error instanceof BlockedAddressError) return reject(new DownloadError('URL_REFUSED', error.message, false));
      reject(new DownloadError('NETWORK', `${url.host}: ${error.message}`, true, error));
    });
    req.end();
  });
}
