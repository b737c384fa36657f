import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { RunnerConfig } from '../config.js';
import { type ScriptRunners, startScriptRunners } from '../runner/script-runner.js';

declare module 'fastify' {
  interface FastifyInstance {
    scriptRunners: ScriptRunners;
  }
}

/** The warm worker threads for module scripts and the script hosts: started with the service, ended at close. */
export const scriptRunnersPlugin = fp<{ config: RunnerConfig }>(
  async (app: FastifyInstance, { config }) => {
    const runners = startScriptRunners(config, app.log);
    app.decorate('scriptRunners', runners);
    app.addHook('onClose', async () => runners.close());
  },
  { name: 'script-runners' },
);
