#!/usr/bin/env node
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import S3rver from 's3rver';

// A local S3-compatible HTTP server on a folder, for tests and the native launcher.
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4569' },
    dir: { type: 'string', default: '.data/s3' },
    bucket: { type: 'string', multiple: true, default: [] },
  },
});
mkdirSync(values.dir, { recursive: true });
const server = new S3rver({
  port: Number(values.port),
  address: '127.0.0.1',
  directory: values.dir,
  silent: true,
  configureBuckets: values.bucket.map((name) => ({ name })),
});
const { port } = await server.run();
process.stdout.write(`s3 server listening on http://127.0.0.1:${port} (data in ${values.dir})\n`);
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
