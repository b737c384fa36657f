import { mkdirSync } from 'node:fs';
import { toError } from '@pharma/shared/errors';
import { JobStore, publishEvent } from '@pharma/shared/messaging';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AlertSender } from '../alerts/alert-sender.js';
import { createSmtpMailer } from '../alerts/smtp-mailer.js';
import type { Config } from '../config.js';
import { consumeClientsExtracted } from '../consumers/clients-extracted.consumer.js';
import { serveIngest } from '../consumers/event-ingest.js';
import { consumeStatementParsed } from '../consumers/statement-parsed.consumer.js';
import { LeaseManager } from '../pharmacies/lease-manager.js';
import { PharmacyDatabases } from '../pharmacies/pharmacy-databases.js';
import { type ReplicationStatus, Replicator } from '../replication/replicator.js';
import { createS3Client, SnapshotBucket } from '../replication/snapshot-bucket.js';
import { serveStorageRpcs } from '../rpc/storage.rpc-handlers.js';

declare module 'fastify' {
  interface FastifyInstance {
    storage: { pharmacies: PharmacyDatabases; replicator: Replicator; bucket: SnapshotBucket; instanceId: string };
  }
}

/** Pharmacy databases, their replication to S3, the event consumers and the query API. */
export const storagePlugin = fp<{ config: Config }>(
  async (app: FastifyInstance, { config }) => {
    mkdirSync(config.dataDir, { recursive: true });
    const s3 = createS3Client(config.s3);
    const bucket = new SnapshotBucket(s3, config.s3.bucket, config.s3.prefix);
    if (config.s3.createBucket) {
      await bucket.ensureBucket().catch((error: unknown) => {
        app.log.warn({ err: toError(error), bucket: config.s3.bucket }, 'S3 bucket not reachable at start');
      });
    }
    const leases = await LeaseManager.open(app.nats, {
      instanceId: config.instanceId,
      ttlMs: config.lease.ttlMs,
      logger: app.log,
    });
    const jobs = await JobStore.open(app.nats);
    const pharmacies = new PharmacyDatabases({ dataDir: config.dataDir, leases, bucket, logger: app.log });
    const replicator = new Replicator({
      ...config.replication,
      bucket,
      tmpDir: pharmacies.tmpDir,
      writer: config.instanceId,
      logger: app.log,
      database: (pharmacyId) => pharmacies.peek(pharmacyId),
      onUploaded: async (manifest) => {
        await publishEvent(
          app.nats,
          'storage.snapshot.uploaded',
          {
            pharmacyId: manifest.pharmacyId,
            generation: manifest.generation,
            key: manifest.key,
            sha256: manifest.sha256,
            size: manifest.size,
            uploadedAt: manifest.createdAt,
          },
          { msgId: `${manifest.key}` },
        );
      },
      onStateChange: (status, jobIds) => recordInJobs(jobs, status, jobIds),
    });
    pharmacies.attach(replicator);
    app.decorate('storage', { pharmacies, replicator, bucket, instanceId: config.instanceId });

    app.readiness.add('replication', () => {
      const failing = replicator.failing();
      if (failing.length === 0) return { ok: true };
      const list = failing.map((s) => `${s.pharmacyId} (${s.state}: ${s.lastError ?? 'newer generation in S3'})`);
      return { ok: false, message: `S3 is behind for ${failing.length} pharmacies: ${list.join('; ')}` };
    });

    const alerts = config.alerts.enabled
      ? new AlertSender({
          ...config.alerts,
          pharmacies,
          replicator,
          mailer: createSmtpMailer(config.alerts.smtpUrl),
          logger: app.log,
        })
      : undefined;
    if (config.alerts.enabled)
      app.log.info({ from: config.alerts.from, to: config.alerts.to }, 'e-mail alerts enabled');
    else app.log.info({ reason: config.alerts.reason }, 'e-mail alerts disabled');
    alerts?.start();

    const consumerDeps = {
      nats: app.nats,
      pharmacies,
      replicator,
      logger: app.log,
      concurrency: config.concurrency,
      notOwnerDelayMs: config.lease.notOwnerDelayMs,
      alerts,
    };
    app.ownConsumer(await consumeClientsExtracted(consumerDeps));
    app.ownConsumer(await consumeStatementParsed(consumerDeps));
    const subscriptions = [serveIngest(consumerDeps, config.instanceId)];
    subscriptions.push(
      ...serveStorageRpcs({
        nats: app.nats,
        pharmacies,
        replicator,
        instanceId: config.instanceId,
        exportsTtlMs: config.exports.ttlMs,
        logger: app.log,
      }),
    );
    // The server knows the subscriptions before the service says it is up.
    await app.nats.nc.flush();

    // In the background: the service answers (and /readyz reports) while files are checked against S3.
    const takingUp = pharmacies.openLocalFiles().then((opened) => {
      if (opened.length > 0) app.log.info({ pharmacies: opened.length }, 'local databases taken up');
    });

    app.addHook('preClose', async () => {
      await takingUp;
      for (const subscription of subscriptions) subscription.unsubscribe();
      // Last chance to put pending changes in S3; bounded so a dead S3 does not block shutdown.
      const flushes = pharmacies
        .held()
        .filter((id) => replicator.status(id).behind)
        .map((id) => replicator.flush(id));
      await Promise.race([
        Promise.allSettled(flushes),
        new Promise((resolve) => setTimeout(resolve, Math.floor(config.shutdownTimeoutMs / 2)).unref()),
      ]);
      await alerts?.stop();
      await replicator.stop();
      await pharmacies.closeAll();
      await leases.stop();
      s3.destroy();
    });
  },
  { name: 'storage', dependencies: ['nats', 'readiness'] },
);

async function recordInJobs(jobs: JobStore, status: ReplicationStatus, jobIds: string[]): Promise<void> {
  const storage = {
    replication: status.state,
    behind: status.behind,
    generation: status.generation,
    ...(status.lastError ? { lastError: status.lastError } : {}),
  };
  await Promise.allSettled(
    jobIds.map((id) => jobs.update(id, (job) => ({ result: { ...(job.result ?? {}), storage } }))),
  );
}
