import { dirname } from 'node:path';
import type { Log } from '@pharma/shared/logger';
import type { RunnerConfig } from '../config.js';
import type { OutputCheckRequest } from '../services/output.service.js';
import { scriptEnv } from './process-runner.js';
import { type ScriptHosts, startScriptHosts } from './script-hosts.js';
import type { ScriptOutcome, TaskEnv } from './script-outcome.js';
import type { ResolvedScript } from './script-resolver.js';
import { ScriptWorkerPool } from './worker-pool.js';

/** Runs a script; given `check`, a script that ended well has its output checked and moved (`outcome.output`). */
export type ScriptRunner = (script: ResolvedScript, env: TaskEnv, check?: OutputCheckRequest) => Promise<ScriptOutcome>;

/**
 * Modules run in the warm worker pool; Python files in the warm Python (a fork per task), else with the configured
 * interpreter; anything else as is. Processes are started by the spawner host, never by the service process itself.
 * Outputs are checked in the worker pool: right after the conversion for a module, as a request of its own after a
 * process.
 */
export function createScriptRunner(config: RunnerConfig, pool: ScriptWorkerPool, hosts: ScriptHosts): ScriptRunner {
  const runProcess = async (script: ResolvedScript, env: TaskEnv): Promise<ScriptOutcome> => {
    const process = {
      timeoutMs: config.taskTimeoutMs,
      tailBytes: config.tailBytes,
      cwd: dirname(script.path),
      env: scriptEnv(env),
    };
    if (script.kind === 'python') {
      const warm = await hosts.python;
      if (warm) return warm.run({ ...process, command: script.path, args: [] });
      return hosts.processes.run({ ...process, command: config.python, args: [script.path] });
    }
    return hosts.processes.run({ ...process, command: script.path, args: [] });
  };
  return async (script, env, check) => {
    if (script.kind === 'module') {
      const common = { timeoutMs: config.taskTimeoutMs, tailBytes: config.tailBytes };
      return pool.run({ ...common, env, script: script.path, version: script.version, check });
    }
    const startedAt = Date.now();
    const outcome = await runProcess(script, env);
    if (!check || outcome.exitCode !== 0 || outcome.timedOut || outcome.lost) return outcome;
    const checked = await pool.check(check, startedAt, config.taskTimeoutMs);
    return 'lost' in checked ? { ...outcome, lost: true, error: checked.lost } : { ...outcome, output: checked.output };
  };
}

/** Everything that runs scripts: the warm worker threads and the script hosts, closed together. */
export interface ScriptRunners {
  run: ScriptRunner;
  modules: ScriptWorkerPool;
  hosts: ScriptHosts;
  /**
   * Ends the scripts still running at once (module workers terminated, the hosts closed: they kill their scripts'
   * process groups); their tasks end as lost, and any later task is lost at once. For a service that is stopping.
   */
  stopRunning(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the workers and the hosts without waiting for them: the first task that needs one waits. `workerEntry`: the
 * module the worker threads run (by default consumers/script-worker.consumer.ts).
 */
export function startScriptRunners(config: RunnerConfig, logger: Log, workerEntry?: URL): ScriptRunners {
  const modules = new ScriptWorkerPool(config.concurrency, logger, workerEntry);
  modules.warm();
  const hosts = startScriptHosts(config, logger);
  return {
    run: createScriptRunner(config, modules, hosts),
    modules,
    hosts,
    stopRunning: async () => {
      modules.stopRunning();
      await hosts.close();
    },
    close: async () => {
      await Promise.all([modules.close(), hosts.close()]);
    },
  };
}
