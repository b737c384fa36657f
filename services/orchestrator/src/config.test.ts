import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED_SCRIPTS_DIR, loadConfig } from './config.js';
import { withAsyncCommit } from './db/commit-durability.js';

describe('orchestrator configuration', () => {
  it('has working defaults: shipped scripts, folders under the data folder, a schedule', () => {
    const config = loadConfig({});
    expect(config.runner.scriptsDir).toBe(BUNDLED_SCRIPTS_DIR);
    expect(config.runner.finalDir).toBe(resolve('.data/orchestrator/final-reports'));
    expect(config.runner.readyDir).toBe(resolve('.data/orchestrator/ready-to-load'));
    expect(config.runner.concurrency).toBeGreaterThanOrEqual(2);
    expect(config.runner.lockScope).toBe('default');
    expect(config.runner).toMatchObject({ python: 'python3', pythonWarm: true });
    expect(config.schedule).toEqual({ enabled: true, cron: '5,20,35,50 * * * *' });
    expect(config.postgres.poolSize).toBeGreaterThanOrEqual(2 * config.runner.concurrency + 4);
    // The stop grace leaves the rest of the shutdown budget to kill the scripts left and close.
    expect(config.runner.stopGraceMs).toBe(5_000);
    expect(config.shutdownTimeoutMs).toBe(10_000);
  });

  it('takes a longer stop grace with a longer shutdown budget', () => {
    const config = loadConfig({ ORCHESTRATOR_STOP_GRACE_MS: '20000', SHUTDOWN_TIMEOUT_MS: '30000' });
    expect(config.runner.stopGraceMs).toBe(20_000);
  });

  it('reads every folder and limit from the environment', () => {
    const config = loadConfig({
      ORCHESTRATOR_DATA_DIR: 'x',
      ORCHESTRATOR_READY_DIR: 'ready',
      ORCHESTRATOR_CONCURRENCY: '7',
      ORCHESTRATOR_TASK_TIMEOUT_MS: '1500',
      ORCHESTRATOR_FINAL_MAX_AGE_HOURS: '0.5',
      ORCHESTRATOR_LOCK_SCOPE: 'machine-b',
      ORCHESTRATOR_PYTHON: '/usr/bin/python3',
      ORCHESTRATOR_PYTHON_WARM: 'false',
    });
    expect(config.runner).toMatchObject({
      python: '/usr/bin/python3',
      pythonWarm: false,
      finalDir: resolve('x/final-reports'),
      readyDir: resolve('ready'),
      concurrency: 7,
      taskTimeoutMs: 1500,
      finalMaxAgeMs: 1_800_000,
      lockScope: 'machine-b',
    });
  });

  it.each([
    [{ ORCHESTRATOR_CRON: 'every minute' }, 'ORCHESTRATOR_CRON'],
    [{ ORCHESTRATOR_CONCURRENCY: '0' }, 'ORCHESTRATOR_CONCURRENCY'],
    [{ ORCHESTRATOR_TASK_TIMEOUT_MS: 'soon' }, 'ORCHESTRATOR_TASK_TIMEOUT_MS'],
    [{ ORCHESTRATOR_PYTHON_WARM: 'sometimes' }, 'ORCHESTRATOR_PYTHON_WARM'],
    [{ ORCHESTRATOR_STOP_GRACE_MS: '0' }, 'ORCHESTRATOR_STOP_GRACE_MS'],
    [{ ORCHESTRATOR_STOP_GRACE_MS: '9000' }, 'ORCHESTRATOR_STOP_GRACE_MS'],
    [{ ORCHESTRATOR_STOP_GRACE_MS: '5000', SHUTDOWN_TIMEOUT_MS: '6000' }, 'ORCHESTRATOR_STOP_GRACE_MS'],
  ])('refuses %j naming the variable', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(variable);
  });

  it('asks for asynchronous commits in the connection URL, keeping other options', () => {
    const url = new URL(withAsyncCommit('postgres://u@h:5432/db?options=-c%20search_path%3Dx'));
    expect(url.searchParams.get('options')).toBe('-c search_path=x -c synchronous_commit=off');
  });
});
