import { createRequire } from 'node:module';

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: {
  port: number;
  address: string;
  directory: string;
  silent: boolean;
  configureBuckets?: { name: string }[];
}) => S3rverInstance;

// Loaded through require: the package ships no type declarations.
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

/** An S3-compatible server of the test's own, on a folder, that the test can stop and start again. */
export class LocalS3Server {
  private server?: S3rverInstance;
  port = 0;

  constructor(
    private readonly directory: string,
    private readonly bucket: string,
  ) {}

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = new S3rver({
      port: this.port,
      address: '127.0.0.1',
      directory: this.directory,
      silent: true,
      configureBuckets: [{ name: this.bucket }],
    });
    ({ port: this.port } = await this.server.run());
  }

  async stop(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
  }
}
