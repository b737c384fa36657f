import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@pharma/shared/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPdf } from '../domain/pdf-check.js';
import type { SessionSource, SobrusSession } from '../sobrus/session-provider.js';
import { createSobrusHttp } from './sobrus-http.js';

const PDF = Buffer.from('%PDF-1.4\nbody\n%%EOF\n');
const config = { timeoutMs: 300, retries: 4, backoffBaseMs: 5, backoffMaxMs: 20, maxSessionRenewals: 3 };
const logger = createLogger({ service: 'test', level: 'silent' });

/** A session source that hands out `s1`, `s2`, … each time a renewal is asked. */
function fakeSessions(): SessionSource & { renewals: number } {
  let session: SobrusSession = { version: 1, cookies: [cookie('s1')] };
  return {
    pharmacyId: 'p@x',
    renewals: 0,
    get renewalCount() {
      return this.renewals;
    },
    current: async () => session,
    confirm: () => {},
    async renew(stale) {
      if (stale.version === session.version) {
        this.renewals += 1;
        session = { version: session.version + 1, cookies: [cookie(`s${session.version + 1}`)] };
      }
      return session;
    },
  };
}

function cookie(value: string) {
  return {
    name: 'sid',
    value,
    domain: '127.0.0.1',
    path: '/',
    expires: -1,
    httpOnly: true,
    secure: false,
    sameSite: 'Lax' as const,
  };
}

describe('Sobrus HTTP client against a local server', () => {
  let server: Server;
  let base: string;
  const counters = new Map<string, number>();
  const routes: Record<string, (req: IncomingMessage, res: ServerResponse, n: number) => void> = {
    '/flaky': (_req, res, n) =>
      n < 3
        ? res.writeHead(502).end('<html>bad gateway</html>')
        : res.writeHead(200, { 'content-type': 'application/pdf' }).end(PDF),
    '/drop': (req, res, n) =>
      n < 2 ? req.socket.destroy() : res.writeHead(200, { 'content-type': 'application/pdf' }).end(PDF),
    '/slow': (_req, res, n) => {
      if (n < 2) setTimeout(() => res.writeHead(200).end(PDF), 1000);
      else res.writeHead(200, { 'content-type': 'application/pdf' }).end(PDF);
    },
    '/session': (req, res) =>
      req.headers.cookie === 'sid=s3'
        ? res.writeHead(200, { 'content-type': 'application/pdf' }).end(PDF)
        : res.writeHead(401).end('{}'),
    '/always500': (_req, res) => res.writeHead(500).end('{}'),
    '/html': (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>'),
    '/truncated': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': String(PDF.length + 50) });
      res.write(PDF);
      setTimeout(() => res.destroy(), 10);
    },
    '/missing': (_req, res) => res.writeHead(404).end('{}'),
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const n = (counters.get(path) ?? 0) + 1;
      counters.set(path, n);
      routes[path]?.(req, res, n);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const pdfCheck = {
    validate: (r: { body: Uint8Array; contentType: string | null; contentLength: string | null }) =>
      checkPdf(r.body, r, 1e6),
  };

  it('retries 5xx answers with backoff until a PDF arrives', async () => {
    const http = createSobrusHttp(fakeSessions(), config, logger);
    const response = await http.get(`${base}/flaky`, pdfCheck);
    expect(Buffer.from(response.body).equals(PDF)).toBe(true);
    expect(http.stats().retries).toBe(2);
  });

  it('retries dropped connections and timeouts', async () => {
    const http = createSobrusHttp(fakeSessions(), config, logger);
    expect((await http.get(`${base}/drop`, pdfCheck)).status).toBe(200);
    expect((await http.get(`${base}/slow`, pdfCheck)).status).toBe(200);
    expect(http.stats().retries).toBe(2);
  });

  it('renews the session on 401 without spending the retry budget', async () => {
    const sessions = fakeSessions();
    const http = createSobrusHttp(sessions, { ...config, retries: 0 }, logger);
    expect((await http.get(`${base}/session`, pdfCheck)).status).toBe(200);
    expect(sessions.renewals).toBe(2);
  });

  it('gives up after the retry budget with the reason', async () => {
    const http = createSobrusHttp(fakeSessions(), config, logger);
    await expect(http.get(`${base}/always500`)).rejects.toMatchObject({ code: 'HTTP_500' });
    expect(counters.get('/always500')).toBe(5);
  });

  it('refuses a non-PDF answer and a truncated body', async () => {
    const http = createSobrusHttp(fakeSessions(), config, logger);
    await expect(http.get(`${base}/html`, pdfCheck)).rejects.toMatchObject({ code: 'NOT_PDF' });
    await expect(http.get(`${base}/truncated`, pdfCheck)).rejects.toMatchObject({
      code: expect.stringMatching(/NETWORK|TRUNCATED/),
    });
  });

  it('does not retry a 404', async () => {
    const http = createSobrusHttp(fakeSessions(), config, logger);
    await expect(http.get(`${base}/missing`)).rejects.toMatchObject({ code: 'HTTP_404' });
    expect(counters.get('/missing')).toBe(1);
  });
});
