import { toError } from '@pharma/shared/errors';
import { counter } from '@pharma/shared/metrics';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { SweepResult } from '../services/object-sweep.service.js';

export interface ObjectSweepPluginOptions {
  intervalMs: number;
  /** One sweep; `signal` aborts when the app closes. */
  sweep: (signal: AbortSignal) => Promise<SweepResult>;
}

const metrics = {
  runs: () =>
    counter('pharma_pdf_sweep_runs_total', 'Sweeps of the statements bucket, by outcome (ok, failed)', ['outcome']),
  removed: () =>
    counter('pharma_pdf_sweep_removed_total', 'Entries the sweep removed from the statements bucket, by kind', [
      'kind',
    ]),
};

declare module 'fastify' {
  interface FastifyInstance {
    /** Runs a sweep now (or joins the one under way); resolves when it ended, undefined if it failed. */
    sweepObjects(): Promise<SweepResult | undefined>;
  }
}

/**
 * Sweeps the statements bucket once the app is ready, then every `intervalMs`; one sweep at a time. A failed sweep
 * (NATS away) is logged and counted, and the next tick tries again. Closing stops a sweep under way after its
 * current request and waits for that.
 */
export const objectSweepPlugin = fp<ObjectSweepPluginOptions>(
  async (app: FastifyInstance, { intervalMs, sweep }) => {
    const log = app.log.child({ module: 'object-sweep' });
    const runs = metrics.runs();
    const removed = metrics.removed();
    let running: Promise<SweepResult | undefined> | undefined;
    let timer: NodeJS.Timeout | undefined;
    const closing = new AbortController();

    const sweepLogged = async (): Promise<SweepResult | undefined> => {
      const started = Date.now();
      try {
        const result = await sweep(closing.signal);
        runs.inc({ outcome: 'ok' });
        removed.inc({ kind: 'object' }, result.deleted);
        removed.inc({ kind: 'marker' }, result.markersDropped);
        removed.inc({ kind: 'chunks' }, result.chunkSetsPurged);
        const summary = { ...result, ms: Date.now() - started };
        if (result.deleted + result.markersDropped + result.chunkSetsPurged > 0 || result.referencesUnknown) {
          log.info(summary, 'statements bucket swept');
        } else {
          log.debug(summary, 'statements bucket swept: nothing to remove');
        }
        return result;
      } catch (thrown) {
        if (closing.signal.aborted) return undefined;
        runs.inc({ outcome: 'failed' });
        log.warn({ err: toError(thrown) }, 'statements bucket sweep failed; tried again at the next tick');
        return undefined;
      }
    };

    const runOnce = (): Promise<SweepResult | undefined> => {
      if (closing.signal.aborted) return Promise.resolve(undefined);
      running ??= sweepLogged().finally(() => {
        running = undefined;
      });
      return running;
    };

    app.decorate('sweepObjects', runOnce);
    app.addHook('onReady', async () => {
      void runOnce();
      timer = setInterval(() => void runOnce(), intervalMs);
      timer.unref();
    });
    app.addHook('preClose', async () => {
      closing.abort();
      clearInterval(timer);
      await running;
    });
  },
  { name: 'object-sweep', dependencies: ['nats'] },
);
