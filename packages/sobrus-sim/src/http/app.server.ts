import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { SITE_TRAITS } from '../site-variants.js';
import { registerAdminRoutes } from './admin.routes.js';
import { authenticate, type SimContext, sessionCookie } from './context.js';
import { createOrigin } from './origin.js';
import { customerPage, dashboardPage, landingPage, notFoundPage } from './pages/app-pages.js';
import { SESSION_COOKIE } from './sessions.js';
import { listVariant } from './variants/index.js';
import { registerCodeExchange } from './variants/sign-in-hop.js';

const CallbackQuery = Type.Object({ code: Type.String() });
const CustomerParams = Type.Object({ id: Type.String(), section: Type.String() });

/** The app origin (app.pharma.sobrus.com): landing page, customer list and pages, plus the simulator's admin API. */
export async function createAppServer(context: SimContext): Promise<FastifyInstance> {
  const app = await createOrigin(context, 'app');
  const variant = listVariant(context.site);
  const signInUrl = () => {
    const url = new URL('/signin', context.urls.accounts);
    url.searchParams.set('redirect_uri', `${context.urls.app}/auth/callback`);
    return url.toString();
  };
  const html = { config: { simRoute: 'app' as const } };

  app.get('/', html, async (request, reply) => {
    const session = authenticate(context, request);
    if (!session) return reply.type('text/html').send(landingPage(signInUrl()));
    const account = context.simulation.account(session.account);
    return reply.type('text/html').send(dashboardPage(account?.pharmacyName ?? ''));
  });

  app.get('/login', html, async (_request, reply) => reply.type('text/html').send(landingPage(signInUrl())));

  if (SITE_TRAITS[context.site].signInHop) registerCodeExchange(app, context);
  else {
    app.get<{ Querystring: Static<typeof CallbackQuery> }>(
      '/auth/callback',
      { ...html, schema: { querystring: CallbackQuery } },
      async (request, reply) => {
        const account = context.sessions.codes.redeem(request.query.code);
        if (!account) return reply.redirect('/login');
        const session = context.sessions.create(account);
        reply.setCookie(SESSION_COOKIE, session.id, { path: '/', httpOnly: true, sameSite: 'lax' });
        return reply.redirect('/');
      },
    );
  }

  app.get('/logout', html, async (request, reply) => {
    context.sessions.delete(sessionCookie(request));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/login');
  });

  app.get('/customers', html, async (request, reply) => {
    const session = authenticate(context, request);
    if (!session) return reply.redirect('/login');
    const account = context.simulation.account(session.account);
    return reply.type('text/html').send(variant.page(context, session.account, account?.pharmacyName ?? ''));
  });

  variant.registerApp?.(app, context);

  app.get<{ Params: Static<typeof CustomerParams> }>(
    '/customer/:id/:section',
    { ...html, schema: { params: CustomerParams } },
    async (request, reply) => {
      const session = authenticate(context, request);
      if (!session) return reply.redirect('/login');
      const customer = context.simulation.customer(session.account, request.params.id);
      if (!customer) return reply.code(404).type('text/html').send(notFoundPage());
      const account = context.simulation.account(session.account);
      return reply.type('text/html').send(customerPage(account?.pharmacyName ?? '', customer));
    },
  );

  registerAdminRoutes(app, context);
  return app;
}
