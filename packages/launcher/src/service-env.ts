import { SERVICE_NAMES, SERVICES, type ServiceName } from '@pharma/shared/services';

/** Where the infrastructure every service talks to lives. */
export interface PlatformInfra {
  natsUrl: string;
  natsPrefix?: string;
  databaseUrl: string;
  s3: {
    endpoint: string;
    region: string;
    bucket: string;
    accessKeyId: string;
    secretAccessKey: string;
    forcePathStyle: boolean;
    checksums: 'WHEN_SUPPORTED' | 'WHEN_REQUIRED';
  };
  sobrus: { appUrl: string; apiUrl: string };
  dataDir: string;
  host: string;
  ports: Record<ServiceName, number>;
  logLevel: string;
}

/** Which shared pieces each service is configured with; the compose file must give each the same variables. */
export const SERVICE_NEEDS: Record<ServiceName, { postgres?: true; s3?: true; sobrus?: true; dataDir?: true }> = {
  gateway: {},
  auth: { postgres: true, sobrus: true },
  scraper: { sobrus: true },
  'pdf-processor': {},
  'storage-sync': { s3: true, dataDir: true },
  'sales-etl': { dataDir: true },
  'file-registry': { postgres: true, dataDir: true },
  orchestrator: { postgres: true, dataDir: true },
};

export function dataDirVariable(service: ServiceName): string {
  return `${service.toUpperCase().replaceAll('-', '_')}_DATA_DIR`;
}

/** The environment of one service process: the single source for the native launcher and the platform tests. */
export function serviceEnv(service: ServiceName, infra: PlatformInfra): Record<string, string> {
  const needs = SERVICE_NEEDS[service];
  const env: Record<string, string> = {
    HOST: infra.host,
    LOG_LEVEL: infra.logLevel,
    NATS_URL: infra.natsUrl,
    [SERVICES[service].env]: String(infra.ports[service]),
  };
  if (infra.natsPrefix) env.NATS_PREFIX = infra.natsPrefix;
  if (needs.postgres) env.DATABASE_URL = infra.databaseUrl;
  if (needs.s3) {
    Object.assign(env, {
      S3_ENDPOINT: infra.s3.endpoint,
      S3_REGION: infra.s3.region,
      S3_BUCKET: infra.s3.bucket,
      S3_ACCESS_KEY_ID: infra.s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: infra.s3.secretAccessKey,
      S3_FORCE_PATH_STYLE: String(infra.s3.forcePathStyle),
      S3_CHECKSUMS: infra.s3.checksums,
    });
  }
  if (needs.sobrus) Object.assign(env, { SOBRUS_APP_URL: infra.sobrus.appUrl, SOBRUS_API_URL: infra.sobrus.apiUrl });
  if (needs.dataDir) env[dataDirVariable(service)] = `${infra.dataDir}/${service}`;
  return env;
}

export { SERVICE_NAMES, SERVICES, type ServiceName };
