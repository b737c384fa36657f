import type { Static } from '@pharma/shared/config';
import { generateTreeRpc, startRegistryScanRpc } from '@pharma/shared/contracts';
import type { FastifyInstance } from 'fastify';
import type { RpcDeps } from '../rpc/registry.handlers.js';
import { startScan } from '../services/scan-request.service.js';
import { generateTree } from '../services/tree.service.js';

const ErrorBody = {
  type: 'object',
  properties: { code: { type: 'string' }, message: { type: 'string' }, requestId: { type: 'string' } },
} as const;

/** Internal HTTP entry points (the public API is the gateway's): generate the tree, start a scan. */
export async function registryRoutes(app: FastifyInstance, deps: RpcDeps) {
  app.post<{ Body: Static<typeof generateTreeRpc.request> }>(
    '/tree',
    {
      schema: {
        body: generateTreeRpc.request,
        response: { 200: generateTreeRpc.response, 400: ErrorBody },
      },
    },
    async (request) =>
      generateTree({
        root: deps.config.scanner.root,
        providers: deps.config.scanner.providerFolders,
        spec: request.body.spec,
        dryRun: request.body.dryRun,
        db: deps.db,
      }),
  );

  app.post<{ Body: Static<typeof startRegistryScanRpc.request> }>(
    '/scans',
    {
      schema: {
        body: startRegistryScanRpc.request,
        response: { 202: startRegistryScanRpc.response },
      },
    },
    async (request, reply) => reply.status(202).send(await startScan(deps, request.body)),
  );
}
