import type { RegistryFileStatusName } from '@pharma/shared/contracts';
import type { pg } from '@pharma/shared/db';
import type { NewFilesRegistryRow } from '../domain/new-files-registry.js';

/**
 * A registry row taken by a run: `ops.file_registry` belongs to the registry service; the orchestrator reads and
 * locks its rows here, and writes a status only through the registry's `ops.set_file_status` (see task-runs).
 */
export interface Task {
  id: number;
  filePath: string;
  dataProvider: string | null;
  clientName: string | null;
  reportType: string | null;
  status: string;
}

/** The statuses a run takes: new files, files without a script yet (the original rule), failed ones. */
const ELIGIBLE_STATUSES: readonly RegistryFileStatusName[] = ['NEW', 'PROCESSING', 'ERROR'];
const ELIGIBLE = `status IN (${ELIGIBLE_STATUSES.map((status) => `'${status}'`).join(', ')})`;

export async function countEligibleTasks(db: pg.Pool | pg.PoolClient): Promise<number> {
  const result = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ops.file_registry WHERE ${ELIGIBLE}`);
  return Number(result.rows[0]?.n ?? 0);
}

/** The rows a run takes, in id order, each column as text: the run's `Reestr/new_files_registry.csv`. */
export async function listEligibleFiles(db: pg.Pool | pg.PoolClient): Promise<NewFilesRegistryRow[]> {
  const stamp = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS ${column}`;
  const result = await db.query<NewFilesRegistryRow>(
    `SELECT id::text, file_path, ${stamp('uploaded_at')}, status, data_provider, report_year::text,
       report_month::text, client_name, report_type, ${stamp('created_at')}, error_reason
     FROM ops.file_registry WHERE ${ELIGIBLE} ORDER BY id`,
  );
  return result.rows;
}

const CLAIM = 'orchestrator_claim';
/** Connections (pool clients) on which the claim is prepared: a prepared statement lives as long as its session. */
const claimPrepared = new WeakSet<pg.PoolClient>();

/**
 * Opens the task's transaction and locks the next eligible registry row after `afterId` in it. Rows locked by
 * another runner (another instance) are skipped, so no file is processed twice at once; the lock lasts until the
 * transaction ends, and a runner that dies releases it with its connection.
 */
export async function beginAndClaimNextTask(client: pg.PoolClient, afterId: number): Promise<Task | undefined> {
  if (!Number.isSafeInteger(afterId)) throw new Error(`not an id: ${afterId}`);
  if (!claimPrepared.has(client)) {
    // Prepared once per connection, so that the claim is not planned again for every task.
    await client.query(
      `PREPARE ${CLAIM}(bigint) AS SELECT id, file_path, data_provider, client_name, report_type, status
        FROM ops.file_registry WHERE ${ELIGIBLE} AND id > $1 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`,
    );
    claimPrepared.add(client);
  }
  // BEGIN and the claim in one message (simple protocol, so the id is written in the text): one round trip per
  // task fewer than a BEGIN of its own. The transaction stays open after it.
  const results = (await client.query(`BEGIN; EXECUTE ${CLAIM}(${afterId})`)) as unknown as pg.QueryResult[];
  const row = results[1]?.rows[0];
  if (!row) return undefined;
  return {
    id: row.id,
    filePath: row.file_path,
    dataProvider: row.data_provider,
    clientName: row.client_name,
    reportType: row.report_type,
    status: row.status,
  };
}

/**
 * Opens a new transaction and locks the file's registry row again, if it is still free and still to be done
 * (`SKIP LOCKED`: false when another runner took it meanwhile). One message, as the claim.
 */
export async function beginAndRelockTask(client: pg.PoolClient, id: number): Promise<boolean> {
  if (!Number.isSafeInteger(id)) throw new Error(`not an id: ${id}`);
  const results = (await client.query(
    `BEGIN; SELECT id FROM ops.file_registry WHERE id = ${id} AND ${ELIGIBLE} FOR UPDATE SKIP LOCKED`,
  )) as unknown as pg.QueryResult[];
  return (results[1]?.rows.length ?? 0) > 0;
}
