import { toError } from '@pharma/shared/errors';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** Aborted when the service starts closing: runs claim no more tasks from then on. */
    runStopSignal: AbortSignal;
  }
}

export interface RunStopPluginOptions {
  /** How long the tasks already running may take to finish once the service is stopping. */
  graceMs: number;
  /** Ends the scripts still running at the end of the grace (their tasks are left for the next run). */
  stopScripts: () => Promise<void>;
}

/**
 * A stop of the service (SIGTERM, SIGINT, `app.close()`) stops the runs in time: at once no task is claimed any
 * more; the tasks already running get `graceMs` to finish; then the scripts still running are killed and their
 * files left as they were, for the next run. Registered before the NATS plugin, whose close waits for the run
 * handlers in flight: this hook must run first, or that wait would last the whole run.
 */
export const runStopPlugin = fp<RunStopPluginOptions>(
  async (app: FastifyInstance, { graceMs, stopScripts }) => {
    const controller = new AbortController();
    let grace: NodeJS.Timeout | undefined;
    let stopped: Promise<void> | undefined;
    app.decorate('runStopSignal', controller.signal);
    app.addHook('preClose', async () => {
      controller.abort(new Error('the service is stopping'));
      grace = setTimeout(() => {
        app.log.warn(
          { graceMs },
          'stop grace over: scripts still running are killed, their files left for the next run',
        );
        stopped = stopScripts().catch((error) =>
          app.log.error({ err: toError(error) }, 'scripts could not be stopped'),
        );
      }, graceMs);
    });
    app.addHook('onClose', async () => {
      clearTimeout(grace);
      await stopped;
    });
  },
  { name: 'orchestrator-run-stop' },
);
