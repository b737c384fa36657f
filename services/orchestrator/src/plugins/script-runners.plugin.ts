import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { RunnerConfig } from '../config.js';
import { type ScriptRunners, startScriptRunners } from '../runner/script-runner.js';

declare module 'fastify' {
  interface FastifyInstance {
    scriptRunners: ScriptRunners;
  }
}

export interface ScriptRunnersPluginOptions {
  config: RunnerConfig;
  /**
   * The module the worker threads run: module scripts, and the check and move of every output (by default
   * consumers/script-worker.consumer.ts).
   */
  workerEntry?: URL;
}

/** The warm worker threads for module scripts and the script hosts: started with the service, ended at close. */
export const scriptRunnersPlugin = fp<ScriptRunnersPluginOptions>(
  async (app: FastifyInstance, { config, workerEntry }) => {
    const runners = startScriptRunners(config, app.log, workerEntry);
    app.decorate('scriptRunners', runners);
    app.addHook('onClose', async () => runners.close());
  },
  { name: 'script-runners' },
);
