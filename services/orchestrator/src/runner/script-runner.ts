import type { RunnerConfig } from '../config.js';
import { runProcess } from './process-runner.js';
import type { ScriptOutcome, TaskEnv } from './script-outcome.js';
import type { ResolvedScript } from './script-resolver.js';
import type { ScriptWorkerPool } from './worker-pool.js';

export type ScriptRunner = (script: ResolvedScript, env: TaskEnv) => Promise<ScriptOutcome>;

/** Modules run in the warm worker pool; Python files with the configured interpreter; anything else as is. */
export function createScriptRunner(config: RunnerConfig, pool: ScriptWorkerPool): ScriptRunner {
  return (script, env) => {
    const common = { env, timeoutMs: config.taskTimeoutMs, tailBytes: config.tailBytes };
    if (script.kind === 'module') return pool.run({ ...common, script: script.path, version: script.version });
    if (script.kind === 'python') {
      return runProcess({ ...common, command: config.python, args: [script.path], script: script.path });
    }
    return runProcess({ ...common, command: script.path, args: [], script: script.path });
  };
}
