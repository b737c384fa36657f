import { BrowserHolder } from '@pharma/browser';
import { createServiceApp, natsPlugin, packageVersion } from '@pharma/shared/fastify';
import type { Logger } from '@pharma/shared/logger';
import { JobStore, type ObjectStore, openObjectStore } from '@pharma/shared/messaging';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { consumeRefreshRequests } from './consumers/refresh.consumers.js';
import { STATEMENTS_BUCKET } from './services/statements-refresh.service.js';
import { type BundleInput, buildBundle, keepBundle } from './sobrus/diagnostics.js';
import { RecipeStore } from './sobrus/recipe-store.js';

export async function buildApp(config: Config, logger: Logger): Promise<FastifyInstance> {
  const app = await createServiceApp({ service: 'scraper', version: packageVersion(import.meta.url), logger });
  await app.register(natsPlugin, config.nats);
  const browsers = new BrowserHolder(config.chromiumPath);
  app.addHook('onClose', () => browsers.close());
  if (config.customers.warmBrowser) {
    browsers
      .get()
      .catch((error) => app.log.warn({ err: error }, 'Chromium did not start; it is tried again when needed'));
  }
  const jobs = await JobStore.open(app.nats);
  let store: Promise<ObjectStore> | undefined;
  const openStore = () => {
    store ??= openObjectStore(app.nats, STATEMENTS_BUCKET);
    store.catch(() => {
      store = undefined;
    });
    return store;
  };
  const recipes = await RecipeStore.open(app.nats);
  const keepDiagnostics = async (input: BundleInput) => keepBundle(app.nats, buildBundle(input));
  const consumers = await consumeRefreshRequests({
    recipes,
    keepDiagnostics,
    nats: app.nats,
    jobs,
    config,
    browsers,
    logger: app.log,
    store: openStore,
  });
  for (const consumer of consumers) app.ownConsumer(consumer);
  return app;
}
