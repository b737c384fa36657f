import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { collectProcessMetrics, histogram, registry } from '../metrics/index.js';

/** Prometheus metrics at /metrics: process metrics, HTTP durations, and whatever the service registers. */
export const metricsPlugin = fp(
  async (app: FastifyInstance) => {
    collectProcessMetrics();
    const httpSeconds = histogram(
      'pharma_http_request_seconds',
      'HTTP request duration',
      ['method', 'route', 'status'],
      [0.005, 0.025, 0.1, 0.5, 2, 10],
    );
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      if (route === '/metrics') return;
      httpSeconds.observe(
        { method: request.method, route, status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });
    app.get('/metrics', { logLevel: 'warn' }, async (_request, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    });
  },
  { name: 'metrics' },
);
