import type { pg } from '@pharma/shared/db';
import { createTestDatabase, type TestDatabase } from '@pharma/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ABANDONED_RUN_ERROR, insertRun } from '../../src/repositories/runs.repository.js';
import { migrateAll } from '../helpers.js';

describe('runs whose runner died (real Postgres)', () => {
  let db: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = await migrateAll(db.url);
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  const runs = async () =>
    (
      await pool.query<{ id: string; status: string; error: string | null; ended: boolean }>(
        'SELECT id, status, error, completed_at IS NOT NULL AS ended FROM ops.orchestrator_runs ORDER BY id',
      )
    ).rows;

  it('the next run of the scope closes a run left running as failed; other scopes and locked runs touch nothing', async () => {
    // A run whose database went away before its end was written, in two scopes.
    await insertRun(pool, { id: 'a-dead', trigger: 'request', lockScope: 'a', status: 'running' });
    await insertRun(pool, { id: 'b-dead', trigger: 'request', lockScope: 'b', status: 'running' });
    // A runner that did not get the lock proves nothing about the one that holds it.
    await insertRun(pool, { id: 'a-locked', trigger: 'schedule', lockScope: 'a', status: 'locked' });
    expect((await runs()).find((run) => run.id === 'a-dead')?.status).toBe('running');

    await insertRun(pool, { id: 'a-next', trigger: 'request', lockScope: 'a', status: 'running' });
    expect(await runs()).toEqual([
      { id: 'a-dead', status: 'failed', error: ABANDONED_RUN_ERROR, ended: true },
      { id: 'a-locked', status: 'locked', error: null, ended: false },
      { id: 'a-next', status: 'running', error: null, ended: false },
      { id: 'b-dead', status: 'running', error: null, ended: false },
    ]);

    // The same run recorded again (its request redelivered) stays its own.
    await insertRun(pool, { id: 'a-next', trigger: 'request', lockScope: 'a', status: 'running' });
    expect((await runs()).find((run) => run.id === 'a-next')?.status).toBe('running');
  });
});
