import { JobStore, publishEvent } from '@pharma/shared/messaging';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { type ReplicationStatus, Replicator } from '../replication/replicator.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Uploads each held pharmacy's changes to S3 as generations. */
    replicator: Replicator;
  }
}

export interface ReplicationPluginOptions {
  replication: Config['replication'];
  instanceId: string;
  /** Half of it bounds the last uploads at close, so a dead S3 does not block shutdown. */
  shutdownTimeoutMs: number;
}

/**
 * Replication of the pharmacy databases to S3: announces each generation on `storage.snapshot.uploaded`, tells
 * the jobs whose data waits on it (`result.storage` in the jobs KV), and reports pharmacies S3 is behind on in
 * /readyz. At close, pending changes get a last, bounded chance to reach S3.
 */
export const replicationPlugin = fp<ReplicationPluginOptions>(
  async (app: FastifyInstance, options) => {
    const { pharmacies } = app;
    const jobs = await JobStore.open(app.nats);
    const replicator = new Replicator({
      ...options.replication,
      bucket: app.snapshots,
      tmpDir: pharmacies.tmpDir,
      writer: options.instanceId,
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
    app.decorate('replicator', replicator);

    app.readiness.add('replication', () => {
      const failing = replicator.failing();
      if (failing.length === 0) return { ok: true };
      const list = failing.map((s) => `${s.pharmacyId} (${s.state}: ${s.lastError ?? 'newer generation in S3'})`);
      return { ok: false, message: `S3 is behind for ${failing.length} pharmacies: ${list.join('; ')}` };
    });

    app.addHook('onClose', async () => {
      // Last chance to put pending changes in S3; bounded so a dead S3 does not block shutdown.
      const flushes = pharmacies
        .held()
        .filter((id) => replicator.status(id).behind)
        .map((id) => replicator.flush(id));
      await Promise.race([
        Promise.allSettled(flushes),
        new Promise((resolve) => setTimeout(resolve, Math.floor(options.shutdownTimeoutMs / 2)).unref()),
      ]);
      await replicator.stop();
    });
  },
  { name: 'replication', dependencies: ['nats', 'readiness', 'snapshot-bucket', 'pharmacies'] },
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
