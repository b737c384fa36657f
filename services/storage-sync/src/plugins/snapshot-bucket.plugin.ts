import { toError } from '@pharma/shared/errors';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { createS3Client, SnapshotBucket } from '../replication/snapshot-bucket.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Where the pharmacies' generations and manifests live in S3. */
    snapshots: SnapshotBucket;
  }
}

/** The S3 client and the snapshot bucket: created (when configured to) at start, the client closed last. */
export const snapshotBucketPlugin = fp<{ s3: Config['s3'] }>(
  async (app: FastifyInstance, { s3: config }) => {
    const s3 = createS3Client(config);
    const bucket = new SnapshotBucket(s3, config.bucket, config.prefix);
    if (config.createBucket) {
      await bucket.ensureBucket().catch((error: unknown) => {
        app.log.warn({ err: toError(error), bucket: config.bucket }, 'S3 bucket not reachable at start');
      });
    }
    app.decorate('snapshots', bucket);
    app.addHook('onClose', async () => s3.destroy());
  },
  { name: 'snapshot-bucket' },
);
