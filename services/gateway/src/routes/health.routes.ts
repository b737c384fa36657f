import { Type } from '@sinclair/typebox';
import { collectHealth } from '../services/health.service.js';
import type { RoutesPlugin } from './route-kit.js';

const ServiceStatus = Type.Object({
  service: Type.String(),
  status: Type.Union([Type.Literal('up'), Type.Literal('degraded'), Type.Literal('down')]),
  version: Type.Optional(Type.String()),
  uptimeS: Type.Optional(Type.Number()),
  latencyMs: Type.Number(),
  error: Type.Optional(Type.String()),
  checks: Type.Optional(
    Type.Record(Type.String(), Type.Object({ ok: Type.Boolean(), message: Type.Optional(Type.String()) })),
  ),
});

const PlatformHealth = Type.Object({
  status: Type.Union([Type.Literal('up'), Type.Literal('degraded')]),
  services: Type.Array(ServiceStatus),
});

export const healthRoutes: RoutesPlugin<{ timeoutMs: number }> = async (app, options) => {
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['platform'],
        summary: 'Status and version of every service, asked over NATS',
        response: { 200: PlatformHealth },
      },
    },
    async () => {
      const services = await collectHealth(app.nats, options.timeoutMs);
      const status = services.every((s) => s.status === 'up') ? ('up' as const) : ('degraded' as const);
      return { status, services };
    },
  );
};
