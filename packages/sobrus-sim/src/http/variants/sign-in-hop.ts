import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { SimContext } from '../context.js';
import { escapeHtml, page, scriptJson } from '../pages/html.js';
import { SESSION_COOKIE } from '../sessions.js';

/**
 * The sign-in hop of some site variants: after the password, the accounts origin shows an authorize page that
 * moves on by script, and the app's callback is a page whose script exchanges the code for the session.
 */
export const AUTHORIZE_PATH = '/oauth/authorize';
export const EXCHANGE_PATH = '/auth/exchange';
export const HOP_DELAY_MS = 100;

const AuthorizeQuery = Type.Object({ ticket: Type.String(), redirect_uri: Type.Optional(Type.String()) });
const CallbackQuery = Type.Object({ code: Type.Optional(Type.String()) });
const ExchangeBody = Type.Object({ code: Type.String() });

/** Where the accounts origin sends a browser whose password it accepted, in a variant with the hop. */
export function authorizeUrl(context: SimContext, account: string, redirectUri: string): string {
  const url = new URL(AUTHORIZE_PATH, context.urls.accounts);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', 'sobrus-web');
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('ticket', context.sessions.tickets.issue(account));
  return url.toString();
}

export function registerAuthorizePage(
  accounts: FastifyInstance,
  context: SimContext,
  safeRedirect: (uri: string | undefined) => string,
): void {
  accounts.get<{ Querystring: Static<typeof AuthorizeQuery> }>(
    AUTHORIZE_PATH,
    { schema: { querystring: AuthorizeQuery }, config: { simRoute: 'accounts' } },
    async (request, reply) => {
      const account = context.sessions.tickets.redeem(request.query.ticket);
      if (!account) return reply.redirect('/signin');
      const target = new URL(safeRedirect(request.query.redirect_uri));
      target.searchParams.set('code', context.sessions.codes.issue(account));
      return reply.type('text/html').send(
        page(
          'Sobrus — Autorisation',
          `<p>Redirection vers Sobrus Pharma…</p>
<p><a class="continue" href="${escapeHtml(target.toString())}">Continuer</a></p>`,
          `setTimeout(() => { location.href = ${scriptJson(target.toString())}; }, ${HOP_DELAY_MS});`,
        ),
      );
    },
  );
}

/** The app's callback page and the code exchange behind it (instead of the callback's redirect). */
export function registerCodeExchange(app: FastifyInstance, context: SimContext): void {
  const config = { simRoute: 'app' as const };
  app.get<{ Querystring: Static<typeof CallbackQuery> }>(
    '/auth/callback',
    { schema: { querystring: CallbackQuery }, config },
    async (_request, reply) =>
      reply.type('text/html').send(page('Connexion…', '<p>Connexion en cours…</p>', exchangeScript())),
  );
  app.post<{ Body: Static<typeof ExchangeBody> }>(
    EXCHANGE_PATH,
    { schema: { body: ExchangeBody }, config },
    async (request, reply) => {
      const account = context.sessions.codes.redeem(request.body.code);
      if (!account) return reply.code(400).send({ status: 'error', error: { code: 'INVALID_CODE' } });
      const session = context.sessions.create(account);
      reply.setCookie(SESSION_COOKIE, session.id, { path: '/', httpOnly: true, sameSite: 'lax' });
      return { status: 'ok' };
    },
  );
}

function exchangeScript(): string {
  return `(async () => {
  const code = new URLSearchParams(location.search).get('code');
  try {
    const response = await fetch(${scriptJson(EXCHANGE_PATH)}, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: code || '' }),
    });
    location.href = response.ok ? '/' : '/login';
  } catch (e) {
    location.href = '/login';
  }
})();`;
}
