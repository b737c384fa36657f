/** Connection details of the infrastructure the integration tests run against, decided once by the global setup. */
export interface TestInfra {
  databaseUrl: string;
  natsUrl: string;
  s3: {
    endpoint: string;
    region: string;
    accessKeyId: string;
    secretAccessKey: string;
    forcePathStyle: boolean;
    checksums: 'WHEN_SUPPORTED' | 'WHEN_REQUIRED';
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    infra: TestInfra;
  }
}
