import { Type } from '@sinclair/typebox';
import type { AuthClient } from '../auth/auth-client.js';
import { SESSION_COOKIE } from '../plugins/auth.plugin.js';
import type { RoutesPlugin } from './route-kit.js';
import { ErrorBody, PrincipalBody } from './schemas.js';

export interface AuthRoutesOptions {
  auth: AuthClient;
  cookieSecure: boolean;
  loginRateLimitPerMinute: number;
}

export const authRoutes: RoutesPlugin<AuthRoutesOptions> = async (app, options) => {
  const { auth } = options;

  app.post(
    '/api/auth/login',
    {
      config: { rateLimit: { max: options.loginRateLimitPerMinute, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Opens a session: a pharmacy with its Sobrus e-mail and password, staff with a local account',
        description: 'Sets the httpOnly session cookie and also returns the token for scripts (Bearer).',
        security: [],
        body: Type.Object(
          {
            email: Type.String({ minLength: 3, maxLength: 320, pattern: '^[^\\s@]+@[^\\s@]+$' }),
            password: Type.String({ minLength: 1, maxLength: 500 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ token: Type.String(), expiresAt: Type.String(), principal: PrincipalBody }),
          400: ErrorBody,
          401: ErrorBody,
          429: ErrorBody,
          503: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const { email, password } = request.body;
      const session = await auth.login({ email: email.trim(), password, clientIp: request.ip });
      request.log.info({ owner: session.principal.owner, kind: session.principal.kind }, 'logged in');
      const maxAge = Math.max(0, Math.floor((Date.parse(session.expiresAt) - Date.now()) / 1000));
      reply.setCookie(SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: options.cookieSecure,
        path: '/',
        maxAge,
      });
      return session;
    },
  );

  app.post(
    '/api/auth/logout',
    {
      preValidation: app.authenticate,
      schema: {
        tags: ['auth'],
        summary: 'Ends the session and clears the cookie',
        response: { 204: Type.Null(), 401: ErrorBody, 503: ErrorBody },
      },
    },
    async (request, reply) => {
      await auth.logout(request.sessionToken as string);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/me',
    {
      preValidation: app.authenticate,
      schema: {
        tags: ['auth'],
        summary: 'Who the session belongs to',
        response: { 200: PrincipalBody, 401: ErrorBody, 503: ErrorBody },
      },
    },
    async (request) => request.principal,
  );
};
