import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { SITE_TRAITS } from '../site-variants.js';
import type { SimContext } from './context.js';
import { createOrigin } from './origin.js';
import { signInPage } from './pages/accounts-pages.js';
import { authorizeUrl, registerAuthorizePage } from './variants/sign-in-hop.js';

const SignInQuery = Type.Object({ redirect_uri: Type.Optional(Type.String()) });
const SignInBody = Type.Object({
  login: Type.Optional(Type.String()),
  password: Type.Optional(Type.String()),
  redirect_uri: Type.Optional(Type.String()),
});

export const WRONG_CREDENTIALS = 'Adresse e-mail ou mot de passe incorrect.';

/** The accounts origin (Sobrus's sign-in on another host): checks credentials, then sends the user back to the app. */
export async function createAccountsServer(context: SimContext): Promise<FastifyInstance> {
  const accounts = await createOrigin(context, 'accounts');
  const config = { simRoute: 'accounts' as const };
  const hop = SITE_TRAITS[context.site].signInHop;
  // Only the app's own callback is accepted as a destination: no open redirect.
  const safeRedirect = (uri: string | undefined) => {
    const callback = `${context.urls.app}/auth/callback`;
    return uri?.startsWith(callback) ? uri : callback;
  };

  accounts.get('/', { config }, async (_request, reply) => reply.redirect('/signin'));

  accounts.get<{ Querystring: Static<typeof SignInQuery> }>(
    '/signin',
    { config, schema: { querystring: SignInQuery } },
    async (request, reply) =>
      reply.type('text/html').send(signInPage({ redirectUri: safeRedirect(request.query.redirect_uri) })),
  );

  accounts.post<{ Body: Static<typeof SignInBody> }>(
    '/signin',
    { config, schema: { body: SignInBody } },
    async (request, reply) => {
      const { login = '', password = '' } = request.body;
      const redirectUri = safeRedirect(request.body.redirect_uri);
      const account = context.simulation.account(login);
      if (!account || account.password !== password) {
        context.log.info({ login }, 'sign-in refused');
        return reply.type('text/html').send(signInPage({ redirectUri, login, error: WRONG_CREDENTIALS }));
      }
      if (hop) return reply.redirect(authorizeUrl(context, account.email, redirectUri));
      const target = new URL(redirectUri);
      target.searchParams.set('code', context.sessions.codes.issue(account.email));
      return reply.redirect(target.toString());
    },
  );
  if (hop) registerAuthorizePage(accounts, context, safeRedirect);
  return accounts;
}
