import cookie from '@fastify/cookie';
import { createServiceApp, natsPlugin, packageVersion } from '@pharma/shared/fastify';
import type { Logger } from '@pharma/shared/logger';
import { JobStore } from '@pharma/shared/messaging';
import type { FastifyInstance } from 'fastify';
import type { AuthClient } from './auth/auth-client.js';
import { natsAuthClient } from './auth/nats-auth-client.js';
import type { Config } from './config.js';
import { authPlugin } from './plugins/auth.plugin.js';
import { docsPlugin } from './plugins/docs.plugin.js';
import { securityPlugin } from './plugins/security.plugin.js';
import { webPlugin } from './plugins/web.plugin.js';
import { authRoutes } from './routes/auth.routes.js';
import { bulkRetryRoutes } from './routes/bulk-retry.routes.js';
import { clientsRoutes } from './routes/clients.routes.js';
import { expectedReportsRoutes } from './routes/expected-reports.routes.js';
import { exportsRoutes } from './routes/exports.routes.js';
import { fileAttemptsRoutes } from './routes/file-attempts.routes.js';
import { healthRoutes } from './routes/health.routes.js';
import { jobsRoutes } from './routes/jobs.routes.js';
import { layoutDumpsRoutes } from './routes/layout-dumps.routes.js';
import { orchestratorRoutes } from './routes/orchestrator.routes.js';
import { registryRoutes } from './routes/registry.routes.js';
import { registryTreeRoutes } from './routes/registry-tree.routes.js';
import { salesRoutes } from './routes/sales.routes.js';
import { salesRejectsRoutes } from './routes/sales-rejects.routes.js';
import { salesSchedulesRoutes } from './routes/sales-schedules.routes.js';
import { storageAdminRoutes } from './routes/storage-admin.routes.js';

export interface AppOverrides {
  /** Replaces the auth service client (tests of the gateway alone). */
  auth?: AuthClient;
}

export async function buildApp(config: Config, logger: Logger, overrides: AppOverrides = {}): Promise<FastifyInstance> {
  const app = await createServiceApp({ service: 'gateway', version: packageVersion(import.meta.url), logger });
  await app.register(natsPlugin, config.nats);
  await app.register(securityPlugin, { rateLimitPerMinute: config.security.rateLimitPerMinute });
  await app.register(cookie);
  const auth = overrides.auth ?? natsAuthClient(app.nats, config.auth);
  await app.register(authPlugin, { verify: (token) => auth.verify(token) });
  await app.register(docsPlugin);

  const jobs = await JobStore.open(app.nats);
  await app.register(healthRoutes, config.health);
  await app.register(authRoutes, {
    auth,
    cookieSecure: config.cookie.secure,
    loginRateLimitPerMinute: config.security.loginRateLimitPerMinute,
  });
  await app.register(jobsRoutes, { jobs, keepAliveMs: config.sse.keepAliveMs });
  await app.register(layoutDumpsRoutes, { jobs });
  await app.register(clientsRoutes, { jobs, rpc: config.rpc });
  await app.register(registryRoutes, { jobs, rpc: config.rpc });
  await app.register(salesRoutes, { jobs, rpc: config.rpc });
  await app.register(orchestratorRoutes, { jobs, rpc: config.rpc });
  for (const routes of [
    exportsRoutes,
    storageAdminRoutes,
    salesRejectsRoutes,
    salesSchedulesRoutes,
    fileAttemptsRoutes,
    bulkRetryRoutes,
    expectedReportsRoutes,
    registryTreeRoutes,
  ]) {
    await app.register(routes, { jobs, rpc: config.rpc });
  }
  await app.register(webPlugin, config.web);
  return app;
}
