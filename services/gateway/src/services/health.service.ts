import { healthRpc } from '@pharma/shared/contracts';
import { type NatsContext, requestRpc } from '@pharma/shared/messaging';
import { SERVICE_NAMES } from '@pharma/shared/services';

export interface ServiceStatus {
  service: string;
  status: 'up' | 'degraded' | 'down';
  version?: string;
  uptimeS?: number;
  latencyMs: number;
  error?: string;
  checks?: Record<string, { ok: boolean; message?: string }>;
}

/** Asks every service for its health at once; one that does not answer in time is down, never waited on. */
export async function collectHealth(ctx: NatsContext, timeoutMs: number): Promise<ServiceStatus[]> {
  return Promise.all(
    SERVICE_NAMES.map(async (service): Promise<ServiceStatus> => {
      const started = performance.now();
      const latency = () => Math.round(performance.now() - started);
      try {
        const health = await requestRpc(ctx, healthRpc(service), {}, { timeoutMs });
        return { ...health, latencyMs: latency() };
      } catch (error) {
        return { service, status: 'down', latencyMs: latency(), error: (error as Error).message };
      }
    }),
  );
}
