import { getOrchestratorRunRpc, Job, listOrchestratorRunsRpc, startOrchestratorRunRpc } from '@pharma/shared/contracts';
import { requestRpc } from '@pharma/shared/messaging';
import { Type } from '@sinclair/typebox';
import { addStaffQueryRoute, addStartJobRoute, type RoutesPlugin } from './route-kit.js';
import { authErrorsWith404 } from './schemas.js';

/** Runs are started by the orchestrator's own "start" RPC, which creates the job; the job id is the run id. */
export const orchestratorRoutes: RoutesPlugin = async (app, options) => {
  addStartJobRoute(app, options, '/api/orchestrator/runs', {
    tag: 'orchestrator',
    summary: 'Runs the pending conversion tasks now, as a job',
    rpc: startOrchestratorRunRpc,
  });

  addStaffQueryRoute(app, options, '/api/orchestrator/runs', {
    tag: 'orchestrator',
    summary: 'Recent runs, newest first, with their counts',
    querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }) }),
    rpc: listOrchestratorRunsRpc,
  });

  app.get(
    '/api/orchestrator/runs/:id',
    {
      preValidation: app.staffOnly,
      schema: {
        tags: ['orchestrator'],
        summary: 'One run: status, counts and its task runs (reasons, timings, output tails), with its live job',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }),
        querystring: Type.Object({ taskLimit: Type.Integer({ minimum: 0, maximum: 10_000, default: 500 }) }),
        response: {
          200: Type.Object({ ...getOrchestratorRunRpc.response.properties, job: Type.Optional(Job) }),
          ...authErrorsWith404,
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { taskLimit } = request.query;
      const [run, job] = await Promise.all([
        requestRpc(app.nats, getOrchestratorRunRpc, { runId: id, taskLimit }, options.rpc),
        options.jobs.get(id),
      ]);
      return job?.kind === 'orchestrator.run' ? { ...run, job } : run;
    },
  );
};
