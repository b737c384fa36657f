import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';

/** Passes bytes through unchanged while computing their SHA-256, MD5 and length. */
export class HashingStream extends Transform {
  private readonly sha = createHash('sha256');
  private readonly md5Hash: Hash = createHash('md5');
  size = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.sha.update(chunk);
    this.md5Hash.update(chunk);
    this.size += chunk.length;
    callback(null, chunk);
  }

  sha256(): string {
    return this.sha.digest('hex');
  }

  md5(): string {
    return this.md5Hash.digest('hex');
  }
}

export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
