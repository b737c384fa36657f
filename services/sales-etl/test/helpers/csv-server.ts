import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Route {
  body?: Buffer | string;
  status?: number;
  contentType?: string;
  /** Announces the full length, sends this many bytes, then destroys the socket. */
  cutAfterBytes?: number;
  etag?: string;
  lastModified?: string;
  location?: string;
}

export interface CsvServer {
  url(path: string): string;
  route(path: string, route: Route): void;
  /** Request headers received per path, in order. */
  requests(path: string): IncomingHttpHeaders[];
  close(): Promise<void>;
}

/** A local HTTP server that serves CSV bodies the way real (and broken) servers do. */
export async function startCsvServer(): Promise<CsvServer> {
  const routes = new Map<string, Route>();
  const seen = new Map<string, IncomingHttpHeaders[]>();
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    seen.set(path, [...(seen.get(path) ?? []), req.headers]);
    const route = routes.get(path);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (route.location) {
      res.writeHead(route.status ?? 302, { location: route.location }).end();
      return;
    }
    const notModified =
      (route.etag && req.headers['if-none-match'] === route.etag) ||
      (route.lastModified && !route.etag && req.headers['if-modified-since'] === route.lastModified);
    const headers: Record<string, string> = { 'content-type': route.contentType ?? 'text/csv' };
    if (route.etag) headers.etag = route.etag;
    if (route.lastModified) headers['last-modified'] = route.lastModified;
    if (notModified) {
      res.writeHead(304, headers).end();
      return;
    }
    const body = Buffer.isBuffer(route.body) ? route.body : Buffer.from(route.body ?? '');
    headers['content-length'] = String(body.length);
    res.writeHead(route.status ?? 200, headers);
    if (route.cutAfterBytes !== undefined) {
      res.write(body.subarray(0, route.cutAfterBytes), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    res.end(body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (path) => `${base}${path}`,
    route: (path, route) => void routes.set(path, route),
    requests: (path) => seen.get(path) ?? [],
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
