import { randomUUID } from 'node:crypto';
import {
  fileTaskRunsRpc,
  getOrchestratorRunRpc,
  listOrchestratorRunsRpc,
  startOrchestratorRunRpc,
} from '@pharma/shared/contracts';
import type { pg } from '@pharma/shared/db';
import { NotFoundError } from '@pharma/shared/errors';
import type { Log } from '@pharma/shared/logger';
import { type JobStore, type NatsContext, publishEvent, serveRpc } from '@pharma/shared/messaging';
import { findRun, listRuns, taskRunsOfFile, taskRunsOfRun } from '../repositories/runs.repository.js';

export interface RpcDeps {
  nats: NatsContext;
  pool: pg.Pool;
  jobs: JobStore;
  logger: Log;
}

/** The gateway's API: start a run (→ job id), a run with its task runs, recent runs, the attempts at a file. */
export function serveOrchestratorRpc(deps: RpcDeps): ReturnType<typeof serveRpc>[] {
  const { nats, pool, jobs, logger } = deps;
  return [
    serveRpc(nats, startOrchestratorRunRpc, {
      logger,
      handler: async (request) => {
        const jobId = `orchestrator-${randomUUID()}`;
        await jobs.create({
          id: jobId,
          kind: 'orchestrator.run',
          owner: request.requestedBy ?? 'system',
          correlationId: request.correlationId,
        });
        await publishEvent(
          nats,
          'orchestrator.run.requested',
          { jobId, requestedAt: new Date().toISOString(), correlationId: request.correlationId },
          { msgId: jobId, correlationId: request.correlationId },
        );
        return { jobId };
      },
    }),
    serveRpc(nats, getOrchestratorRunRpc, {
      logger,
      handler: async (request) => {
        const run = await findRun(pool, request.runId);
        if (!run) throw new NotFoundError(`Run ${request.runId} does not exist`);
        const tasks = await taskRunsOfRun(pool, request.runId, request.taskLimit ?? 500);
        return { run: run as never, tasks };
      },
    }),
    serveRpc(nats, listOrchestratorRunsRpc, {
      logger,
      handler: async (request) => ({ items: (await listRuns(pool, request.limit ?? 50)) as never }),
    }),
    serveRpc(nats, fileTaskRunsRpc, {
      logger,
      handler: async (request) => ({ fileId: request.fileId, items: await taskRunsOfFile(pool, request.fileId) }),
    }),
  ];
}
