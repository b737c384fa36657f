import type { FastifyInstance } from 'fastify';
import { type SimContext, sessionCookie, sleep } from './context.js';

const STATUS_TEXT: Record<number, string> = { 500: 'Internal Server Error', 502: 'Bad Gateway' };

/** Latency, HTTP errors and dropped connections, for routes marked with `config.simRoute`. */
export function installFaultHooks(app: FastifyInstance, context: SimContext): void {
  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.config?.simRoute;
    if (!route) return;
    const account = context.sessions.peek(sessionCookie(request))?.account;
    const latency = context.faults.latencyFor(route, account);
    if (latency > 0) await sleep(latency);
    const failure = context.faults.decideFailure(route, account);
    if (failure === null) return;
    context.log.debug({ route, failure, account }, 'fault injected');
    if (failure === 'drop') {
      reply.hijack();
      request.raw.socket.destroy();
      return;
    }
    // A 502 comes from the proxy in front of the app: an HTML body, not the API's JSON.
    if (failure === 502) {
      return reply.code(502).type('text/html').send(`<html><body><h1>502 ${STATUS_TEXT[502]}</h1></body></html>`);
    }
    return reply.code(failure).send({ statusCode: failure, error: STATUS_TEXT[failure], message: 'Server error' });
  });
}
