import { fileURLToPath } from 'node:url';
import type { Log } from '@pharma/shared/logger';
import type { RunnerConfig } from '../config.js';
import { baseScriptEnv } from './process-runner.js';
import { type HostCommand, ScriptHost } from './script-host.js';

const FROM_SOURCES = import.meta.url.endsWith('.ts');
const SPAWNER_FILE = fileURLToPath(new URL(`./spawner-host${FROM_SOURCES ? '.ts' : '.js'}`, import.meta.url));
/** The warm Python (runs each `.py` script in a fork of itself), shipped beside the target header. */
export const PYTHON_HOST_FILE = fileURLToPath(new URL('../../assets/python-host.py', import.meta.url));

/** The spawner: a small Node process of its own (none of the service's flags or loaded code). */
export function spawnerCommand(): HostCommand {
  return {
    name: 'spawner host',
    command: process.execPath,
    // From sources (tests), the host is TypeScript: tsx's loader compiles it.
    args: [...(FROM_SOURCES ? ['--import', import.meta.resolve('tsx')] : []), '--max-semi-space-size=1', SPAWNER_FILE],
    env: baseScriptEnv(),
  };
}

export function pythonHostCommand(python: string): HostCommand {
  return { name: 'python host', command: python, args: [PYTHON_HOST_FILE], env: baseScriptEnv() };
}

export interface ScriptHosts {
  /** Starts executables, and `.py` files when no warm Python runs them. */
  processes: ScriptHost;
  /** The warm Python once it answered; undefined when `ORCHESTRATOR_PYTHON_WARM` is off or it did not start. */
  python: Promise<ScriptHost | undefined>;
  close(): Promise<void>;
}

/**
 * Starts the script hosts, without waiting for them (the first task that needs one waits). A warm Python that does
 * not start (no such interpreter, no `fork`) is logged and left out: `.py` scripts then start a fresh interpreter
 * each, through the spawner.
 */
export function startScriptHosts(config: RunnerConfig, logger: Log): ScriptHosts {
  const processes = new ScriptHost(spawnerCommand(), logger);
  const startPython = async (): Promise<ScriptHost | undefined> => {
    if (!config.pythonWarm) return undefined;
    const python = new ScriptHost(pythonHostCommand(config.python), logger);
    try {
      const ready = await python.start();
      logger.info({ python: config.python, version: ready.version, pid: ready.pid }, 'warm python started');
      return python;
    } catch (error) {
      logger.warn(
        { python: config.python, err: error },
        'warm python did not start: each .py script starts a fresh interpreter',
      );
      await python.close();
      return undefined;
    }
  };
  processes.start().catch(() => {});
  const python = startPython();
  return {
    processes,
    python,
    close: async () => {
      await Promise.all([processes.close(), python.then((host) => host?.close())]);
    },
  };
}
