/** The platform's services and their default HTTP ports (each overridable with `<NAME>_PORT`). */
export const SERVICES = {
  gateway: { port: 8080, env: 'GATEWAY_PORT' },
  auth: { port: 8081, env: 'AUTH_PORT' },
  scraper: { port: 8082, env: 'SCRAPER_PORT' },
  'pdf-processor': { port: 8083, env: 'PDF_PROCESSOR_PORT' },
  'storage-sync': { port: 8084, env: 'STORAGE_SYNC_PORT' },
  'sales-etl': { port: 8085, env: 'SALES_ETL_PORT' },
  'file-registry': { port: 8086, env: 'FILE_REGISTRY_PORT' },
  orchestrator: { port: 8087, env: 'ORCHESTRATOR_PORT' },
} as const;

export type ServiceName = keyof typeof SERVICES;
export const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];
