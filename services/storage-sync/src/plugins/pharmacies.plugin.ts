import { mkdirSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { LeaseManager } from '../pharmacies/lease-manager.js';
import { PharmacyDatabases } from '../pharmacies/pharmacy-databases.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The pharmacy databases this instance holds, each under a lease. */
    pharmacies: PharmacyDatabases;
  }
}

export interface PharmaciesPluginOptions {
  dataDir: string;
  instanceId: string;
  leaseTtlMs: number;
}

/**
 * The pharmacies' leases (NATS KV) and their SQLite files. Once the service is ready, the files already on this
 * disk are taken up in the background; at close every file is closed and every lease released, after replication
 * (registered later, so closed earlier) has uploaded what it could.
 */
export const pharmaciesPlugin = fp<PharmaciesPluginOptions>(
  async (app: FastifyInstance, options) => {
    mkdirSync(options.dataDir, { recursive: true });
    const leases = await LeaseManager.open(app.nats, {
      instanceId: options.instanceId,
      ttlMs: options.leaseTtlMs,
      logger: app.log,
    });
    const pharmacies = new PharmacyDatabases({
      dataDir: options.dataDir,
      leases,
      bucket: app.snapshots,
      logger: app.log,
    });
    app.decorate('pharmacies', pharmacies);

    let takingUp: Promise<void> = Promise.resolve();
    // In the background: the service answers (and /readyz reports) while files are checked against S3.
    app.addHook('onReady', async () => {
      takingUp = pharmacies.openLocalFiles().then((opened) => {
        if (opened.length > 0) app.log.info({ pharmacies: opened.length }, 'local databases taken up');
      });
    });
    // Before any resource closes: the files being taken up are open, so the flush at close sees them.
    app.addHook('preClose', async () => takingUp);
    app.addHook('onClose', async () => {
      await pharmacies.closeAll();
      await leases.stop();
    });
  },
  { name: 'pharmacies', dependencies: ['nats', 'snapshot-bucket'] },
);
