import { createReadStream, createWriteStream } from 'node:fs';
import { type Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { S3Config } from '@pharma/shared/config';
import { UnavailableError } from '@pharma/shared/errors';
import { validatorFor } from '@pharma/shared/messaging';
import { HashingStream } from './hashing.js';
import { Manifest } from './manifest.js';

export function createS3Client(config: S3Config): S3Client {
  return new S3Client({
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    credentials:
      config.accessKeyId && config.secretAccessKey
        ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }
        : undefined,
    requestChecksumCalculation: config.checksums,
    responseChecksumValidation: config.checksums,
    // Replication retries with its own backoff; a dead endpoint must fail fast, not hang.
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 60_000 },
  });
}

const GENERATION_DIGITS = 12;

export type UploadVerification = 'etag' | 'read-back';

/**
 * The S3 layout of pharmacy databases:
 * `<prefix>/<pharmacy key>/generations/<000000000042>.db.gz` and `<prefix>/<pharmacy key>/manifest.json`.
 */
export class SnapshotBucket {
  constructor(
    readonly client: S3Client,
    readonly bucket: string,
    readonly prefix: string,
  ) {}

  manifestKey(pharmacyKey: string): string {
    return `${this.prefix}/${pharmacyKey}/manifest.json`;
  }

  generationsPrefix(pharmacyKey: string): string {
    return `${this.prefix}/${pharmacyKey}/generations/`;
  }

  generationKey(pharmacyKey: string, generation: number): string {
    return `${this.generationsPrefix(pharmacyKey)}${String(generation).padStart(GENERATION_DIGITS, '0')}.db.gz`;
  }

  async ensureBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      if (!(error instanceof NotFound) && (error as { name?: string }).name !== 'NotFound') throw error;
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
    }
  }

  async readManifest(pharmacyKey: string): Promise<Manifest | undefined> {
    try {
      const response = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.manifestKey(pharmacyKey) }),
      );
      const text = await response.Body!.transformToString('utf8');
      return validatorFor(Manifest).assert(JSON.parse(text), 'snapshot manifest');
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async writeManifest(pharmacyKey: string, manifest: Manifest): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.manifestKey(pharmacyKey),
        Body: JSON.stringify(manifest, null, 2),
        ContentType: 'application/json',
        CacheControl: 'no-cache',
      }),
    );
  }

  /**
   * Uploads a compressed snapshot, then proves the stored object is the one sent: by HEAD (size, and MD5 via the
   * ETag) or, with `read-back`, by downloading it again and comparing its SHA-256 (for stores whose ETag is not an
   * MD5 of the content, e.g. SSE-KMS).
   */
  async putGeneration(
    key: string,
    file: string,
    object: { size: number; sha256: string; md5: string },
    verify: UploadVerification = 'etag',
  ): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: createReadStream(file),
        ContentLength: object.size,
        ContentType: 'application/gzip',
        Metadata: { sha256: object.sha256 },
      }),
    );
    if (verify === 'read-back') {
      const stored = await this.hash(key);
      if (stored.sha256 !== object.sha256 || stored.size !== object.size) {
        throw new UnavailableError('SNAPSHOT_VERIFY_FAILED', `Uploaded ${key} reads back as other bytes`);
      }
      return;
    }
    const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
    const etag = head.ETag?.replaceAll('"', '');
    const etagIsMd5 = etag !== undefined && /^[0-9a-f]{32}$/.test(etag);
    if (head.ContentLength !== object.size || (etagIsMd5 && etag !== object.md5)) {
      throw new UnavailableError(
        'SNAPSHOT_VERIFY_FAILED',
        `Uploaded ${key} does not match: size ${head.ContentLength} (sent ${object.size}), etag ${etag}`,
      );
    }
    if (!etagIsMd5 && head.Metadata?.sha256 !== object.sha256) {
      throw new UnavailableError('SNAPSHOT_VERIFY_FAILED', `Uploaded ${key} lost its checksum metadata`);
    }
  }

  private async hash(key: string): Promise<{ sha256: string; size: number }> {
    const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    const hashing = new HashingStream();
    await pipeline(response.Body as Readable, hashing, new Writable({ write: (_chunk, _encoding, done) => done() }));
    return { sha256: hashing.sha256(), size: hashing.size };
  }

  /** Downloads an object to a file, returning the SHA-256 and size of what arrived. */
  async download(key: string, file: string): Promise<{ sha256: string; size: number }> {
    const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    const hashing = new HashingStream();
    await pipeline(response.Body as Readable, hashing, createWriteStream(file));
    return { sha256: hashing.sha256(), size: hashing.size };
  }

  async listGenerations(pharmacyKey: string): Promise<{ key: string; generation: number }[]> {
    const prefix = this.generationsPrefix(pharmacyKey);
    const found: { key: string; generation: number }[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const item of page.Contents ?? []) {
        const match = /^(\d+)\.db\.gz$/.exec(item.Key!.slice(prefix.length));
        if (match) found.push({ key: item.Key!, generation: Number(match[1]) });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return found.sort((a, b) => a.generation - b.generation);
  }

  async deleteKeys(keys: string[]): Promise<void> {
    // One by one: multi-object delete needs a Content-MD5 some S3-compatible servers insist on.
    for (const key of keys) await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}
