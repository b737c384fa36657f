import { fileTaskRunsRpc } from '@pharma/shared/contracts';
import { requestRpc } from '@pharma/shared/messaging';
import { Type } from '@sinclair/typebox';
import type { RoutesPlugin } from './route-kit.js';
import { authErrors } from './schemas.js';

/** A registry file's attempt history, as the orchestrator recorded it (the registry keeps only the last status). */
export const fileAttemptsRoutes: RoutesPlugin = async (app, options) => {
  app.get(
    '/api/registry/files/:id/attempts',
    {
      preValidation: app.staffOnly,
      schema: {
        tags: ['registry'],
        summary: "Every attempt at a file, oldest first: run, outcome, reason, timings and the script's output tails",
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        response: { 200: fileTaskRunsRpc.response, ...authErrors },
      },
    },
    async (request) => requestRpc(app.nats, fileTaskRunsRpc, { fileId: request.params.id }, options.rpc),
  );
};
