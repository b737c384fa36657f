import { createPgPool } from '@pharma/shared/db';
import { createTestDatabase, type TestDatabase } from '@pharma/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('PostgreSQL pool', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db.drop();
  });

  it('survives the server ending a checked-out session between two queries (a database restart)', async () => {
    const pool = createPgPool(db.url, 3);
    const held = await pool.connect();
    const { rows } = await held.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    // What a PostgreSQL shutdown does to every session: FATAL 57P01 sent to an idle, checked-out client, which
    // emits 'error' with no query to fail. Nothing of the test listens: only the pool's own listener may.
    await pool.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await expect(held.query('SELECT 1')).rejects.toThrow();
    held.release(true);
    // The process is still here (an unheard 'error' event would have killed it) and the pool works on.
    expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await pool.end();
  });
});
