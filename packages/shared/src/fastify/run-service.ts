import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { ConfigError, type Env } from '../config/index.js';
import { toError } from '../errors/index.js';
import { createLogger, type Logger } from '../logger/index.js';

export interface RunnableConfig {
  host: string;
  port: number;
  logLevel: string;
  shutdownTimeoutMs: number;
}

export interface RunServiceOptions<C extends RunnableConfig> {
  service: string;
  loadConfig: (env: Env) => C;
  buildApp: (config: C, logger: Logger) => Promise<FastifyInstance>;
}

/** Process wiring for a service's main.ts: config → logger → app → listen → graceful close on signals. */
export async function runService<C extends RunnableConfig>({ service, loadConfig, buildApp }: RunServiceOptions<C>) {
  let config: C;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${service}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ service, level: config.logLevel });
  let app: FastifyInstance;
  try {
    app = await buildApp(config, logger);
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    logger.fatal({ err: toError(error) }, 'service failed to start');
    process.exit(1);
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown took too long, exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    try {
      await app.close();
      process.exit(0);
    } catch (error) {
      logger.error({ err: toError(error) }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

/** The `version` of the package.json next to a service's dist/ or src/ folder. */
export function packageVersion(moduleUrl: string): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', moduleUrl), 'utf8')) as { version: string };
  return pkg.version;
}
