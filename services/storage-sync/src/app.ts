import { createServiceApp, natsPlugin, packageVersion } from '@pharma/shared/fastify';
import type { Logger } from '@pharma/shared/logger';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { consumeClientsExtracted } from './consumers/clients-extracted.consumer.js';
import { type ConsumerDeps, consumeStatementParsed } from './consumers/statement-parsed.consumer.js';
import { alertsPlugin } from './plugins/alerts.plugin.js';
import { pharmaciesPlugin } from './plugins/pharmacies.plugin.js';
import { replicationPlugin } from './plugins/replication.plugin.js';
import { snapshotBucketPlugin } from './plugins/snapshot-bucket.plugin.js';
import { serveIngestHandover } from './rpc/ingest-handover.rpc.js';
import { serveStorageRpcs } from './rpc/storage.rpc-handlers.js';

export async function buildApp(config: Config, logger: Logger): Promise<FastifyInstance> {
  const app = await createServiceApp({ service: 'storage-sync', version: packageVersion(import.meta.url), logger });
  // Resources, each closed by its plugin in the reverse order: alerts, replication (last uploads), databases and
  // leases, S3, then NATS.
  await app.register(natsPlugin, config.nats);
  await app.register(snapshotBucketPlugin, { s3: config.s3 });
  await app.register(pharmaciesPlugin, {
    dataDir: config.dataDir,
    instanceId: config.instanceId,
    leaseTtlMs: config.lease.ttlMs,
  });
  await app.register(replicationPlugin, {
    replication: config.replication,
    instanceId: config.instanceId,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
  });
  await app.register(alertsPlugin, { alerts: config.alerts });

  // Events into the pharmacy databases: see services/ingest.service.ts.
  const ingest: ConsumerDeps = {
    nats: app.nats,
    pharmacies: app.pharmacies,
    replicator: app.replicator,
    alerts: app.alerts,
    logger: app.log,
    concurrency: config.concurrency,
    notOwnerDelayMs: config.lease.notOwnerDelayMs,
  };
  app.ownConsumer(await consumeClientsExtracted(ingest));
  app.ownConsumer(await consumeStatementParsed(ingest));
  const subscriptions = [
    serveIngestHandover(ingest, config.instanceId),
    ...serveStorageRpcs({
      nats: app.nats,
      pharmacies: app.pharmacies,
      replicator: app.replicator,
      instanceId: config.instanceId,
      exportsTtlMs: config.exports.ttlMs,
      logger: app.log,
    }),
  ];
  app.addHook('preClose', async () => {
    for (const subscription of subscriptions) subscription.unsubscribe();
  });
  return app;
}
