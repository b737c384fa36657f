import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { type NatsContext, openObjectStore } from '@pharma/shared/messaging';
import type { PharmacyDatabase } from '../db/pharmacy-database.js';
import { pharmacyFileName, pharmacyKey } from '../domain/pharmacy-file.js';
import { hashFile } from '../replication/hashing.js';
import { tempName } from '../replication/snapshot.js';

export const EXPORTS_BUCKET = 'exports';

/**
 * Puts a consistent copy of a pharmacy's database (online backup, writes go on) into the NATS object store,
 * where the gateway streams it to the user: large files never travel inside a request/reply message.
 */
export async function exportDatabase(
  nats: NatsContext,
  pdb: PharmacyDatabase,
  { tmpDir, ttlMs }: { tmpDir: string; ttlMs: number },
) {
  const key = pharmacyKey(pdb.pharmacyId);
  const copy = tempName(tmpDir, `${key}.export.db`);
  try {
    await pdb.sqlite.backup(copy);
    const sha256 = await hashFile(copy);
    const store = await openObjectStore(nats, EXPORTS_BUCKET, { ttl: ttlMs * 1_000_000 });
    const name = `storage-sync/${key}/${new Date().toISOString().replace(/[:.]/g, '-')}.db`;
    const info = await store.put(
      { name, description: `Database of ${pdb.pharmacyId}` },
      Readable.toWeb(createReadStream(copy)) as ReadableStream<Uint8Array>,
    );
    return {
      bucket: EXPORTS_BUCKET,
      name,
      fileName: pharmacyFileName(pdb.pharmacyId),
      size: info.size,
      sha256,
      expiresAt: new Date(Date.now() + ttlMs).toISOString(),
    };
  } finally {
    await rm(copy, { force: true });
  }
}
