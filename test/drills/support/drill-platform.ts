import { type Platform, type PlatformOptions, startPlatform } from '@pharma/launcher/platform';
import { connectNats, type NatsContext } from '@pharma/shared/messaging';

export type { Platform };

/**
 * A platform of its own for a drill file: own NATS, PostgreSQL and S3 server (so they can be stopped without
 * touching anyone else's), output kept in memory (shown when a drill fails).
 */
export async function startDrillPlatform(options: PlatformOptions): Promise<Platform> {
  return startPlatform({ output: false, logLevel: 'info', readyTimeoutMs: 120_000, ...options });
}

/** Resolves once every running service answers `/readyz` (its NATS, database and S3 answer). */
export async function waitReady(platform: Platform, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(Object.values(platform.services).filter((service) => service.running));
  while (pending.size > 0) {
    for (const service of [...pending]) {
      const ok = await fetch(`${service.url}/readyz`, { signal: AbortSignal.timeout(5_000) })
        .then((response) => response.ok)
        .catch(() => false);
      if (ok) pending.delete(service);
    }
    if (pending.size === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`not ready after ${timeoutMs} ms: ${[...pending].map((service) => service.name).join(', ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A NATS connection of the test's own to the platform's server, under the services' prefix. */
export function observe(platform: Platform, prefix = platform.infra.natsPrefix): Promise<NatsContext> {
  return connectNats({ url: platform.infra.natsUrl, name: 'drill-observer', prefix });
}

/** Unacknowledged and undelivered messages of every consumer of a stream: 0 when the pipeline is idle. */
export async function consumerBacklog(nats: NatsContext, stream: string): Promise<Record<string, number>> {
  const backlog: Record<string, number> = {};
  for await (const info of nats.jsm.consumers.list(nats.resource(stream))) {
    backlog[info.name] = info.num_pending + info.num_ack_pending;
  }
  return backlog;
}

/** The warnings, errors and last lines of every process of the platform, to show why a drill failed. */
export function platformLogs(platform: Platform, lines = 40): string {
  const parts = [
    ...Object.values(platform.services),
    ...[platform.nats, platform.postgres, platform.s3, platform.simulator].filter((part) => part !== undefined),
  ];
  // The warnings and errors first: what went wrong early is long gone from the last lines of a busy service.
  return parts
    .map((part) => {
      const logs = part.logs();
      const problems = logs.filter((line) => /\b(WARN|ERROR|FATAL)\b/.test(line)).slice(-lines);
      return [
        `--- ${part.name}: last ${problems.length} warnings and errors ---`,
        ...problems,
        `--- ${part.name} (last ${lines} lines) ---`,
        ...logs.slice(-lines),
      ].join('\n');
    })
    .join('\n');
}

export const since = (start: number) => (Date.now() - start) / 1000;
