import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { storageStatusRpc } from '@pharma/shared/contracts';
import { type NatsContext, requestRpc } from '@pharma/shared/messaging';
import type { Platform } from './drill-platform.js';
import { type DbDump, dumpDatabase } from './pharmacy-db.js';

/** Resolves once storage-sync says S3 holds every change of the pharmacy's database (twice in a row). */
export async function waitReplicated(nats: NatsContext, pharmacyId: string, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  let synced = 0;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const status = await requestRpc(nats, storageStatusRpc, { pharmacyId }, { timeoutMs: 10_000 });
      last = status;
      synced = status.state === 'synced' && !status.behind ? synced + 1 : 0;
      if (synced >= 2) return status;
    } catch (error) {
      last = String(error);
      synced = 0;
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  throw new Error(`replication not caught up after ${timeoutMs} ms; last status ${JSON.stringify(last)}`);
}

/** The content of the generation the pharmacy's S3 manifest names (every table, every column). */
export async function replicaDump(platform: Platform, prefix: string): Promise<DbDump> {
  const { s3 } = platform.infra;
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  try {
    const read = async (key: string) =>
      Buffer.from(
        await ((
          await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }))
        ).Body?.transformToByteArray() ?? new Uint8Array()),
      );
    const listing = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `${prefix}/` }));
    const manifests = (listing.Contents ?? []).filter((object) => object.Key?.endsWith('/manifest.json'));
    if (manifests.length !== 1) throw new Error(`expected one manifest under ${prefix}/, found ${manifests.length}`);
    const manifest = JSON.parse((await read(manifests[0]?.Key as string)).toString('utf8')) as { key: string };
    return dumpDatabase(gunzipSync(await read(manifest.key)), { exact: true });
  } finally {
    client.destroy();
  }
}
