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

/**
 * Which shared pieces each service is configured with, and its folders (variable → folder under the data
 * directory). The compose file must give each service the same variables.
 */
export const SERVICE_NEEDS: Record<
  ServiceName,
  { postgres?: true; s3?: true; sobrus?: true; folders?: Record<string, string> }
> = {
  gateway: {},
  auth: { postgres: true, sobrus: true, folders: { AUTH_DATA_DIR: 'auth' } },
  scraper: { sobrus: true },
  'pdf-processor': {},
  'storage-sync': { s3: true, folders: { STORAGE_SYNC_DATA_DIR: 'storage-sync' } },
  'sales-etl': { folders: { SALES_DATA_DIR: 'sales-etl' } },
  // The intake tree is shared: the registry scans it, the orchestrator reads the files it registered.
  'file-registry': { postgres: true, folders: { REGISTRY_ROOT: 'intake' } },
  orchestrator: { postgres: true, folders: { REGISTRY_ROOT: 'intake', ORCHESTRATOR_DATA_DIR: 'orchestrator' } },
};

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
  for (const [variable, folder] of Object.entries(needs.folders ?? {})) env[variable] = `${infra.dataDir}/${folder}`;
  return env;
}

export { SERVICE_NAMES, SERVICES, type ServiceName };
