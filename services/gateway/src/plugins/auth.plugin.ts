import '@fastify/cookie';
import { ForbiddenError, UnauthorizedError } from '@pharma/shared/errors';
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest, preHandlerHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { PrincipalBody } from '../routes/schemas.js';

/** Who is calling, as `GET /api/me` answers it. */
export type Principal = Static<typeof PrincipalBody>;
export type Role = Principal['role'];

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    sessionToken?: string;
  }
  interface FastifyInstance {
    authenticate: preHandlerHookHandler;
    requireRole(...roles: Role[]): preHandlerHookHandler;
    /** The staff routes' check: an ops or admin account. */
    staffOnly: preHandlerHookHandler;
  }
}

export const SESSION_COOKIE = 'pharma_session';

export interface AuthPluginOptions {
  verify(token: string, request: FastifyRequest): Promise<Principal>;
}

function tokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  return request.cookies?.[SESSION_COOKIE];
}

/** Resolves the caller from a bearer token or the session cookie; routes opt in with `app.authenticate`. */
export const authPlugin = fp<AuthPluginOptions>(
  async (app: FastifyInstance, options) => {
    app.decorateRequest('principal', undefined);
    app.decorateRequest('sessionToken', undefined);
    const authenticate: preHandlerHookHandler = async (request) => {
      const token = tokenOf(request);
      if (!token) throw new UnauthorizedError('Log in first');
      request.principal = await options.verify(token, request);
      request.sessionToken = token;
    };
    app.decorate('authenticate', authenticate);
    const requireRole = (...roles: Role[]): preHandlerHookHandler => {
      return async function (request, reply) {
        await authenticate.call(this, request, reply, () => {});
        if (!request.principal || !roles.includes(request.principal.role)) {
          throw new ForbiddenError(`This needs the role ${roles.join(' or ')}`);
        }
      };
    };
    app.decorate('requireRole', requireRole);
    app.decorate('staffOnly', requireRole('ops', 'admin'));
  },
  { name: 'auth', dependencies: ['@fastify/cookie'] },
);
